#include "store/nats/ledger_records.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/serve/content_hash.h"

namespace fhir837 {

namespace ledger_keys {

std::string hashed(std::string_view name) { return serve::sha256Hex(name); }

std::string event(const std::string& eventKey, std::uint64_t n) {
  return "ev." + hashed(eventKey) + "." + std::to_string(n);
}
std::string claim(const std::string& claimKey, std::uint64_t n) {
  return "ck." + hashed(claimKey) + "." + std::to_string(n);
}
std::string claimId(const std::string& claimId, std::uint64_t n) {
  return "cid." + hashed(claimId) + "." + std::to_string(n);
}
std::string keylessClaim(const std::string& claimId, std::uint64_t n) {
  return "nock." + hashed(claimId) + "." + std::to_string(n);
}
std::string fate(const std::string& file) { return "fate." + hashed(file); }
std::string lease(const std::string& partnerKey, std::uint64_t k) {
  return "lease." + hashed(partnerKey) + "." + std::to_string(k);
}

}  // namespace ledger_keys

namespace {

void field(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* name,
           const std::string& value) {
  w.Key(name);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

bool text(const rapidjson::Document& doc, const char* name, std::string& out) {
  auto member = doc.FindMember(name);
  if (member == doc.MemberEnd() || !member->value.IsString()) return false;
  out.assign(member->value.GetString(), member->value.GetStringLength());
  return true;
}

bool number(const rapidjson::Document& doc, const char* name, std::uint64_t& out) {
  auto member = doc.FindMember(name);
  if (member == doc.MemberEnd() || !member->value.IsUint64()) return false;
  out = member->value.GetUint64();
  return true;
}

}  // namespace

std::string encodeAttempt(const AttemptRecord& record) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  field(w, "eventKey", record.entry.eventKey);
  field(w, "claimId", record.entry.claimId);
  field(w, "file", record.entry.file);
  w.Key("isa13");
  w.Uint64(record.entry.interchangeControlNumber);
  field(w, "claimKey", record.entry.claimKey);
  field(w, "owner", record.owner);
  w.Key("events");
  w.Uint64(record.events);
  w.Key("at");
  w.Int64(record.reservedAt);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::optional<AttemptRecord> decodeAttempt(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  AttemptRecord record;
  std::uint64_t events = 0;
  if (!text(doc, "eventKey", record.entry.eventKey) ||
      !text(doc, "claimId", record.entry.claimId) || !text(doc, "file", record.entry.file) ||
      !number(doc, "isa13", record.entry.interchangeControlNumber) ||
      !text(doc, "claimKey", record.entry.claimKey) || !text(doc, "owner", record.owner) ||
      !number(doc, "events", events)) {
    return std::nullopt;
  }
  record.events = static_cast<std::size_t>(events);
  if (auto at = doc.FindMember("at"); at != doc.MemberEnd()) {
    if (!at->value.IsInt64()) return std::nullopt;
    record.reservedAt = at->value.GetInt64();
  }
  return record;
}

}  // namespace fhir837
