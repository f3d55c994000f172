#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fhir837::serve {

// What the journal and the billing side report about their work, for the operations endpoints
// (/metrics). They know only this interface; every method is a no-op by default, so tests and
// batch tools pass nothing. Implementations must be thread-safe and cheap: they are called on the
// journal's writer thread and the billing thread.
class Telemetry {
 public:
  virtual ~Telemetry() = default;
  // Journal writer: one group commit (BEGIN..COMMIT, fsync included) of `requests` requests.
  virtual void journalCommitted(std::chrono::duration<double> /*latency*/,
                                std::size_t /*requests*/) {}
  // Journal writer: a committed resource (created, updated or an unchanged repeat).
  virtual void resourceReceived(std::string_view /*type*/) {}
  // Journal writer: rows in the dead letter (at start, then after each commit that added some).
  virtual void deadLetterSize(std::int64_t /*rows*/) {}
  // Billing: an event's decision in a round (state "billed", "pending", ... and its rule).
  virtual void eventDecided(std::string_view /*state*/, std::string_view /*rule*/) {}
  // Billing: claims and interchanges a round wrote to the outbox.
  virtual void written(std::size_t /*claims*/, std::size_t /*interchanges*/) {}
  // Billing: a round failed (journal or state store error); it is tried again.
  virtual void billingFailed() {}
  // Billing, after each round: encounters not settled yet, and events needing review.
  virtual void backlog(std::size_t /*pendingEncounters*/, std::int64_t /*reviewQueue*/) {}
};

// The no-op instance.
Telemetry& noTelemetry();

}  // namespace fhir837::serve
