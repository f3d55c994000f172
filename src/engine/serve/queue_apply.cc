#include "engine/serve/queue_apply.h"

#include <future>

#include "engine/serve/resource_intake.h"

namespace fhir837::serve {

namespace {

constexpr const char* kBase = "/fhir";

Error notRetried(const std::string& why) { return makeError(ErrorCode::kRejected, why); }

const char* kindText(WriteKind kind) {
  switch (kind) {
    case WriteKind::kCreated:
      return "created";
    case WriteKind::kUpdated:
      return "updated";
    case WriteKind::kUnchanged:
      return "unchanged";
    case WriteKind::kExisting:
      return "existing";
    case WriteKind::kPreconditionFailed:
      return "precondition failed";
    case WriteKind::kConflict:
      return "conflict";
  }
  return "?";
}

// The path of the refused request, below the FHIR base: {"Patient", "p1"}; nullopt elsewhere.
std::optional<std::vector<std::string>> segmentsOf(std::string target) {
  target = target.substr(0, target.find('?'));
  const std::string base = kBase;
  if (target.rfind(base, 0) != 0) return std::nullopt;
  std::string rest = target.substr(base.size());
  if (!rest.empty() && rest[0] != '/') return std::nullopt;
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start < rest.size() + 1 && !rest.empty()) {
    const std::size_t end = std::min(rest.find('/', start), rest.size());
    if (end > start) segments.push_back(rest.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

// Writes the batch and waits for its commit: the caller is the billing thread or a command,
// never the journal's own threads.
Result<BatchResult> store(Journal& journal, WriteBatch batch) {
  std::promise<Result<BatchResult>> promise;
  auto future = promise.get_future();
  journal.submit(std::move(batch),
                 [&promise](Result<BatchResult> result) { promise.set_value(std::move(result)); });
  return future.get();
}

}  // namespace

Result<std::string> retryDeadLetter(const QueueItem& letter, QueueApplyContext& context) {
  if (!context.journal) return makeError(ErrorCode::kIo, "no journal to retry into");
  const bool isPost = letter.method == "POST";
  // A part of a file the inbox refused: taken in as the inbox takes it (no path, each resource
  // created or given a new version).
  const bool isFile = letter.method == "FILE";
  const auto segments = isFile ? std::optional<std::vector<std::string>>(std::vector<std::string>{})
                               : segmentsOf(letter.target);
  if ((!isPost && !isFile && letter.method != "PUT") || !segments ||
      (isPost && segments->size() > 1) || (letter.method == "PUT" && segments->size() != 2)) {
    return notRetried(letter.method + " " + letter.target + " is not a request that stores");
  }
  if (isPost && segments->size() == 1 && (*segments)[0] == "$process-message") {
    return notRetried(
        "a message is answered with its stored response, which a refused one does not have: "
        "the sender must send it again");
  }
  const std::string& type = letter.contentType;
  const bool xml = type.find("xml") != std::string::npos;
  if (!xml && type.find("json") == std::string::npos) {
    return notRetried("Content-Type '" + type +
                      "' cannot be read: send application/fhir+json or application/fhir+xml");
  }
  if (!letter.body) return notRetried("the dead letter's body was not read");
  if (letter.body->size() > context.limits.maxBytes) {
    return notRetried("request body over max_body (" + std::to_string(context.limits.maxBytes) +
                      " bytes)");
  }
  const std::string pathType = segments->empty() ? "" : (*segments)[0];
  const std::string pathId = segments->size() == 2 ? (*segments)[1] : "";
  BundleOptions bundleOptions;
  bundleOptions.findExisting = existingIdsIn(*context.journal);
  Intake intake = analyseBody(*letter.body, xml ? BodyFormat::kXml : BodyFormat::kJson, pathType,
                              pathId, context.limits, bundleOptions);
  if (intake.problem) {
    return notRetried(std::to_string(intake.problem->httpStatus) + " " + intake.problem->issueCode +
                      ": " + intake.problem->diagnostics);
  }
  WriteBatch batch;
  if (intake.resource) {
    // Its If-Match / If-None-Exist headers were not kept: without them the write would not be
    // the one that was refused.
    if (letter.httpStatus == 412 && !isFile) {
      return notRetried(
          "its precondition (If-Match / If-None-Exist header) is not kept with the body: the "
          "sender must send it again");
    }
    intake.resource->createOnly = isPost;
    batch.writes.push_back(std::move(*intake.resource));
  } else if (intake.bundle) {
    const BundleIntake& bundle = *intake.bundle;
    if (bundle.type == "message") {
      return notRetried(
          "a message is answered with its stored response, which a refused one does not have: "
          "the sender must send it again");
    }
    for (const BundleEntryIntake& entry : bundle.entries) {
      if (entry.problem) {
        return notRetried(std::to_string(entry.problem->httpStatus) + " " +
                          entry.problem->issueCode + ": " + entry.problem->diagnostics);
      }
      if (entry.write) batch.writes.push_back(*entry.write);
    }
    batch.atomic = bundle.type != "batch" && bundle.type != "history";
  }
  if (batch.writes.empty()) return std::string("nothing to store");
  auto stored = store(*context.journal, std::move(batch));
  if (!stored) return stored.error();
  std::string written, refused;
  for (const WriteResult& result : stored->results) {
    std::string& into =
        result.kind == WriteKind::kConflict || result.kind == WriteKind::kPreconditionFailed
            ? refused
            : written;
    if (!into.empty()) into += ", ";
    into += result.type + "/" + result.id + " " + kindText(result.kind);
    if (&into == &refused && !result.detail.empty()) into += " (" + result.detail + ")";
  }
  if (!refused.empty()) {
    return notRetried(refused + (stored->committed ? "" : ": nothing was stored"));
  }
  return written;
}

Status applyQueueAction(QueueStore& store, const QueueAction& action, QueueApplyContext& context,
                        std::int64_t now) {
  auto finish = [&](const std::string& state, const std::string& result) {
    return store.finishAction(action.number, state, result, now);
  };
  auto item = store.find(action.item, true);
  if (!item) return item.error();
  if (!*item) return finish("failed", "no such item in the queue (billed, or never there)");
  if (action.action == "drop") {
    if (Status s = store.mark(action.item, "dropped", action.by, action.reason, now); !s) return s;
    return finish("done", "dropped");
  }
  if ((*item)->kind == "review") {
    const std::string eventKey = action.item.substr(std::string("review:").size());
    auto group = store.groupOfEvent(eventKey);
    if (!group) return group.error();
    if (Status s = store.makeGroupDue(*group); !s) return s;
    if (context.groupDue) context.groupDue(*group);
    if (Status s = store.unmark(action.item); !s) return s;
    return finish("done", "due again: " + *group + " is coded " + context.codedWhen);
  }
  if ((*item)->state == "retried") return finish("failed", "retried already");
  auto retried = retryDeadLetter(**item, context);
  if (!retried) {
    if (retried.error().code == ErrorCode::kIo) return retried.error();  // tried again later
    return finish("failed", retried.error().message);
  }
  if (Status s = store.mark(action.item, "retried", action.by, *retried, now); !s) return s;
  return finish("done", "stored: " + *retried);
}

}  // namespace fhir837::serve
