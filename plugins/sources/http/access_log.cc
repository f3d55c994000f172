#include "sources/http/access_log.h"

namespace fhir837::http {

LogLine accessLogLine(const RequestLogEntry& e) {
  LogLine line(e.status >= 500 ? "error" : e.status >= 400 ? "warn" : "info", "request");
  line.str("request_id", e.requestId)
      .str("method", e.method)
      .str("route", e.route)
      .num("status", e.status);
  if (!e.type.empty()) line.str("type", e.type);
  if (!e.id.empty()) line.str("id", e.id);
  if (!e.outcome.empty()) line.str("outcome", e.outcome);
  line.millis("latency_ms", e.latencyMs).str("remote", e.remote);
  if (!e.clientSubject.empty()) line.str("client_subject", e.clientSubject);
  if (!e.tokenLabel.empty()) line.str("token", e.tokenLabel);
  return line;
}

void JsonAccessLog::log(const RequestLogEntry& entry) {
  if (metrics_) {
    metrics_->requestServed(entry.method, entry.route, entry.status, entry.latencyMs / 1000.0);
  }
  writeLog(accessLogLine(entry));
}

RequestLogger& stderrRequestLogger() {
  static JsonAccessLog log;
  return log;
}

}  // namespace fhir837::http
