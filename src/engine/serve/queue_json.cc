#include "engine/serve/queue_json.h"

#include "core/json_string.h"

namespace fhir837::serve {

namespace {

void field(std::string& out, const char* name, const std::string& value) {
  out += ",\"";
  out += name;
  out += "\":";
  appendJsonString(out, value);
}

void field(std::string& out, const char* name, std::int64_t value) {
  out += ",\"";
  out += name;
  out += "\":" + std::to_string(value);
}

}  // namespace

std::string queueAge(const QueueItem& item, std::int64_t now) {
  if (item.since == 0) return "-";
  const std::int64_t age = std::max<std::int64_t>(0, now - item.since);
  if (age < 120) return std::to_string(age) + "s";
  if (age < 2 * 3600) return std::to_string(age / 60) + "m";
  if (age < 2 * 86400) return std::to_string(age / 3600) + "h";
  return std::to_string(age / 86400) + "d";
}

std::string queueItemJson(const QueueItem& item, std::int64_t now, bool detail) {
  std::string out = "{\"id\":";
  appendJsonString(out, item.id);
  field(out, "kind", item.kind);
  field(out, "rule", item.rule);
  field(out, "reason", item.reason);
  if (item.since == 0) {
    out += ",\"since\":null,\"ageSeconds\":null";
  } else {
    field(out, "since", item.since);
    field(out, "ageSeconds", std::max<std::int64_t>(0, now - item.since));
  }
  field(out, "state", item.state);
  if (item.state != "open") {
    field(out, "markedBy", item.markedBy);
    field(out, "markedAt", item.markedAt);
    field(out, "markReason", item.markReason);
  }
  if (detail && item.kind == "review") {
    field(out, "group", item.groupKey);
    field(out, "path", item.path);
    out += ",\"waitingFor\":[";
    for (std::size_t i = 0; i < item.waitingFor.size(); ++i) {
      if (i) out += ',';
      appendJsonString(out, item.waitingFor[i]);
    }
    // The billing store's own JSON line, embedded as it is.
    out += "],\"trail\":" + (item.trail.empty() ? std::string("null") : item.trail);
  } else if (detail) {
    field(out, "received", item.received);
    field(out, "httpStatus", item.httpStatus);
    field(out, "method", item.method);
    field(out, "target", item.target);
    field(out, "contentType", item.contentType);
    field(out, "bodyBytes", static_cast<std::int64_t>(item.bodyBytes));
    if (item.body) field(out, "body", *item.body);
  }
  return out + "}";
}

std::string queueListJson(const std::vector<QueueItem>& items, std::int64_t now) {
  std::string out = "{\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += queueItemJson(items[i], now, false);
  }
  return out + "]}";
}

std::string queueActionJson(const QueueAction& action) {
  std::string out = "{\"action\":" + std::to_string(action.number);
  field(out, "item", action.item);
  field(out, "kind", action.action);
  field(out, "state", action.state);
  field(out, "result", action.result);
  field(out, "by", action.by);
  field(out, "reason", action.reason);
  field(out, "requestedAt", action.requestedAt);
  field(out, "appliedAt", action.appliedAt);
  return out + "}";
}

}  // namespace fhir837::serve
