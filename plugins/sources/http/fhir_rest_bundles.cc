// POST /fhir with a Bundle, and POST /fhir/$process-message: the FHIR R4 rules for transaction
// (all or nothing), batch (each entry alone), message (reliable delivery), collection/document
// (every resource stored, all or nothing) and history (subscription notifications).

#include <mutex>

#include "engine/serve/content_hash.h"
#include "engine/serve/journal_time.h"
#include "sources/http/bundle_responses.h"
#include "sources/http/fhir_rest_handler_impl.h"

namespace fhir837::http::rest_detail {

namespace {

std::string entryPath(std::size_t index) { return "Bundle.entry[" + std::to_string(index) + "]"; }

// The writes of a Bundle as one journal request; entryOf[k] is the entry of write k.
struct PlannedBatch {
  serve::WriteBatch batch;
  std::vector<std::size_t> entryOf;
};

PlannedBatch plan(const serve::BundleIntake& bundle, bool atomic) {
  PlannedBatch planned;
  planned.batch.atomic = atomic;
  for (std::size_t i = 0; i < bundle.entries.size(); ++i) {
    if (!bundle.entries[i].write) continue;
    planned.batch.writes.push_back(*bundle.entries[i].write);
    planned.entryOf.push_back(i);
  }
  return planned;
}

bool refusedKind(serve::WriteKind kind) {
  return kind == serve::WriteKind::kConflict || kind == serve::WriteKind::kPreconditionFailed;
}

// Why an entry stored nothing although it was not refused.
std::string quietReason(const serve::BundleEntryIntake& entry, const serve::BundleIntake& bundle) {
  if (!entry.protocol) return "the entry has no resource: nothing stored";
  if (!bundle.notificationType.empty()) {
    return "the subscription status (" + bundle.notificationType + "): read, not stored";
  }
  return entry.resourceType + " is the " + bundle.type + "'s own entry: read, not stored";
}

}  // namespace

serve::BundleOptions FhirRestHandler::bundleOptions() {
  serve::BundleOptions options;
  options.maxEntries = options_.maxBundleEntries;
  // Read before the commit, so that a urn:uuid reference to a conditional create names the
  // resource that matched; the journal checks the condition again inside its transaction.
  options.findExisting = serve::existingIdsIn(journal_);
  return options;
}

void FhirRestHandler::bundle(const CallPtr& call, serve::BundleIntake intake, bool processMessage) {
  call->log.type = "Bundle";
  call->log.id = intake.id;
  if (processMessage && intake.type != "message") {
    return refuse(call, 400, "invalid",
                  "$process-message takes a message Bundle, not a " + intake.type, "Bundle.type");
  }
  auto shared = std::make_shared<const serve::BundleIntake>(std::move(intake));
  const std::string& type = shared->type;
  if (type == "transaction") return transaction(call, shared);
  if (type == "message") return message(call, shared);
  if (type == "collection" || type == "document") return collection(call, shared);
  const std::string& notification = shared->notificationType;
  if (!notification.empty() && notification != "event-notification" &&
      notification != "query-event") {
    // handshake, heartbeat, query-status: the channel works; there is nothing to store.
    return finish(call, outcomeResponse(200, "informational",
                                        "subscription notification (" + notification +
                                            ") received: nothing stored",
                                        "", call->format, "information"));
  }
  batch(call, shared);  // batch, history, event notifications
}

// Transaction, message, collection, document: one unusable entry refuses the whole Bundle, which
// is kept in the dead letter. An entry's 404 (type) or 405 (method) is not the status of POST
// /fhir itself: the Bundle is unprocessable (422).
bool FhirRestHandler::refuseFirstProblem(const CallPtr& call, const serve::BundleIntake& bundle) {
  for (const serve::BundleEntryIntake& entry : bundle.entries) {
    if (!entry.problem) continue;
    const serve::IntakeProblem& why = *entry.problem;
    const int status = why.httpStatus == 404 || why.httpStatus == 405 ? 422 : why.httpStatus;
    refuse(call, status, why.issueCode, why.diagnostics, why.expression);
    return true;
  }
  return false;
}

// An atomic request the journal rolled back: the first refused write says why (409/412).
void FhirRestHandler::refuseUncommitted(const CallPtr& call, const serve::BundleIntake& bundle,
                                        const std::vector<std::size_t>& entryOf,
                                        const serve::BatchResult& result) {
  for (std::size_t k = 0; k < result.results.size(); ++k) {
    const serve::WriteResult& written = result.results[k];
    if (!refusedKind(written.kind)) continue;
    const std::string where = entryPath(entryOf[k]);
    if (written.kind == serve::WriteKind::kConflict) {
      return refuse(
          call, 409, "conflict",
          written.detail + ": update it with PUT; nothing in the " + bundle.type + " was stored",
          where);
    }
    return refuse(call, 412, "processing",
                  written.detail + "; nothing in the " + bundle.type + " was stored", where);
  }
  refuse(call, 500, "exception", "the journal stored nothing and named no reason");
}

void FhirRestHandler::storeAllOrNothing(const CallPtr& call, const BundlePtr& bundle,
                                        CommittedAnswer answer) {
  if (refuseFirstProblem(call, *bundle)) return;
  PlannedBatch planned = plan(*bundle, true);
  auto entryOf = std::make_shared<std::vector<std::size_t>>(std::move(planned.entryOf));
  journal_.submit(
      std::move(planned.batch),
      [this, call, bundle, entryOf, answer = std::move(answer)](Result<serve::BatchResult> result) {
        if (!result) {
          return refuse(
              call, 503, "transient",
              "the journal could not store the " + bundle->type + ": " + result.error().message);
        }
        if (!result->committed) return refuseUncommitted(call, *bundle, *entryOf, *result);
        notifyBilling(result->results);
        answer(*result, *entryOf);
      });
}

void FhirRestHandler::transaction(const CallPtr& call, const BundlePtr& bundle) {
  storeAllOrNothing(
      call, bundle,
      [this, call, bundle](const serve::BatchResult& result,
                           const std::vector<std::size_t>& entryOf) {
        const ReturnPreference preference = returnPreferenceOf(call->request.header("prefer"));
        std::vector<EntryResponse> entries(bundle->entries.size());
        for (std::size_t k = 0; k < result.results.size(); ++k) {
          const std::size_t i = entryOf[k];
          entries[i] = writtenEntry(*bundle->entries[i].write, result.results[k], call->format,
                                    preference, entryPath(i));
        }
        finish(call,
               documentResponse(
                   200, responseBundle(serve::newResourceId(), "transaction-response", entries),
                   call->format));
      });
}

void FhirRestHandler::batch(const CallPtr& call, const BundlePtr& bundle) {
  PlannedBatch planned = plan(*bundle, false);
  auto entryOf = std::make_shared<std::vector<std::size_t>>(std::move(planned.entryOf));
  auto answer = [this, call, bundle, entryOf](Result<serve::BatchResult> result) {
    if (!result) {
      return refuse(
          call, 503, "transient",
          "the journal could not store the " + bundle->type + ": " + result.error().message);
    }
    notifyBilling(result->results);
    const ReturnPreference preference = returnPreferenceOf(call->request.header("prefer"));
    auto entries = std::make_shared<std::vector<EntryResponse>>(bundle->entries.size());
    std::vector<std::pair<std::size_t, serve::DeadLetter>> letters;
    auto letter = [&](std::size_t i, const EntryResponse& refused, const std::string& body) {
      serve::DeadLetter kept;
      kept.httpStatus = refused.status;
      kept.issueCode = refused.issueCode;
      kept.reason = entryPath(i) + ": " + refused.diagnostics;
      kept.method = call->request.method;
      kept.target = call->request.target;
      kept.contentType = call->request.header("content-type");
      kept.body = body;
      letters.emplace_back(i, std::move(kept));
    };
    for (std::size_t k = 0; k < result->results.size(); ++k) {
      const std::size_t i = (*entryOf)[k];
      const serve::ResourceWrite& write = *bundle->entries[i].write;
      (*entries)[i] =
          writtenEntry(write, result->results[k], call->format, preference, entryPath(i));
      if (refusedKind(result->results[k].kind)) letter(i, (*entries)[i], write.body);
    }
    for (std::size_t i = 0; i < bundle->entries.size(); ++i) {
      const serve::BundleEntryIntake& entry = bundle->entries[i];
      if (entry.write) continue;
      if (entry.problem) {
        const serve::IntakeProblem& why = *entry.problem;
        (*entries)[i] =
            refusedEntry(why.httpStatus, why.issueCode, why.diagnostics, why.expression);
        letter(i, (*entries)[i], entry.sentEntry);
      } else {
        (*entries)[i] = noteEntry(quietReason(entry, *bundle), entryPath(i));
      }
    }
    // Every refused entry is kept before the answer leaves, as a refused body is.
    keepLetters(std::move(letters), [this, call, entries](std::vector<std::size_t> notKept) {
      for (std::size_t i : notKept) {
        (*entries)[i] = refusedEntry(
            503, "transient", "the refused entry could not be kept; send it again", entryPath(i));
      }
      finish(call, documentResponse(
                       200, responseBundle(serve::newResourceId(), "batch-response", *entries),
                       call->format));
    });
  };
  if (planned.batch.writes.empty()) return answer(serve::BatchResult{{}, true, {}, {}});
  journal_.submit(std::move(planned.batch), std::move(answer));
}

void FhirRestHandler::message(const CallPtr& call, const BundlePtr& bundle) {
  if (refuseFirstProblem(call, *bundle)) return;
  PlannedBatch planned = plan(*bundle, true);
  serve::WriteBatch& batch = planned.batch;
  batch.messageKey = bundle->id + "|" + bundle->messageHeaderId;
  // Rendered before the commit: the journal keeps it with the writes, and a repeat of the
  // message gets these bytes back without anything being written again.
  const std::string host = call->request.header("host");
  const std::string endpoint = host.empty() ? options_.base : "http://" + host + options_.base;
  batch.messageResponse =
      render(messageResponse(*bundle, serve::newResourceId(), serve::newResourceId(),
                             serve::journalInstantNow(), endpoint),
             call->format);
  batch.messageContentType = contentTypeOf(call->format);
  auto entryOf = std::make_shared<std::vector<std::size_t>>(std::move(planned.entryOf));
  auto response = std::make_shared<HttpResponse>(
      HttpResponse{200, {{"Content-Type", batch.messageContentType}}, batch.messageResponse});
  journal_.submit(
      std::move(batch), [this, call, bundle, entryOf, response](Result<serve::BatchResult> result) {
        if (!result) {
          return refuse(call, 503, "transient",
                        "the journal could not store the message: " + result.error().message);
        }
        if (result->repeatedResponse) {
          return finish(call, HttpResponse{200,
                                           {{"Content-Type", result->repeatedContentType}},
                                           std::move(*result->repeatedResponse)});
        }
        if (!result->committed) return refuseUncommitted(call, *bundle, *entryOf, *result);
        notifyBilling(result->results);
        finish(call, std::move(*response));
      });
}

// A collection or document is a set of resources: all are stored or none (one journal
// transaction), and the answer is an OperationOutcome that says per entry what was done.
void FhirRestHandler::collection(const CallPtr& call, const BundlePtr& bundle) {
  storeAllOrNothing(
      call, bundle,
      [this, call, bundle](const serve::BatchResult& result,
                           const std::vector<std::size_t>& entryOf) {
        std::vector<OutcomeIssue> issues(bundle->entries.size());
        for (std::size_t i = 0; i < bundle->entries.size(); ++i) {
          issues[i] = {"information",
                       "informational",
                       quietReason(bundle->entries[i], *bundle),
                       {entryPath(i)}};
        }
        for (std::size_t k = 0; k < result.results.size(); ++k) {
          issues[entryOf[k]].diagnostics = writeSummary(result.results[k]);
        }
        if (issues.empty()) {
          issues.push_back(
              {"information", "informational", "the " + bundle->type + " is empty", {}});
        }
        finish(call, documentResponse(200, operationOutcome(issues), call->format));
      });
}

void FhirRestHandler::keepLetters(std::vector<std::pair<std::size_t, serve::DeadLetter>> letters,
                                  std::function<void(std::vector<std::size_t>)> then) {
  if (letters.empty()) return then({});
  struct Pending {
    std::mutex mutex;
    std::size_t left = 0;
    std::vector<std::size_t> notKept;
    std::function<void(std::vector<std::size_t>)> then;
  };
  auto pending = std::make_shared<Pending>();
  pending->left = letters.size();
  pending->then = std::move(then);
  for (auto& [index, letter] : letters) {
    journal_.submitDeadLetter(std::move(letter), [pending, index = index](Status kept) {
      std::unique_lock lock(pending->mutex);
      if (!kept) pending->notKept.push_back(index);
      if (--pending->left > 0) return;
      lock.unlock();
      pending->then(std::move(pending->notKept));
    });
  }
}

}  // namespace fhir837::http::rest_detail
