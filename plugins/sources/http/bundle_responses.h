#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/serve/journal.h"
#include "engine/serve/resource_intake.h"
#include "sources/http/fhir_out.h"

namespace fhir837::http {

// What the client asked to get back of a write (Prefer: return=...).
enum class ReturnPreference { kRepresentation, kMinimal, kOutcome };
ReturnPreference returnPreferenceOf(const std::string& prefer);

// One entry of a transaction-response / batch-response.
struct EntryResponse {
  int status = 200;
  std::string location;      // "Patient/p1/_history/1"
  std::string etag;          // W/"1"
  std::string lastModified;  // instant
  std::string resource;      // a stored body, embedded as entry.resource (empty: none)
  std::optional<OutNode> outcome;
  std::string issueCode, diagnostics;  // a refused entry's, as its outcome says them
};

// "Patient/p1 created 1", "... unchanged: same content as version 1": what a write did.
std::string writeSummary(const serve::WriteResult& result);

// The entry of a write the journal answered: 201/200 with location and etag, or 409/412 at
// `where` (the entry's path). The resource is embedded only when asked for and stored in `format`
// (bodies are served as stored); otherwise an informational outcome says what happened, as for a
// single resource.
EntryResponse writtenEntry(const serve::ResourceWrite& write, const serve::WriteResult& result,
                           serve::BodyFormat format, ReturnPreference preference,
                           const std::string& where);
// An entry that was refused (its own OperationOutcome, 4xx/5xx).
EntryResponse refusedEntry(int status, const std::string& code, const std::string& diagnostics,
                           const std::string& expression);
// An entry that stored nothing and was not refused (a protocol entry, a skipped one).
EntryResponse noteEntry(const std::string& diagnostics, const std::string& expression);

// A response Bundle (transaction-response, batch-response): one entry per request entry, in
// order.
OutNode responseBundle(const std::string& id, const std::string& type,
                       const std::vector<EntryResponse>& entries);

// The answer to a message: a message Bundle whose MessageHeader names the request's
// (response.identifier) with response.code ok, echoing its event; `endpoint` is this server.
OutNode messageResponse(const serve::BundleIntake& request, const std::string& id,
                        const std::string& headerId, const std::string& timestamp,
                        const std::string& endpoint);

}  // namespace fhir837::http
