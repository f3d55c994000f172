#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/json_log.h"
#include "core/result.h"
#include "engine/serve/billing_service.h"
#include "engine/serve/telemetry.h"

namespace fhir837::serve {

// What the billing thread tells operators: metrics through Telemetry, and log lines (each
// decision by event key, outcome and rule, never its reason, which may quote the data; a failure
// that persists once, then a count a minute). Billing thread only.
class BillingReporter {
 public:
  explicit BillingReporter(Telemetry& telemetry) : telemetry_(telemetry) {}
  // A round failed; it is tried again.
  void failed(const Error& error);
  // A round coded something: a failure before it is over.
  void coded();
  // A committed round's decisions and what it wrote to the outbox.
  void decided(const std::vector<EventBillingStatus>& statuses, std::size_t claims,
               std::size_t interchanges);
  void backlog(std::size_t pendingEncounters, const Result<std::int64_t>& reviewQueue);

 private:
  Telemetry& telemetry_;
  RepeatLimiter errors_;
};

}  // namespace fhir837::serve
