#include "sources/inbox/inbox_intake.h"

#include <future>

#include "engine/serve/resource_intake.h"
#include "ndjson/ndjson_reader.h"
#include "sources/archive/byte_streams.h"
#include "sources/archive/input_streams.h"
#include "sources/files/content_kind.h"

namespace fhir837::inbox {

namespace fs = std::filesystem;

namespace {

bool refusedKind(serve::WriteKind kind) {
  return kind == serve::WriteKind::kConflict || kind == serve::WriteKind::kPreconditionFailed;
}

// The same content read again is stored again as nothing new only when it keeps its id; a
// resource without one would get a new random id on every read.
const char* const kNeedsId =
    "a resource in an inbox file needs an id: without one, reading the file again after a crash "
    "would store (and bill) it twice";

std::string entryPath(std::size_t index) { return "Bundle.entry[" + std::to_string(index) + "]"; }

const char* contentTypeOf(serve::BodyFormat format) {
  return format == serve::BodyFormat::kXml ? "application/fhir+xml" : "application/fhir+json";
}

// What one file's reading has journaled and refused so far.
class FileRun {
 public:
  FileRun(serve::Journal& journal, const std::function<void()>& committed,
          const IntakeOptions& options, const std::atomic<bool>& stop)
      : journal_(journal), committed_(committed), options_(options), stop_(stop) {}

  Status stream(const std::string& where, ByteStream& bytes);
  Status flush();
  FileReport take() { return std::move(report_); }

 private:
  Status ndjson(const std::string& where, ByteStream& stream);
  Status document(const std::string& where, ByteStream& stream, serve::BodyFormat format);
  Status unknown(const std::string& where, ByteStream& stream);
  // The analysed body of one document or line.
  Status intake(serve::Intake analysed, const std::string& where, const std::string& body,
                serve::BodyFormat format);
  Status resource(serve::ResourceWrite write, const std::string& where);
  Status allOrNothing(const serve::BundleIntake& bundle, const std::string& where,
                      const std::string& body, serve::BodyFormat format);
  Status eachAlone(const serve::BundleIntake& bundle, const std::string& where,
                   serve::BodyFormat format);
  Status refuse(Refusal refusal, const std::string* body, serve::BodyFormat format);
  Result<serve::BatchResult> commit(serve::WriteBatch batch);
  serve::BundleOptions bundleOptions();

  serve::Journal& journal_;
  const std::function<void()>& committed_;
  const IntakeOptions& options_;
  const std::atomic<bool>& stop_;
  serve::WriteBatch pending_{{}, false, {}, {}, {}};
  std::vector<std::string> pendingWhere_;
  FileReport report_;
};

Result<serve::BatchResult> FileRun::commit(serve::WriteBatch batch) {
  std::promise<Result<serve::BatchResult>> promise;
  auto future = promise.get_future();
  journal_.submit(std::move(batch), [&promise](Result<serve::BatchResult> result) {
    promise.set_value(std::move(result));
  });
  auto result = future.get();
  if (result && committed_) committed_();
  return result;
}

Status FileRun::refuse(Refusal refusal, const std::string* body, serve::BodyFormat format) {
  if (body) {
    serve::DeadLetter letter;
    letter.httpStatus = refusal.status;
    letter.issueCode = refusal.code;
    letter.reason = refusal.where + ": " + refusal.message;
    letter.method = "FILE";
    letter.target = refusal.where;
    letter.contentType = contentTypeOf(format);
    letter.body = *body;
    std::promise<Status> promise;
    auto future = promise.get_future();
    journal_.submitDeadLetter(std::move(letter),
                              [&promise](Status kept) { promise.set_value(std::move(kept)); });
    if (Status kept = future.get(); !kept) return kept;
    refusal.deadLetter = true;
  }
  if (++report_.refusedCount <= options_.maxListed) report_.refused.push_back(std::move(refusal));
  return Status::ok();
}

Status FileRun::flush() {
  if (pending_.writes.empty()) return Status::ok();
  std::vector<std::string> where = std::move(pendingWhere_);
  pendingWhere_.clear();
  serve::WriteBatch batch{{}, false, {}, {}, {}};
  std::swap(batch, pending_);
  std::vector<std::pair<std::string, serve::BodyFormat>> bodies;
  for (const serve::ResourceWrite& write : batch.writes)
    bodies.emplace_back(write.body, write.format);
  auto result = commit(std::move(batch));
  if (!result) return result.error();
  for (std::size_t k = 0; k < result->results.size(); ++k) {
    const serve::WriteResult& written = result->results[k];
    if (!refusedKind(written.kind)) {
      ++report_.stored;
      continue;
    }
    const bool conflict = written.kind == serve::WriteKind::kConflict;
    Refusal refusal{
        where[k], conflict ? 409 : 412, conflict ? "conflict" : "processing", written.detail, "",
        false};
    if (Status s = refuse(std::move(refusal), &bodies[k].first, bodies[k].second); !s) return s;
  }
  return Status::ok();
}

Status FileRun::resource(serve::ResourceWrite write, const std::string& where) {
  if (write.idAssigned) {
    Refusal refusal{where, 422, "required", kNeedsId, write.type + ".id", false};
    return refuse(std::move(refusal), &write.body, write.format);
  }
  pending_.writes.push_back(std::move(write));
  pendingWhere_.push_back(where);
  if (pending_.writes.size() >= options_.batchSize) return flush();
  return Status::ok();
}

serve::BundleOptions FileRun::bundleOptions() {
  serve::BundleOptions options;
  options.maxEntries = options_.maxBundleEntries;
  options.findExisting = serve::existingIdsIn(journal_);
  return options;
}

// Transaction, message, collection, document: one unusable entry refuses the whole Bundle, as
// over HTTP, and the Bundle is kept in the dead letter.
Status FileRun::allOrNothing(const serve::BundleIntake& bundle, const std::string& where,
                             const std::string& body, serve::BodyFormat format) {
  serve::WriteBatch batch{{}, true, {}, {}, {}};
  std::vector<std::size_t> entryOf;
  for (std::size_t i = 0; i < bundle.entries.size(); ++i) {
    const serve::BundleEntryIntake& entry = bundle.entries[i];
    const std::string at = where + ": " + entryPath(i);
    if (entry.problem) {
      const serve::IntakeProblem& why = *entry.problem;
      const int status = why.httpStatus == 404 || why.httpStatus == 405 ? 422 : why.httpStatus;
      return refuse({at, status, why.issueCode, why.diagnostics, why.expression, false}, &body,
                    format);
    }
    if (!entry.write) continue;
    if (entry.write->idAssigned) {
      return refuse({at, 422, "required", kNeedsId, entryPath(i) + ".resource.id", false}, &body,
                    format);
    }
    batch.writes.push_back(*entry.write);
    entryOf.push_back(i);
  }
  if (batch.writes.empty()) return Status::ok();
  if (Status s = flush(); !s) return s;  // the file's order is the journal's order
  auto result = commit(std::move(batch));
  if (!result) return result.error();
  if (result->committed) {
    report_.stored += result->results.size();
    return Status::ok();
  }
  for (std::size_t k = 0; k < result->results.size(); ++k) {
    const serve::WriteResult& written = result->results[k];
    if (!refusedKind(written.kind)) continue;
    const bool conflict = written.kind == serve::WriteKind::kConflict;
    return refuse({where + ": " + entryPath(entryOf[k]), conflict ? 409 : 412,
                   conflict ? "conflict" : "processing",
                   written.detail + "; nothing in the " + bundle.type + " was stored", "", false},
                  &body, format);
  }
  return refuse(
      {where, 500, "exception", "the journal stored nothing and named no reason", "", false}, &body,
      format);
}

// Batch and history (subscription event notifications): each entry stands alone.
Status FileRun::eachAlone(const serve::BundleIntake& bundle, const std::string& where,
                          serve::BodyFormat format) {
  const std::string& notification = bundle.notificationType;
  if (!notification.empty() && notification != "event-notification" &&
      notification != "query-event") {
    return Status::ok();  // handshake, heartbeat, query-status: nothing to store
  }
  for (std::size_t i = 0; i < bundle.entries.size(); ++i) {
    const serve::BundleEntryIntake& entry = bundle.entries[i];
    const std::string at = where + ": " + entryPath(i);
    if (entry.problem) {
      const serve::IntakeProblem& why = *entry.problem;
      Refusal refusal{at, why.httpStatus, why.issueCode, why.diagnostics, why.expression, false};
      if (Status s = refuse(std::move(refusal), &entry.sentEntry, format); !s) return s;
    } else if (entry.write) {
      if (Status s = resource(*entry.write, at); !s) return s;
    }
  }
  return Status::ok();
}

Status FileRun::intake(serve::Intake analysed, const std::string& where, const std::string& body,
                       serve::BodyFormat format) {
  if (analysed.problem) {
    const serve::IntakeProblem& why = *analysed.problem;
    return refuse({where, why.httpStatus, why.issueCode, why.diagnostics, why.expression, false},
                  &body, format);
  }
  if (analysed.resource) return resource(std::move(*analysed.resource), where);
  const serve::BundleIntake& bundle = *analysed.bundle;
  const std::string& type = bundle.type;
  if (type == "batch" || type == "history" || type == "subscription-notification") {
    return eachAlone(bundle, where, format);
  }
  return allOrNothing(bundle, where, body, format);
}

Status FileRun::ndjson(const std::string& where, ByteStream& stream) {
  NdjsonLimits limits;
  limits.maxLineBytes = options_.limits.maxBytes;
  NdjsonReader reader(stream, where, limits);
  while (!reader.done()) {
    if (stop_.load()) return makeError(ErrorCode::kIo, "stopped", where);
    auto line = reader.next();
    if (!line) {
      const Error& error = line.error();
      const bool tooLong = error.code == ErrorCode::kLimitExceeded;
      Refusal refusal{error.where.empty() ? where : error.where,
                      tooLong ? 413 : 400,
                      tooLong ? "too-long" : "structure",
                      error.message,
                      "",
                      false};
      if (Status s = refuse(std::move(refusal), nullptr, serve::BodyFormat::kJson); !s) return s;
      continue;
    }
    if (!*line) break;
    const std::string at = where + ": line " + std::to_string((*line)->lineNumber);
    const std::string body((*line)->text);
    auto analysed = serve::analyseBody(body, serve::BodyFormat::kJson, "", "", options_.limits,
                                       bundleOptions());
    if (Status s = intake(std::move(analysed), at, body, serve::BodyFormat::kJson); !s) return s;
  }
  return Status::ok();
}

Status FileRun::document(const std::string& where, ByteStream& stream, serve::BodyFormat format) {
  auto body = readWholeStream(stream, options_.limits.maxBytes, where);
  if (!body) {
    const Error& error = body.error();
    const bool tooLong = error.code == ErrorCode::kLimitExceeded;
    return refuse(
        {where, tooLong ? 413 : 400, tooLong ? "too-long" : "structure", error.message, "", false},
        nullptr, format);
  }
  auto analysed = serve::analyseBody(*body, format, "", "", options_.limits, bundleOptions());
  return intake(std::move(analysed), where, *body, format);
}

// Neither FHIR nor NDJSON (or a stream that fails at once): refused whole; its bytes stay in the
// file, which is kept in done/ or error/, so they are not copied to the dead letter.
Status FileRun::unknown(const std::string& where, ByteStream& stream) {
  std::string chunk(64u << 10, '\0');
  std::size_t total = 0;
  bool blank = true;
  while (true) {
    auto got = stream.read(chunk.data(), chunk.size());
    if (!got) {
      const Error& error = got.error();
      return refuse(
          {error.where.empty() ? where : error.where, 400, "structure", error.message, "", false},
          nullptr, serve::BodyFormat::kJson);
    }
    if (*got == 0) break;
    total += *got;
    blank = blank && std::string_view(chunk.data(), *got).find_first_not_of(" \t\r\n") ==
                         std::string_view::npos;
  }
  const char* message = total == 0 ? "empty input"
                        : blank    ? "input holds only whitespace"
                                   : "not FHIR JSON, FHIR XML or NDJSON (a JSON document must be "
                                     "one object, in UTF-8)";
  return refuse({where, 400, "structure", message, "", false}, nullptr, serve::BodyFormat::kJson);
}

Status FileRun::stream(const std::string& where, ByteStream& bytes) {
  PeekableStream stream(bytes);
  switch (sniffStream(stream, where)) {
    case ContentKind::kNdjson:
      return ndjson(where, stream);
    case ContentKind::kFhirJson:
      return document(where, stream, serve::BodyFormat::kJson);
    case ContentKind::kFhirXml:
      return document(where, stream, serve::BodyFormat::kXml);
    case ContentKind::kUnknown:
      break;
  }
  return unknown(where, stream);
}

}  // namespace

Result<FileReport> FileJournaler::journal(const fs::path& file, const std::atomic<bool>& stop) {
  FileRun run(journal_, committed_, options_, stop);
  const std::string full = file.string();
  const std::string name = file.filename().string();
  Status status = forEachInputStream({file}, [&](const InputName& input, ByteStream& bytes) {
    if (stop.load()) return Status(makeError(ErrorCode::kIo, "stopped", name));
    // Names in the reason file and dead letter are the file's own, not the inbox's path.
    std::string where = input.display;
    if (where.rfind(full, 0) == 0) where = name + where.substr(full.size());
    return run.stream(where, bytes);
  });
  if (!status) return status.error();
  if (Status flushed = run.flush(); !flushed) return flushed.error();
  return run.take();
}

}  // namespace fhir837::inbox
