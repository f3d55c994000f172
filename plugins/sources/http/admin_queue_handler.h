#pragma once

#include <memory>
#include <string>

#include "engine/clock.h"
#include "engine/serve/queue_service.h"
#include "sources/http/fhir_http_types.h"

namespace fhir837::http {

// The operator queue over HTTP, for admins (the same QueueService as `fhir837 queue`). Mounted
// under `prefix` behind the ops router, which does authentication and the admin scope:
//   GET  {prefix}[?all=true]          {"items":[...]}
//   GET  {prefix}/{id}[?body=true]    the item in full (404 if unknown)
//   POST {prefix}/{id}/retry          200 the action (done / failed), 202 while the daemon has yet
//                                     to apply it
//   POST {prefix}/{id}/drop           body {"reason":"..."}; 400 without one
// Ids as on the command line (review:MedicationAdministration/ma1, dead:42), percent-encoding
// allowed. Refusals are OperationOutcomes. Who acted is recorded: the mTLS subject, else the
// bearer token's label, else the client's address.
std::unique_ptr<RequestHandler> makeAdminQueueHandler(serve::QueueService& queue,
                                                      const Clock& clock,
                                                      std::string prefix = "/admin/queue");

}  // namespace fhir837::http
