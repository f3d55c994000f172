#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/serve/journal.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::serve {

// Why a body or entry cannot be accepted: what the OperationOutcome and the dead letter say.
struct IntakeProblem {
  int httpStatus = 400;     // 400 cannot parse, 422 unusable, 404 type not supported, 413 too big
  std::string issueCode;    // OperationOutcome issue code: structure, required, value,
                            // not-supported, too-long, processing, invalid...
  std::string diagnostics;  // what is wrong, no PHI
  std::string expression;   // FHIRPath of the element, e.g. "MedicationAdministration.subject"
};

// A parsed request body: one resource, or a Bundle's entries.
struct BundleEntryIntake {
  std::string fullUrl;
  std::string method;  // request.method for transaction/batch ("POST", "PUT"); empty otherwise
  std::string url;     // request.url
  std::string ifNoneExist, ifMatch;  // request.ifNoneExist / request.ifMatch
  std::string resourceType;          // of entry.resource; empty when it has none
  // The protocol's own entry (a message's MessageHeader, a document's Composition, a
  // notification's SubscriptionStatus / status Parameters): read, never stored.
  bool protocol = false;
  std::optional<ResourceWrite> write;    // what is stored; absent: protocol, problem or skipped
  std::optional<IntakeProblem> problem;  // the entry cannot be used
  std::string sentEntry;                 // refused entries: the entry as sent, for the dead letter
};

struct BundleIntake {
  std::string type;             // transaction, batch, message, collection, document, history
  std::string id;               // Bundle.id
  std::string messageHeaderId;  // message Bundles: the MessageHeader's id
  // message Bundles: the MessageHeader's event (eventCoding, or eventUri) and source.endpoint,
  // echoed in the response's MessageHeader
  std::string eventSystem, eventCode, eventDisplay, eventUri, sourceEndpoint;
  // history Bundles of a subscription notification: "handshake", "heartbeat",
  // "event-notification", "query-status"... (from the SubscriptionStatus entry); empty otherwise
  std::string notificationType;
  std::vector<BundleEntryIntake> entries;
};

// How Bundles are taken in.
struct BundleOptions {
  std::size_t maxEntries = 10000;  // more: 413 too-long
  // The current ids of `query`'s type whose identifiers match: resolves a conditional create
  // (request.ifNoneExist) before the bodies are cut, so a urn:uuid reference to that entry points
  // at the resource that exists. Null: not resolved (references point at the new id).
  std::function<Result<std::vector<std::string>>(const IdentifierQuery&)> findExisting;
};

// BundleOptions::findExisting answered from the journal's current resources (read before the
// commit: the journal checks the condition again inside its transaction).
std::function<Result<std::vector<std::string>>(const IdentifierQuery&)> existingIdsIn(
    Journal& journal);

// Exactly one of the three is set.
struct Intake {
  std::optional<ResourceWrite> resource;  // a single resource (not a Bundle)
  std::optional<BundleIntake> bundle;
  std::optional<IntakeProblem> problem;  // the body as a whole cannot be accepted
};

// The resource types the daemon accepts on /fhir/{type} (the ones the pipeline resolves).
const std::vector<std::string>& supportedResourceTypes();
bool isSupportedType(std::string_view type);

// Parses `body` with the pipeline's own parsers and binder, checks it, and analyses it into the
// writes the journal stores (id, hash, references, identifiers, event/encounter facts). Bundle
// entries' urn:uuid fullUrls are resolved to the Type/id they get, in the bodies too. `pathType`
// / `pathId`: the type and id in the URL (empty for POST /fhir). Errors are IntakeProblems, never
// exceptions.
Intake analyseBody(std::string_view body, BodyFormat format, std::string_view pathType,
                   std::string_view pathId, const ParseLimits& limits, const BundleOptions& bundle);
inline Intake analyseBody(std::string_view body, BodyFormat format, std::string_view pathType,
                          std::string_view pathId, const ParseLimits& limits) {
  return analyseBody(body, format, pathType, pathId, limits, BundleOptions{});
}

}  // namespace fhir837::serve
