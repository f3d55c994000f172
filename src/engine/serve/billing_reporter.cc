#include "engine/serve/billing_reporter.h"

#include <string>

namespace fhir837::serve {

void BillingReporter::failed(const Error& error) {
  telemetry_.billingFailed();
  // Repeats are the same failure even where the place differs (each retry names a new temporary
  // file), so they are told apart by code and message only.
  const std::string kind = std::string(toString(error.code)) + ": " + error.message;
  const RepeatLimiter::Decision decision = errors_.failed(kind, RepeatLimiter::Clock::now());
  if (!decision.log) return;
  LogLine line("error", "billing_error");
  line.str("error", error.describe());
  if (decision.repeats > 0) line.num("repeated", static_cast<std::int64_t>(decision.repeats));
  writeLog(line);
}

void BillingReporter::coded() {
  if (!errors_.failing()) return;
  writeLog(LogLine("info", "billing_recovered")
               .num("repeated", static_cast<std::int64_t>(errors_.recovered())));
}

void BillingReporter::decided(const std::vector<EventBillingStatus>& statuses, std::size_t claims,
                              std::size_t interchanges) {
  for (const EventBillingStatus& status : statuses) {
    telemetry_.eventDecided(status.state, status.rule);
    writeLog(LogLine("info", "billing_decision")
                 .str("resource", status.eventKey)
                 .str("outcome", status.state)
                 .str("rule", status.rule));
  }
  telemetry_.written(claims, interchanges);
}

void BillingReporter::backlog(std::size_t pendingEncounters,
                              const Result<std::int64_t>& reviewQueue) {
  telemetry_.backlog(pendingEncounters, reviewQueue ? *reviewQueue : -1);
}

}  // namespace fhir837::serve
