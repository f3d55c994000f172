#pragma once

#include <memory>

#include "core/json_log.h"
#include "sources/http/fhir_rest_handler.h"
#include "sources/http/ops_metrics.h"

namespace fhir837::http {

// The access-log line of a request: event "request" with request id, method, route template,
// status, resource type/id, outcome, latency, remote, and the client's certificate subject and
// token label when there are. Only what the entry holds: never a body, a query or a header value.
LogLine accessLogLine(const RequestLogEntry& entry);

// Writes accessLogLine() through writeLog() and, with `metrics`, counts the request there.
class JsonAccessLog final : public RequestLogger {
 public:
  explicit JsonAccessLog(OpsMetrics* metrics = nullptr) : metrics_(metrics) {}
  void log(const RequestLogEntry& entry) override;

 private:
  OpsMetrics* metrics_;
};

}  // namespace fhir837::http
