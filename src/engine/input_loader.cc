#include "engine/input_loader.h"

#include <algorithm>
#include <optional>
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
// One batch of lines in flight: bounds the bound resources held at once (about ten times the
// line bytes) while giving each thread enough lines to be worth starting.
constexpr std::size_t kBatchBytes = 4u << 20;

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

// What the first pass keeps of one parsed line: its keys, not the resource.
struct LineKeys {
  std::optional<Error> error;
  bool isEvent = false;
  std::string id;     // events
  std::string group;  // events
  // Resources: a throwaway index entry built on the worker thread, merged in line order.
  CompactIndex keys;
};

LineKeys keysOfLine(std::string_view line, const std::string& source, const ParseLimits& limits) {
  LineKeys out;
  auto tree = parseFhirJson(line, source, limits);
  if (!tree) {
    out.error = tree.error();
    return out;
  }
  auto resource = bindResource(tree->root, tree->source);
  if (!resource) {
    out.error = resource.error();
    return out;
  }
  if (const auto* ma = resource->as<MedicationAdministration>()) {
    out.isEvent = true;
    out.id = ma->id;
    out.group = groupKeyOf(*ma);
  } else {
    out.keys.add(*resource, {}, 0, 0);
  }
  return out;
}

// Parses and binds a batch of lines on `jobs` threads; results stay in line order, so the
// output never depends on the thread count.
std::vector<LineKeys> parseBatch(const std::vector<std::string>& lines,
                                 const std::vector<std::string>& sources, const ParseLimits& limits,
                                 unsigned jobs) {
  std::vector<LineKeys> out(lines.size());
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = keysOfLine(lines[i], sources[i], limits);
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(jobs, lines.size() / 64 + 1));
  if (threads == 1) {
    work(0, lines.size());
    return out;
  }
  std::vector<std::thread> pool;
  const std::size_t per = (lines.size() + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t begin = std::min(lines.size(), t * per);
    const std::size_t end = std::min(lines.size(), begin + per);
    pool.emplace_back(work, begin, end);
  }
  for (auto& thread : pool) thread.join();
  return out;
}

KeyRef storeKey(std::string& arena, std::string_view value) {
  KeyRef ref{static_cast<std::uint32_t>(arena.size()), static_cast<std::uint32_t>(value.size())};
  arena.append(value);
  return ref;
}

class Loader {
 public:
  Loader(const LoadOptions& options, LoadedInputs& loaded, const LoadProblemSink& problems)
      : options_(options), loaded_(loaded), problems_(problems) {}

  Status ndjson(const InputName& name, ByteStream& stream, InputRecord& record);
  Status document(const InputName& name, ByteStream& stream, InputRecord& record);

 private:
  Status flushBatch(std::uint32_t input, InputRecord& record);

  const LoadOptions& options_;
  LoadedInputs& loaded_;
  const LoadProblemSink& problems_;
  std::vector<std::string> lines_, sources_;
  std::vector<std::uint32_t> lineNumbers_;
};

Status Loader::flushBatch(std::uint32_t input, InputRecord& record) {
  std::vector<LineKeys> results = parseBatch(lines_, sources_, options_.limits, options_.jobs);
  const std::string& name = loaded_.inputNames[input];
  for (std::size_t i = 0; i < results.size(); ++i) {
    LineKeys& result = results[i];
    const std::string entry = "line " + std::to_string(lineNumbers_[i]);
    if (result.error) {
      Status s = problems_(lineProblem(name, entry, *result.error),
                           RejectedRaw{name, std::move(lines_[i]), true});
      if (!s) return s;
      continue;
    }
    ++record.resources;
    if (options_.progress) options_.progress->resources.fetch_add(1, std::memory_order_relaxed);
    auto span = loaded_.spill->append(lines_[i]);
    if (!span) return span.error();
    if (result.isEvent) {
      ++record.events;
      EventRecord event;
      event.span = *span;
      event.input = input;
      event.line = lineNumbers_[i];
      event.id = storeKey(loaded_.keys, result.id);
      event.group = storeKey(loaded_.keys, result.group);
      loaded_.events.push_back(event);
    } else {
      loaded_.spilled.adopt(std::move(result.keys), *span, input, lineNumbers_[i]);
    }
  }
  lines_.clear();
  sources_.clear();
  lineNumbers_.clear();
  return Status::ok();
}

Status Loader::ndjson(const InputName& name, ByteStream& stream, InputRecord& record) {
  const auto input = static_cast<std::uint32_t>(loaded_.inputNames.size() - 1);
  NdjsonLimits ndjsonLimits;
  ndjsonLimits.maxLineBytes = options_.limits.maxBytes;
  NdjsonReader reader(stream, name.display, ndjsonLimits);
  std::size_t batchBytes = 0;
  while (!reader.done()) {
    auto line = reader.next();
    if (!line) {
      const Error& error = line.error();
      if (error.code == ErrorCode::kLimitExceeded) {
        if (Status s = problems_(lineProblem(name.display, error.where, error), std::nullopt); !s) {
          return s;
        }
        continue;
      }
      record.error = error;  // the stream broke: the rest of this input is lost, say so
      break;
    }
    if (!*line) break;
    const std::uint32_t number = static_cast<std::uint32_t>((*line)->lineNumber);
    lineNumbers_.push_back(number);
    sources_.push_back(name.display + ": line " + std::to_string(number));
    lines_.emplace_back((*line)->text);
    batchBytes += lines_.back().size() + 1;
    if (options_.progress) {
      options_.progress->bytesRead.fetch_add(lines_.back().size() + 1, std::memory_order_relaxed);
    }
    if (batchBytes >= kBatchBytes) {
      if (Status s = flushBatch(input, record); !s) return s;
      batchBytes = 0;
    }
  }
  return flushBatch(input, record);
}

// The Encounter a document event hangs on, found in the document itself when it is there (so
// urn:uuid and relative references to the same Encounter give the same key).
std::string documentGroupKey(const InputScope& scope, const AnyResource& event) {
  const auto& ma = *event.as<MedicationAdministration>();
  if (!ma.context.empty()) {
    auto encounter = scope.index.resolve(ma.context, event, "context");
    if (encounter) return std::string((*encounter)->resourceType()) + "/" + (*encounter)->id();
  }
  return groupKeyOf(ma);
}

Status Loader::document(const InputName& name, ByteStream& stream, InputRecord& record) {
  const auto input = static_cast<std::uint32_t>(loaded_.inputNames.size() - 1);
  auto bytes =
      readWholeStream(stream, std::min(options_.limits.maxBytes, kMaxDocumentBytes), name.display);
  if (!bytes) {
    record.error = bytes.error();
    return Status::ok();
  }
  if (options_.progress) {
    options_.progress->bytesRead.fetch_add(bytes->size(), std::memory_order_relaxed);
  }
  auto root = parseFhirResource(*bytes, name.display, options_.limits);
  if (!root) {
    record.error = root.error();
    return problems_(std::nullopt, RejectedRaw{name.display, std::move(*bytes), false});
  }
  auto scope = buildInputScope(std::move(*root));
  record.resources = scope->scope.resources.size();
  record.events = scope->events.size();
  if (options_.progress) {
    options_.progress->resources.fetch_add(record.resources, std::memory_order_relaxed);
  }
  if (const Bundle* bundle = scope->root.as<Bundle>()) {
    loaded_.global.addBundle(*bundle);
  } else {
    loaded_.global.addBorrowed(scope->root);
  }
  const auto document = static_cast<std::uint32_t>(loaded_.documents.size());
  if (!scope->events.empty()) {
    loaded_.documentBytes.resize(document + 1);
    loaded_.documentBytes[document] = std::move(*bytes);
  }
  for (const auto& [resource, entry] : scope->events) {
    EventRecord event;
    event.resource = resource;
    event.input = input;
    event.document = document;
    event.id = storeKey(loaded_.keys, resource->id());
    event.group = storeKey(loaded_.keys, documentGroupKey(*scope, *resource));
    event.entry = storeKey(loaded_.keys, entry);
    loaded_.events.push_back(event);
  }
  loaded_.documents.push_back(std::move(scope));
  return Status::ok();
}

// Scope 0 resolves globally; a document's scope tries the document first (ids may repeat across
// documents), then the global index (e.g. Synthea's hospital/practitioner Bundles). The
// coverage indexes here cover the in-memory resources; spilled ones are linked by CoverageLinks.
void buildScopes(LoadedInputs& loaded) {
  const ResourceIndex* global = &loaded.global;
  auto globalHolder = std::make_unique<ScopeHolder>();
  globalHolder->coverages.build(
      global->resources(),
      [global](const Reference& ref, const AnyResource& from, const std::string& where) {
        return global->resolve(ref, from, where);
      });
  loaded.scopes.push_back(std::move(globalHolder));
  loaded.scopeOfDocument.assign(loaded.documents.size(), 0);
  for (std::size_t d = 0; d < loaded.documents.size(); ++d) {
    const InputScope* document = loaded.documents[d].get();
    if (document->events.empty()) continue;
    auto holder = std::make_unique<ScopeHolder>();
    const ResourceIndex* local = &document->index;
    holder->local = local;
    holder->coverages.build(
        document->scope.resources,
        [local, global](const Reference& ref, const AnyResource& from, const std::string& where) {
          auto found = local->resolve(ref, from, where);
          if (found || found.error().code != ErrorCode::kUnresolvedReference) return found;
          auto elsewhere = global->resolve(ref, from, where);
          return elsewhere ? elsewhere : found;
        });
    loaded.scopeOfDocument[d] = static_cast<std::uint32_t>(loaded.scopes.size());
    loaded.scopes.push_back(std::move(holder));
  }
}

}  // namespace

std::string LoadedInputs::entryOf(const EventRecord& event) const {
  if (event.document == kNotADocument) return "line " + std::to_string(event.line);
  return std::string(key(event.entry));
}

std::string groupKeyOf(const MedicationAdministration& administration) {
  std::string_view reference = administration.context.reference;
  if (reference.empty()) return "~MedicationAdministration/" + administration.id;
  if (reference.find('?') != std::string_view::npos || reference.starts_with("urn:") ||
      reference.starts_with('#')) {
    return std::string(reference);
  }
  if (std::size_t history = reference.find("/_history/"); history != std::string_view::npos) {
    reference = reference.substr(0, history);
  }
  // The "Type/id" tail of a relative or absolute reference.
  std::size_t idSlash = reference.rfind('/');
  if (idSlash == std::string_view::npos || idSlash == 0) return std::string(reference);
  std::size_t typeSlash = reference.rfind('/', idSlash - 1);
  return std::string(typeSlash == std::string_view::npos ? reference
                                                         : reference.substr(typeSlash + 1));
}

Status loadInputs(const std::vector<fs::path>& paths, const LoadOptions& options,
                  LoadedInputs& loaded, const LoadProblemSink& problems) {
  auto spill = SpillFile::create(options.spillDir);
  if (!spill) return spill.error();
  loaded.spill = std::move(*spill);
  Loader loader(options, loaded, problems);
  Status failed = Status::ok();
  Status status = forEachInputStream(paths, [&](const InputName& name, ByteStream& raw) {
    if (!failed) return Status::ok();
    InputRecord record;
    record.path = name.display;
    loaded.inputNames.push_back(name.display);
    if (options.progress) options.progress->files.fetch_add(1, std::memory_order_relaxed);
    PeekableStream stream(raw);
    switch (sniffStream(stream, name.display)) {
      case ContentKind::kNdjson:
        failed = loader.ndjson(name, stream, record);
        break;
      case ContentKind::kFhirJson:
      case ContentKind::kFhirXml:
        failed = loader.document(name, stream, record);
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
  if (!failed) return failed;
  if (Status s = loaded.spill->finishWriting(); !s) return s;
  loaded.spilled.seal();
  buildScopes(loaded);
  return Status::ok();
}

}  // namespace fhir837
