#include "sources/http/ops_metrics.h"

#include <algorithm>
#include <iterator>

namespace fhir837::http {

namespace {

const std::vector<double> kLatencyBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                            0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> kBatchBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

}  // namespace

OpsMetrics::OpsMetrics()
    : requests_(registry_.counter("fhir837_http_requests_total",
                                  "HTTP requests answered, by method, route template and status",
                                  {"method", "route", "status"})),
      requestSeconds_(registry_.histogram("fhir837_http_request_duration_seconds",
                                          "Time from the request to its answer", kLatencyBounds)),
      resources_(registry_.counter(
          "fhir837_resources_received_total",
          "Resources committed to the journal (created, updated or a repeat), by type", {"type"})),
      decisions_(registry_.counter(
          "fhir837_billing_decisions_total",
          "Billing decisions made for events (an event is decided again when its encounter "
          "changes or data it waited for arrives), by outcome and rule",
          {"outcome", "rule"})),
      claims_(registry_.counter("fhir837_claims_written_total",
                                "Claims written to the outbox (replacements and voids included)")),
      interchanges_(registry_.counter("fhir837_interchanges_written_total",
                                      "X12 interchanges written to the outbox")),
      billingErrors_(registry_.counter(
          "fhir837_billing_errors_total",
          "Billing rounds that failed on the journal, the state store or the outbox (retried)")),
      pending_(registry_.gauge("fhir837_pending_encounters",
                               "Encounters received and not settled yet (waiting to be complete "
                               "or for missing data)")),
      deadLetter_(registry_.gauge("fhir837_dead_letter_size",
                                  "Refused requests kept in the dead "
                                  "letter")),
      reviewQueue_(registry_.gauge("fhir837_review_queue_size", "Events that need review")),
      commitSeconds_(registry_.histogram("fhir837_journal_commit_duration_seconds",
                                         "Journal group commits (fsync included)", kLatencyBounds)),
      commitBatch_(registry_.histogram("fhir837_journal_commit_batch_size",
                                       "Requests per journal group commit", kBatchBounds)) {
  // Series without labels exist from the start, so a scrape shows 0 rather than nothing.
  requestSeconds_.with({});
  claims_.with({});
  interchanges_.with({});
  billingErrors_.with({});
  pending_.with({});
  deadLetter_.with({});
  reviewQueue_.with({});
  commitSeconds_.with({});
  commitBatch_.with({});
}

void OpsMetrics::requestServed(const std::string& method, const std::string& route, int status,
                               double latencySeconds) {
  // The method is the client's word: anything unusual is one series, not one each.
  static constexpr std::string_view kMethods[] = {"GET",    "HEAD",  "POST",   "PUT",
                                                  "DELETE", "PATCH", "OPTIONS"};
  const bool usual =
      std::find(std::begin(kMethods), std::end(kMethods), method) != std::end(kMethods);
  requests_.with({usual ? std::string_view(method) : "other", route, std::to_string(status)}).add();
  requestSeconds_.with({}).observe(latencySeconds);
}

void OpsMetrics::journalCommitted(std::chrono::duration<double> latency, std::size_t requests) {
  commitSeconds_.with({}).observe(latency.count());
  commitBatch_.with({}).observe(static_cast<double>(requests));
}

void OpsMetrics::resourceReceived(std::string_view type) { resources_.with({type}).add(); }

void OpsMetrics::deadLetterSize(std::int64_t rows) {
  deadLetter_.with({}).set(static_cast<double>(rows));
}

void OpsMetrics::eventDecided(std::string_view state, std::string_view rule) {
  decisions_.with({state, rule}).add();
}

void OpsMetrics::written(std::size_t claims, std::size_t interchanges) {
  claims_.with({}).add(claims);
  interchanges_.with({}).add(interchanges);
}

void OpsMetrics::billingFailed() { billingErrors_.with({}).add(); }

void OpsMetrics::backlog(std::size_t pendingEncounters, std::int64_t reviewQueue) {
  pending_.with({}).set(static_cast<double>(pendingEncounters));
  if (reviewQueue >= 0) reviewQueue_.with({}).set(static_cast<double>(reviewQueue));
}

}  // namespace fhir837::http
