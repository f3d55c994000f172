#pragma once

#include <string>

#include "engine/serve/telemetry.h"
#include "sources/http/metrics_registry.h"

namespace fhir837::http {

// The daemon's metrics (GET /metrics): what the journal and billing report through
// serve::Telemetry, and what the access log reports per request.
class OpsMetrics final : public serve::Telemetry {
 public:
  OpsMetrics();

  // One answered request: `route` is the template ("/fhir/{type}/{id}"), never the raw target.
  void requestServed(const std::string& method, const std::string& route, int status,
                     double latencySeconds);
  std::string render() const { return registry_.render(); }

  void journalCommitted(std::chrono::duration<double> latency, std::size_t requests) override;
  void resourceReceived(std::string_view type) override;
  void deadLetterSize(std::int64_t rows) override;
  void eventDecided(std::string_view state, std::string_view rule) override;
  void written(std::size_t claims, std::size_t interchanges) override;
  void billingFailed() override;
  void backlog(std::size_t pendingEncounters, std::int64_t reviewQueue) override;

 private:
  MetricsRegistry registry_;
  CounterFamily& requests_;
  HistogramFamily& requestSeconds_;
  CounterFamily& resources_;
  CounterFamily& decisions_;
  CounterFamily& claims_;
  CounterFamily& interchanges_;
  CounterFamily& billingErrors_;
  GaugeFamily& pending_;
  GaugeFamily& deadLetter_;
  GaugeFamily& reviewQueue_;
  HistogramFamily& commitSeconds_;
  HistogramFamily& commitBatch_;
};

}  // namespace fhir837::http
