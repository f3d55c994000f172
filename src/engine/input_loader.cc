#include "engine/input_loader.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "fhir_json/fhir_json_parser.h"
#include "fhir_parser.h"
#include "fhir_tree/model_binder.h"
#include "ndjson/ndjson_reader.h"
#include "sources/archive/byte_streams.h"
#include "sources/archive/input_streams.h"
#include "sources/files/content_kind.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxDocumentBytes = 256u << 20;

OutcomeRecord lineProblem(const std::string& input, const std::string& entry, const Error& error) {
  OutcomeRecord o;
  o.input = input;
  o.entry = entry;
  o.event = "(" + entry + ")";
  o.kind = OutcomeKind::kRejected;
  o.rule = "INPUT-PARSE";
  o.reason = std::string(toString(error.code)) + ": " + error.message;
  o.path = error.where;
  return o;
}

// Parses and binds a batch of lines on `jobs` threads; results stay in line order, so the
// output never depends on the thread count.
std::vector<Result<AnyResource>> parseBatch(const std::vector<std::string>& lines,
                                            const std::vector<std::string>& sources,
                                            const ParseLimits& limits, unsigned jobs) {
  std::vector<std::optional<Result<AnyResource>>> slots(lines.size());
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      auto tree = parseFhirJson(lines[i], sources[i], limits);
      slots[i] = tree ? bindResource(tree->root, tree->source) : Result<AnyResource>(tree.error());
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(jobs, lines.size() / 64 + 1));
  if (threads == 1) {
    work(0, lines.size());
  } else {
    std::vector<std::thread> pool;
    const std::size_t per = (lines.size() + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
      const std::size_t begin = std::min(lines.size(), t * per);
      const std::size_t end = std::min(lines.size(), begin + per);
      pool.emplace_back(work, begin, end);
    }
    for (auto& thread : pool) thread.join();
  }
  std::vector<Result<AnyResource>> out;
  out.reserve(lines.size());
  for (auto& slot : slots) out.push_back(std::move(*slot));
  return out;
}

void loadNdjson(const InputName& name, ByteStream& stream, const ParseLimits& limits, unsigned jobs,
                LoadedInputs& loaded, InputRecord& record) {
  NdjsonLimits ndjsonLimits;
  ndjsonLimits.maxLineBytes = limits.maxBytes;
  NdjsonReader reader(stream, name.display, ndjsonLimits);
  constexpr std::size_t kBatchBytes = 8u << 20;  // bounds memory: one batch in flight
  std::vector<std::string> lines, sources, entries;
  std::size_t batchBytes = 0;
  auto flush = [&] {
    std::vector<Result<AnyResource>> results = parseBatch(lines, sources, limits, jobs);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (!results[i]) {
        loaded.lineOutcomes.push_back(lineProblem(name.display, entries[i], results[i].error()));
        loaded.rejectedRaw.push_back({name.display, std::move(lines[i]), true});
        continue;
      }
      ++record.resources;
      const bool isEvent = results[i]->as<MedicationAdministration>() != nullptr;
      const AnyResource& stored = loaded.global.add(std::move(*results[i]));
      if (isEvent) {
        ++record.events;
        loaded.events.push_back({&stored, name.display, entries[i], 0, std::move(lines[i])});
      }
    }
    lines.clear();
    sources.clear();
    entries.clear();
    batchBytes = 0;
  };
  while (!reader.done()) {
    auto line = reader.next();
    if (!line) {
      const Error& error = line.error();
      if (error.code == ErrorCode::kLimitExceeded) {
        loaded.lineOutcomes.push_back(lineProblem(name.display, error.where, error));
        continue;
      }
      record.error = error;  // the stream broke: the rest of this input is lost, say so
      break;
    }
    if (!*line) break;
    entries.push_back("line " + std::to_string((*line)->lineNumber));
    sources.push_back(name.display + ": " + entries.back());
    lines.emplace_back((*line)->text);
    batchBytes += lines.back().size();
    if (batchBytes >= kBatchBytes) flush();
  }
  flush();
}

void loadDocument(const InputName& name, ByteStream& stream, const ParseLimits& limits,
                  LoadedInputs& loaded, InputRecord& record) {
  auto bytes = readWholeStream(stream, std::min(limits.maxBytes, kMaxDocumentBytes), name.display);
  if (!bytes) {
    record.error = bytes.error();
    return;
  }
  auto root = parseFhirResource(*bytes, name.display, limits);
  if (!root) {
    record.error = root.error();
    loaded.rejectedRaw.push_back({name.display, std::move(*bytes), false});
    return;
  }
  auto scope = buildInputScope(std::move(*root));
  record.resources = scope->scope.resources.size();
  record.events = scope->events.size();
  if (const Bundle* bundle = scope->root.as<Bundle>()) {
    loaded.global.addBundle(*bundle);
  } else {
    loaded.global.addBorrowed(scope->root);
  }
  const std::size_t document = loaded.documents.size();
  if (!scope->events.empty()) {
    loaded.documentBytes.resize(document + 1);
    loaded.documentBytes[document] = std::move(*bytes);
  }
  for (const auto& [resource, entry] : scope->events) {
    loaded.events.push_back({resource, name.display, entry, 0, {}, document});
  }
  loaded.documents.push_back(std::move(scope));
}

// Scope 0 resolves globally; a document's scope tries the document first (ids may repeat across
// documents), then the global index (e.g. Synthea's hospital/practitioner Bundles).
void buildScopes(LoadedInputs& loaded) {
  auto global = std::make_unique<ScopeHolder>();
  const ResourceIndex* index = &loaded.global;
  global->scope.resources = index->resources();
  global->scope.resolve = [index](const Reference& ref, const AnyResource& from,
                                  const std::string& where) {
    return index->resolve(ref, from, where);
  };
  global->coverages.build(global->scope.resources, global->scope.resolve);
  const ScopeHolder* globalHolder = global.get();
  global->scope.coveragesFor = [globalHolder](const AnyResource* patient) {
    return globalHolder->coverages.find(patient);
  };
  loaded.scopes.push_back(std::move(global));

  std::vector<std::size_t> scopeOfDocument(loaded.documents.size(), 0);
  for (std::size_t d = 0; d < loaded.documents.size(); ++d) {
    InputScope* document = loaded.documents[d].get();
    if (document->events.empty()) continue;
    auto holder = std::make_unique<ScopeHolder>();
    const ResourceIndex* local = &document->index;
    holder->scope.resources = document->scope.resources;
    holder->scope.resolve = [local, index](const Reference& ref, const AnyResource& from,
                                           const std::string& where) {
      auto found = local->resolve(ref, from, where);
      if (found || found.error().code != ErrorCode::kUnresolvedReference) return found;
      auto elsewhere = index->resolve(ref, from, where);
      return elsewhere ? elsewhere : found;
    };
    holder->coverages.build(holder->scope.resources, holder->scope.resolve);
    const ScopeHolder* self = holder.get();
    holder->scope.coveragesFor = [self, globalHolder](const AnyResource* patient) {
      auto found = self->coverages.find(patient);
      return found.empty() ? globalHolder->coverages.find(patient) : found;
    };
    scopeOfDocument[d] = loaded.scopes.size();
    loaded.scopes.push_back(std::move(holder));
  }
  for (auto& event : loaded.events) {
    if (event.document != SIZE_MAX) event.scope = scopeOfDocument[event.document];
  }
}

std::string rejectFileName(const std::string& input) {
  std::string name;
  for (char c : input) {
    name.push_back((std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
                       ? c
                       : '_');
  }
  while (!name.empty() && name.front() == '.') name.erase(name.begin());
  return name.empty() ? "input" : name;
}

}  // namespace

Status loadInputs(const std::vector<fs::path>& paths, const ParseLimits& limits, unsigned jobs,
                  LoadedInputs& loaded) {
  Status status = forEachInputStream(paths, [&](const InputName& name, ByteStream& raw) {
    InputRecord record;
    record.path = name.display;
    PeekableStream stream(raw);
    switch (sniffStream(stream, name.display)) {
      case ContentKind::kNdjson:
        loadNdjson(name, stream, limits, jobs, loaded, record);
        break;
      case ContentKind::kFhirJson:
      case ContentKind::kFhirXml:
        loadDocument(name, stream, limits, loaded, record);
        break;
      case ContentKind::kUnknown: {
        auto bytes = readWholeStream(stream, kMaxDocumentBytes, name.display);
        record.error = bytes ? makeError(ErrorCode::kUnsupported,
                                         "not FHIR JSON, FHIR XML or NDJSON", name.display)
                             : bytes.error();
        break;
      }
    }
    loaded.inputs.push_back(std::move(record));
    return Status::ok();
  });
  if (!status) return status;
  buildScopes(loaded);
  return Status::ok();
}

Status writeRejects(const fs::path& outputDir, const std::vector<RejectedRaw>& rejected) {
  if (rejected.empty()) return Status::ok();
  const fs::path dir = outputDir / "rejects";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return makeError(ErrorCode::kIo, "cannot create: " + ec.message(), dir.string());
  std::set<std::string> started;
  for (const auto& item : rejected) {
    std::string file = rejectFileName(item.input);
    if (item.isLine && !hasNdjsonName(file)) file += ".ndjson";
    const bool first = started.insert(file).second;
    if (!first && !item.isLine) continue;  // a document is kept once, whole
    std::ofstream out(
        dir / file, first ? std::ios::binary | std::ios::trunc : std::ios::binary | std::ios::app);
    out << item.bytes;
    if (item.isLine) out << '\n';
    if (!out) return makeError(ErrorCode::kIo, "cannot write", (dir / file).string());
  }
  return Status::ok();
}

}  // namespace fhir837
