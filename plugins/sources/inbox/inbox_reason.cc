#include "sources/inbox/inbox_reason.h"

#include <time.h>

#include <cstdio>

#include "core/json_string.h"

namespace fhir837::inbox {

std::string utcInstant(std::int64_t epochSeconds) {
  const time_t seconds = static_cast<time_t>(epochSeconds);
  struct tm parts {};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec);
  return text;
}

std::string renderReason(const std::string& file, std::int64_t epochSeconds, bool error,
                         const FileReport& report) {
  std::string out = "{\"file\":";
  appendJsonString(out, file);
  out += ",\"time\":";
  appendJsonString(out, utcInstant(epochSeconds));
  out += error ? ",\"moved_to\":\"error\"" : ",\"moved_to\":\"done\"";
  out += ",\"stored\":" + std::to_string(report.stored) +
         ",\"refused_count\":" + std::to_string(report.refusedCount) + ",\"refused\":[";
  bool first = true;
  for (const Refusal& refusal : report.refused) {
    out += first ? "{\"where\":" : ",{\"where\":";
    first = false;
    appendJsonString(out, refusal.where);
    out += ",\"status\":" + std::to_string(refusal.status) + ",\"code\":";
    appendJsonString(out, refusal.code);
    out += ",\"message\":";
    appendJsonString(out, refusal.message);
    out += ",\"path\":";
    appendJsonString(out, refusal.path);
    out += refusal.deadLetter ? ",\"dead_letter\":true}" : ",\"dead_letter\":false}";
  }
  out += "]}\n";
  return out;
}

}  // namespace fhir837::inbox
