#include "engine/input_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>
#include <thread>

#include "fhir_json/fhir_json_binder.h"
#include "fhir_parser.h"
#include "ndjson/ndjson_reader.h"
#include "rule_ids.h"
#include "sources/archive/archive_reader.h"
#include "sources/archive/byte_streams.h"
#include "sources/archive/input_streams.h"
#include "sources/files/content_kind.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kReadChunk = 64u << 10;
// One batch of lines in flight: bounds the bound resources held at once (about ten times the
// line bytes) while giving each thread enough lines to be worth starting.
constexpr std::size_t kBatchBytes = 4u << 20;

// Event and resource numbers are 32-bit (EventRecord, CompactIndex::EntryId).
constexpr std::size_t kMaxRecords = UINT32_MAX - 1;

Error tooMany(const std::string& what, const std::string& input) {
  return makeError(ErrorCode::kLimitExceeded,
                   "more than " + std::to_string(kMaxRecords) + " " + what +
                       " in one run; convert the input in parts",
                   input);
}

// The rule of an input, line or entry problem: its own when it has one, else by what failed.
std::string ruleOf(const Error& error, const char* fallback) {
  if (!error.rule.empty()) return error.rule;
  return error.code == ErrorCode::kLimitExceeded ? rule_id::kInputLimit : fallback;
}

void failInput(InputRecord& record, Error error, const char* fallbackRule) {
  error.rule = ruleOf(error, fallbackRule);
  record.rule = error.rule;
  record.error = std::move(error);
}

OutcomeRecord lineProblem(const std::string& input, const std::string& entry, const Error& error) {
  OutcomeRecord o;
  o.input = input;
  o.entry = entry;
  o.event = "(" + entry + ")";
  o.kind = OutcomeKind::kRejected;
  o.rule = ruleOf(error, rule_id::kInputParse);
  o.reason = std::string(toString(error.code)) + ": " + error.message;
  o.path = error.where;
  return o;
}

// A bound resource that the loader cannot use although it parsed: a type FHIR R4 does not have
// (misspelt, another FHIR version), or a Bundle where a single resource belongs. `inBundle` is
// true for a Bundle entry, false for an NDJSON line.
std::optional<Error> unusableResource(const AnyResource& resource, const std::string& where,
                                      bool inBundle) {
  const auto* other = resource.as<OtherResource>();
  if (other != nullptr && !isFhirR4ResourceType(other->resourceType)) {
    return makeError(ErrorCode::kUnsupported,
                     "resourceType '" + other->resourceType +
                         "' is not a FHIR R4 resource type (misspelt, or from another FHIR "
                         "version): not read",
                     where, rule_id::kInputType);
  }
  if (resource.as<Bundle>() != nullptr) {
    return makeError(ErrorCode::kUnsupported,
                     inBundle ? "a Bundle inside a Bundle entry: its entries are not read (give "
                                "it as a file of its own)"
                              : "a Bundle on an NDJSON line: its entries are not read (NDJSON "
                                "holds one resource per line; give the Bundle as a file of its "
                                "own)",
                     where, rule_id::kInputBundle);
  }
  return std::nullopt;
}

// What the first pass keeps of one parsed line: its keys, not the resource.
struct LineKeys {
  std::optional<Error> error;
  bool isEvent = false;
  bool isResource = false;  // indexed as a resource too (a Procedure: MA.partOf resolves to it)
  std::string id;           // events: "MedicationAdministration/<id>" or "Procedure/<id>"
  std::string group;        // events
  std::vector<std::string> carries;  // an administration's partOf Procedures ("Procedure/<id>")
  // Resources: a throwaway index entry built on the worker thread, merged in line order.
  CompactIndex keys;
};

LineKeys keysOfLine(std::string_view line, const std::string& source, const ParseLimits& limits) {
  LineKeys out;
  auto resource = bindFhirJson(line, source, limits);
  if (!resource) {
    out.error = resource.error();
    return out;
  }
  if (auto unusable = unusableResource(*resource, source, false)) {
    out.error = std::move(*unusable);
    return out;
  }
  if (const auto* ma = resource->as<MedicationAdministration>()) {
    out.isEvent = true;
    out.id = "MedicationAdministration/" + ma->id;
    out.group = groupKeyOf(*ma);
    for (const Reference& part : ma->partOf) {
      auto target = referencedTypeId(part.reference);
      if (target && target->rfind("Procedure/", 0) == 0) out.carries.emplace_back(*target);
    }
  } else if (const auto* procedure = resource->as<Procedure>()) {
    out.isEvent = true;
    out.isResource = true;
    out.id = "Procedure/" + procedure->id;
    out.group = groupKeyOf(*procedure);
    out.keys.add(*resource, {}, 0);
  } else {
    out.keys.add(*resource, {}, 0);
  }
  return out;
}

// Lines of one NDJSON input, stored back to back (one allocation per batch, not per line) and
// parsed on the worker threads while the loader reads the next batch.
struct LineBatch {
  struct Line {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::uint32_t number = 0;
    std::optional<Error> readError;  // the reader refused the line (too long)
    std::uint64_t streamOffset = 0;  // of the line in its input
  };
  std::string bytes;
  std::vector<Line> lines;
  std::vector<LineKeys> results;
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;

  std::string_view text(std::size_t i) const {
    return std::string_view(bytes).substr(lines[i].offset, lines[i].length);
  }
  void clear() {
    bytes.clear();
    lines.clear();
    results.clear();
  }
};

// The regular file an input is when the stream gives its bytes as they lie on disk (not stdin, a
// FIFO, a gzip or an archive member; its head is the stream's head): the second pass reads its
// lines from it, so they need no spill.
std::optional<FileIdentity> plainFileOf(const InputName& name, PeekableStream& stream) {
  if (!name.member.empty() || name.path == "-") return std::nullopt;
  struct stat st {};
  // Checked before open(): opening a FIFO could wait for a writer.
  if (::stat(name.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  const int fd = ::open(name.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  auto identity = FileIdentity::of(fd, name.display);
  std::string head(kContainerMagicBytes, '\0');
  const ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  ::close(fd);
  if (!identity || !identity->regular || n < 0) return std::nullopt;
  head.resize(static_cast<std::size_t>(n));
  if (detectContainer(head) != Container::kPlain || stream.peek(head.size()) != head) {
    return std::nullopt;
  }
  return *identity;
}

// After the first pass read `file` to its end (`bytesRead`, 0 when the stream failed midway): it
// is still the file it was, and the stream gave all of it.
bool stillTheFileRead(const InputName& name, const FileIdentity& file, std::uint64_t bytesRead) {
  const int fd = ::open(name.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  auto now = FileIdentity::of(fd, name.display);
  ::close(fd);
  return now && *now == file && (bytesRead == 0 || bytesRead == file.size);
}

class Loader {
 public:
  Loader(const LoadOptions& options, LoadedInputs& loaded, const LoadProblemSink& problems)
      : options_(options), loaded_(loaded), problems_(problems) {}

  // `file`: the input is this regular file, read as it lies (its lines are not spilled).
  Status ndjson(const InputName& name, ByteStream& stream, InputRecord& record,
                std::optional<FileIdentity> file);
  Status document(const InputName& name, ByteStream& stream, InputRecord& record);
  // Neither FHIR nor NDJSON (or a stream that fails at once): copied to rejects/ as it is read.
  Status unknown(const InputName& name, ByteStream& stream, InputRecord& record);

 private:
  Status keepPart(const InputName& name, std::string_view bytes);
  // Reads `stream` to its end in chunks, counting each, and hands each chunk to `consume`. A read
  // error fails the input (INPUT-READ) and returns false; an error of `consume` is returned.
  Result<bool> readChunks(ByteStream& stream, InputRecord& record,
                          const std::function<Status(std::string_view)>& consume);
  // Bundle entries that cannot be used: one rejected outcome each, the document kept once.
  Status checkEntries(const InputName& name, const InputScope& scope, const std::string& bytes);
  void countRead(std::size_t bytes) const {
    if (options_.progress) {
      options_.progress->bytesRead.fetch_add(bytes, std::memory_order_relaxed);
    }
  }

  // Reads lines into `batch` until it holds kBatchBytes or the input ends; false at the end.
  bool fill(NdjsonReader& reader, LineBatch& batch, InputRecord& record);
  void startParsing(LineBatch& batch, const std::string& name);
  static void finishParsing(LineBatch& batch);
  Status merge(LineBatch& batch, std::uint32_t input, InputRecord& record);

  const LoadOptions& options_;
  LoadedInputs& loaded_;
  const LoadProblemSink& problems_;
};

bool Loader::fill(NdjsonReader& reader, LineBatch& batch, InputRecord& record) {
  batch.clear();
  while (!reader.done() && batch.bytes.size() < kBatchBytes) {
    auto line = reader.next();
    if (!line) {
      const Error& error = line.error();
      if (error.code != ErrorCode::kLimitExceeded) {
        // The stream broke: the rest of this input is lost, say so.
        failInput(record, error, rule_id::kInputRead);
        return false;
      }
      batch.lines.push_back({batch.bytes.size(), 0, 0, error});
      continue;
    }
    if (!*line) return false;
    const std::string_view text = (*line)->text;
    batch.lines.push_back({batch.bytes.size(), text.size(),
                           static_cast<std::uint32_t>((*line)->lineNumber), std::nullopt,
                           (*line)->offset});
    batch.bytes.append(text);
    if (options_.progress) {
      options_.progress->bytesRead.fetch_add(text.size() + 1, std::memory_order_relaxed);
    }
  }
  return !reader.done();
}

// Results stay in line order whatever thread parsed a line, so the output never depends on the
// thread count.
void Loader::startParsing(LineBatch& batch, const std::string& name) {
  batch.results.resize(batch.lines.size());
  batch.next = 0;
  auto work = [&batch, &name, limits = options_.limits] {
    constexpr std::size_t kChunk = 32;
    for (std::size_t begin; (begin = batch.next.fetch_add(kChunk)) < batch.lines.size();) {
      const std::size_t end = std::min(batch.lines.size(), begin + kChunk);
      for (std::size_t i = begin; i < end; ++i) {
        if (batch.lines[i].readError) continue;
        batch.results[i] = keysOfLine(
            batch.text(i), name + ": line " + std::to_string(batch.lines[i].number), limits);
      }
    }
  };
  if (options_.jobs <= 1 || batch.lines.size() < 64) {
    work();
    return;
  }
  for (unsigned t = 0; t < options_.jobs; ++t) batch.threads.emplace_back(work);
}

void Loader::finishParsing(LineBatch& batch) {
  for (auto& thread : batch.threads) thread.join();
  batch.threads.clear();
}

Status Loader::merge(LineBatch& batch, std::uint32_t input, InputRecord& record) {
  const std::string& name = loaded_.inputNames[input];
  const bool inFile = loaded_.lines->holds(input);
  for (std::size_t i = 0; i < batch.lines.size(); ++i) {
    const LineBatch::Line& line = batch.lines[i];
    if (line.readError) {
      if (Status s =
              problems_(lineProblem(name, line.readError->where, *line.readError), std::nullopt);
          !s) {
        return s;
      }
      continue;
    }
    LineKeys& result = batch.results[i];
    const std::string_view text = batch.text(i);
    if (result.error) {
      Status s = problems_(lineProblem(name, "line " + std::to_string(line.number), *result.error),
                           RejectedRaw{name, std::string(text), true});
      if (!s) return s;
      continue;
    }
    ++record.resources;
    if (options_.progress) options_.progress->resources.fetch_add(1, std::memory_order_relaxed);
    Result<SpillSpan> span =
        inFile ? SpillSpan{line.streamOffset, static_cast<std::uint32_t>(text.size())}
               : loaded_.spill->append(text);
    if (!span) return span.error();
    if (result.isEvent) {
      ++record.events;
      EventRecord event;
      event.offset = span->offset;
      event.length = span->length;
      event.input = input;
      event.position = line.number;
      auto id = loaded_.addKey(result.id);
      auto group = loaded_.addKey(result.group);
      if (!id || !group) return id ? group.error() : id.error();
      if (loaded_.events.size() >= kMaxRecords) return tooMany("events", name);
      event.id = *id;
      event.group = *group;
      loaded_.events.push_back(event);
      for (std::string& procedure : result.carries) {
        loaded_.carriedProcedures.emplace(std::move(procedure), result.id);
      }
    }
    if (!result.isEvent || result.isResource) {
      if (loaded_.spilled.size() >= kMaxRecords) return tooMany("resources", name);
      loaded_.spilled.adopt(std::move(result.keys), *span, input);
    }
  }
  return Status::ok();
}

// Reading (this thread) and parsing (the workers) overlap: batch k+1 is read while batch k is
// parsed, and batch k is merged while k+1 is parsed.
Status Loader::ndjson(const InputName& name, ByteStream& stream, InputRecord& record,
                      std::optional<FileIdentity> file) {
  const auto input = static_cast<std::uint32_t>(loaded_.inputNames.size() - 1);
  if (file) {
    std::error_code ec;
    fs::path path = fs::absolute(name.path, ec);
    loaded_.lines->add(input, ec ? name.path : path, name.display, *file);
  }
  NdjsonLimits ndjsonLimits;
  ndjsonLimits.maxLineBytes = std::min(options_.limits.maxBytes, kMaxDocumentBytes);
  NdjsonReader reader(stream, name.display, ndjsonLimits);
  LineBatch batches[2];
  LineBatch* parsed = &batches[0];
  LineBatch* reading = &batches[1];
  bool more = fill(reader, *parsed, record);
  startParsing(*parsed, name.display);
  Status status = Status::ok();
  while (true) {
    if (more) {
      more = fill(reader, *reading, record);
    } else {
      reading->clear();
    }
    finishParsing(*parsed);
    if (!reading->lines.empty()) startParsing(*reading, name.display);
    status = merge(*parsed, input, record);
    if (!status || reading->lines.empty()) break;
    std::swap(parsed, reading);
  }
  finishParsing(*reading);
  if (status && file && !stillTheFileRead(name, *file, record.error ? 0 : reader.bytesRead())) {
    return inputChangedError(name.display);
  }
  return status;
}

// The Encounter a document event hangs on, found in the document itself when it is there (so
// urn:uuid and relative references to the same Encounter give the same key).
std::string documentGroupKey(const InputScope& scope, const AnyResource& event) {
  const auto* ma = event.as<MedicationAdministration>();
  const Reference& encounterRef = ma ? ma->context : event.as<Procedure>()->encounter;
  if (!encounterRef.empty()) {
    auto encounter = scope.index.resolve(encounterRef, event, "context");
    if (encounter) return std::string((*encounter)->resourceType()) + "/" + (*encounter)->id();
  }
  return ma ? groupKeyOf(*ma) : groupKeyOf(*event.as<Procedure>());
}

// The Procedures a document administration points to through partOf, found in the document
// when they are there (urn:uuid), else by the reference's type and id.
void addCarriedProcedures(const InputScope& scope, const AnyResource& event,
                          std::multimap<std::string, std::string>& carried) {
  const auto* ma = event.as<MedicationAdministration>();
  if (!ma) return;
  for (const Reference& part : ma->partOf) {
    std::string key;
    if (auto target = scope.index.resolve(part, event, "partOf")) {
      if ((*target)->as<Procedure>()) key = "Procedure/" + (*target)->id();
    } else if (auto typed = referencedTypeId(part.reference);
               typed && typed->rfind("Procedure/", 0) == 0) {
      key = std::string(*typed);
    }
    if (!key.empty()) carried.emplace(std::move(key), "MedicationAdministration/" + ma->id);
  }
}

Result<bool> Loader::readChunks(ByteStream& stream, InputRecord& record,
                                const std::function<Status(std::string_view)>& consume) {
  std::string chunk(kReadChunk, '\0');
  while (true) {
    auto got = stream.read(chunk.data(), chunk.size());
    if (!got) {
      failInput(record, got.error(), rule_id::kInputRead);
      return false;
    }
    if (*got == 0) return true;
    countRead(*got);
    if (Status s = consume(std::string_view(chunk.data(), *got)); !s) return s.error();
  }
}

Status Loader::keepPart(const InputName& name, std::string_view bytes) {
  return problems_(std::nullopt, RejectedRaw{name.display, std::string(bytes), false, true});
}

// Reads the document in chunks: up to the limit it is held for the parser; past it, what was held
// and every later chunk go to rejects/ at once, so an oversized input never takes more memory
// than the limit.
Status Loader::document(const InputName& name, ByteStream& stream, InputRecord& record) {
  const auto input = static_cast<std::uint32_t>(loaded_.inputNames.size() - 1);
  const std::size_t limit = std::min(options_.limits.maxBytes, kMaxDocumentBytes);
  std::string bytes;
  std::size_t total = 0;
  bool tooLarge = false;
  auto read = readChunks(stream, record, [&](std::string_view part) -> Status {
    total += part.size();
    if (!tooLarge && bytes.size() + part.size() > limit) {
      tooLarge = true;
      if (Status s = keepPart(name, bytes); !s) return s;
      std::string().swap(bytes);
    }
    if (tooLarge) return keepPart(name, part);
    bytes.append(part);
    return Status::ok();
  });
  if (!read) return read.error();
  if (!*read) return Status::ok();
  if (tooLarge) {
    failInput(
        record,
        makeError(ErrorCode::kLimitExceeded,
                  "document of " + std::to_string(total) + " bytes is larger than the limit of " +
                      std::to_string(limit) + " bytes (" + std::to_string(limit >> 20) +
                      " MiB) per document; split it, or export it as NDJSON",
                  name.display),
        rule_id::kInputLimit);
    return Status::ok();
  }
  auto root = parseFhirResource(bytes, name.display, options_.limits);
  if (!root) {
    failInput(record, root.error(), rule_id::kInputParse);
    return problems_(std::nullopt, RejectedRaw{name.display, std::move(bytes), false});
  }
  if (auto unusable = unusableResource(*root, name.display, false);
      unusable && unusable->rule == rule_id::kInputType) {
    failInput(record, std::move(*unusable), rule_id::kInputType);
    return problems_(std::nullopt, RejectedRaw{name.display, std::move(bytes), false});
  }
  auto scope = buildInputScope(std::move(*root));
  record.resources = scope->scope.resources.size();
  record.events = scope->events.size();
  if (options_.progress) {
    options_.progress->resources.fetch_add(record.resources, std::memory_order_relaxed);
  }
  if (Status s = checkEntries(name, *scope, bytes); !s) return s;
  if (const Bundle* bundle = scope->root.as<Bundle>()) {
    loaded_.global.addBundle(*bundle);
  } else {
    loaded_.global.addBorrowed(scope->root);
  }
  const auto document = static_cast<std::uint32_t>(loaded_.documents.size());
  if (!scope->events.empty()) {
    loaded_.documentBytes.resize(document + 1);
    loaded_.documentBytes[document] = std::move(bytes);
  }
  for (const auto& [resource, entry] : scope->events) {
    EventRecord event;
    event.input = input;
    event.document = document;
    event.position = static_cast<std::uint32_t>(loaded_.documentEvents.size());
    auto id = loaded_.addKey(std::string(resource->resourceType()) + "/" + resource->id());
    auto group = loaded_.addKey(documentGroupKey(*scope, *resource));
    addCarriedProcedures(*scope, *resource, loaded_.carriedProcedures);
    auto position = loaded_.addKey(entry);
    if (!id || !group || !position) {
      return !id ? id.error() : !group ? group.error() : position.error();
    }
    if (loaded_.events.size() >= kMaxRecords) return tooMany("events", name.display);
    event.id = *id;
    event.group = *group;
    loaded_.documentEvents.push_back({resource, *position});
    loaded_.events.push_back(event);
  }
  loaded_.documents.push_back(std::move(scope));
  return Status::ok();
}

Status Loader::checkEntries(const InputName& name, const InputScope& scope,
                            const std::string& bytes) {
  const Bundle* bundle = scope.root.as<Bundle>();
  if (bundle == nullptr) return Status::ok();
  bool kept = false;
  for (std::size_t i = 0; i < bundle->entry.size(); ++i) {
    if (!bundle->entry[i].resource) continue;
    const AnyResource& resource = *bundle->entry[i].resource;
    const std::string entry = "Bundle.entry[" + std::to_string(i) + "]";
    auto unusable = unusableResource(resource, name.display + ": " + entry, true);
    if (!unusable) continue;
    OutcomeRecord o = lineProblem(name.display, entry, *unusable);
    if (!resource.id().empty()) {
      o.event = std::string(resource.resourceType()) + "/" + resource.id();
    }
    std::optional<RejectedRaw> raw;
    if (!kept) raw = RejectedRaw{name.display, bytes, false};
    kept = true;
    if (Status s = problems_(std::move(o), std::move(raw)); !s) return s;
  }
  return Status::ok();
}

Status Loader::unknown(const InputName& name, ByteStream& stream, InputRecord& record) {
  std::size_t total = 0;
  bool blank = true;
  auto read = readChunks(stream, record, [&](std::string_view part) {
    total += part.size();
    blank = blank && part.find_first_not_of(" \t\r\n") == std::string_view::npos;
    return keepPart(name, part);
  });
  if (!read) return read.error();
  if (!*read) return Status::ok();
  if (total == 0 || blank) {
    failInput(record,
              makeError(ErrorCode::kInvalidValue,
                        total == 0 ? "empty input" : "input holds only whitespace", name.display),
              rule_id::kInputEmpty);
  } else {
    failInput(record,
              makeError(ErrorCode::kUnsupported,
                        "not FHIR JSON, FHIR XML or NDJSON (a JSON document must be one object, "
                        "in UTF-8)",
                        name.display),
              rule_id::kInputParse);
  }
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

Result<KeyRef> LoadedInputs::addKey(std::string_view value) {
  if (keys.size() + value.size() > UINT32_MAX) {
    return makeError(ErrorCode::kLimitExceeded,
                     "the ids and encounter keys of this run's events pass 4 GiB; convert the "
                     "input in parts",
                     "events");
  }
  KeyRef ref{static_cast<std::uint32_t>(keys.size()), static_cast<std::uint32_t>(value.size())};
  keys.append(value);
  return ref;
}

std::string LoadedInputs::entryOf(const EventRecord& event) const {
  if (event.document == kNotADocument) return "line " + std::to_string(event.position);
  return std::string(key(documentEvents[event.position].entry));
}

std::string groupKeyOf(const MedicationAdministration& administration) {
  const std::string_view reference = administration.context.reference;
  if (reference.empty()) return "~MedicationAdministration/" + administration.id;
  return std::string(referencedTypeId(reference).value_or(reference));
}

std::string groupKeyOf(const Procedure& procedure) {
  const std::string_view reference = procedure.encounter.reference;
  if (reference.empty()) return "~Procedure/" + procedure.id;
  return std::string(referencedTypeId(reference).value_or(reference));
}

Status loadInputs(const std::vector<fs::path>& paths, const LoadOptions& options,
                  LoadedInputs& loaded, const LoadProblemSink& problems) {
  auto spill = SpillFile::create(options.spillDir);
  if (!spill) return spill.error();
  loaded.spill = std::move(*spill);
  loaded.lines = std::make_unique<InputFileLines>(*loaded.spill);
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
        failed = loader.ndjson(name, stream, record, plainFileOf(name, stream));
        break;
      case ContentKind::kFhirJson:
      case ContentKind::kFhirXml:
        failed = loader.document(name, stream, record);
        break;
      case ContentKind::kUnknown:
        failed = loader.unknown(name, stream, record);
        break;
    }
    if (!record.error && record.events == 0) {
      record.note = "no billable event in this input; its resources serve as context";
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
