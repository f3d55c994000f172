#pragma once

// A fluent builder of FHIR R4 JSON Bundles in the shape of samples/01-scig-95min-office: one
// patient (the subscriber), Aetna coverage, an AMB encounter at an office (POS 11), a valid billing
// Organization, and one MedicationAdministration of Hizentra 10 g SC on a pump for 95 minutes. Each
// case bends the pieces it is about; further administrations copy the current one.

#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fhir837::testing {

inline constexpr const char* kSnomedSys = "http://snomed.info/sct";
inline constexpr const char* kV2RouteSys = "http://terminology.hl7.org/CodeSystem/v2-0162";
inline constexpr const char* kHcpcsSys = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";

// A CodeableConcept with one coding (and optional text).
inline std::string codeable(const std::string& system, const std::string& code,
                            const std::string& text = "") {
  std::string json = R"({"coding":[{"system":")" + system + R"(","code":")" + code + R"("}])";
  if (!text.empty()) json += R"(,"text":")" + text + "\"";
  return json + "}";
}
inline std::string textConcept(const std::string& text) { return R"({"text":")" + text + "\"}"; }

inline const std::string kRouteSc = codeable(kSnomedSys, "34206005");
inline const std::string kRouteIv = codeable(kSnomedSys, "47625008");
inline const std::string kRouteIm = codeable(kSnomedSys, "78421000");
inline const std::string kSiteThigh = codeable(kSnomedSys, "61685007");
inline const std::string kSiteAbdomen = codeable(kSnomedSys, "818983003");
inline const std::string kRateQuantity =
    R"("rateQuantity":{"value":35,"unit":"mL/h","system":"http://unitsofmeasure.org","code":"mL/h"})";
inline const std::string kRateRatio =
    R"("rateRatio":{"numerator":{"value":35,"system":"http://unitsofmeasure.org","code":"mL"},)"
    R"("denominator":{"value":1,"system":"http://unitsofmeasure.org","code":"h"}})";

inline std::string quantity(const std::string& value, const std::string& unit) {
  return R"({"value":)" + value + R"(,"unit":")" + unit +
         R"(","system":"http://unitsofmeasure.org","code":")" + unit + "\"}";
}

// Wall-clock time on 2025-03-10 at UTC-05:00, the samples' date and offset.
inline std::string localTime(int minutesAfterMidnight, int seconds = 0) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "2025-03-10T%02d:%02d:%02d-05:00", minutesAfterMidnight / 60,
                minutesAfterMidnight % 60, seconds);
  return buffer;
}

class BundleBuilder {
 public:
  struct Admin {
    std::string id = "ma-1";
    std::string status = "completed";
    std::string statusReason;
    std::string effective = periodMember(localTime(9 * 60), localTime(9 * 60 + 95));
    std::string route = kRouteSc;
    std::string site = kSiteThigh;
    std::string method = textConcept("Subcutaneous infusion by pump");
    bool device = true;
    std::string rate = kRateQuantity;
    std::string dose = quantity("10", "g");
    std::string medication = "hizentra";
    std::string encounter = "enc-1";
    std::vector<std::string> extensions;
    std::string procedureCode;  // partOf a Procedure coded with this CPT
    bool request = false;       // MA.request -> MedicationRequest
    std::string requestRoute;   // its dosageInstruction[0].route
    bool reason = true;
  };

  BundleBuilder() { admins_.emplace_back(); }

  static std::string periodMember(const std::string& start, const std::string& end) {
    std::string json = R"("effectivePeriod":{"start":")" + start + "\"";
    if (!end.empty()) json += R"(,"end":")" + end + "\"";
    return json + "}";
  }

  // --- the current (last added) administration ---
  BundleBuilder& addAdmin(const std::string& id) {
    admins_.push_back(admins_.back());
    admins_.back().id = id;
    admins_.back().extensions.clear();
    return *this;
  }
  BundleBuilder& minutes(int count) { return at(9 * 60, count); }
  // Starts at `startMinute` after local midnight and runs `count` minutes.
  BundleBuilder& at(int startMinute, int count) {
    return period(localTime(startMinute), localTime(startMinute + count));
  }
  BundleBuilder& period(const std::string& start, const std::string& end) {
    cur().effective = periodMember(start, end);
    return *this;
  }
  BundleBuilder& dateTime(const std::string& value) {
    cur().effective = R"("effectiveDateTime":")" + value + "\"";
    return *this;
  }
  BundleBuilder& noEffective() { return set(&Admin::effective, ""); }
  BundleBuilder& status(const std::string& value) { return set(&Admin::status, value); }
  BundleBuilder& statusReason(const std::string& json) { return set(&Admin::statusReason, json); }
  BundleBuilder& route(const std::string& json) { return set(&Admin::route, json); }
  BundleBuilder& site(const std::string& json) { return set(&Admin::site, json); }
  BundleBuilder& method(const std::string& json) { return set(&Admin::method, json); }
  BundleBuilder& rate(const std::string& member) { return set(&Admin::rate, member); }
  BundleBuilder& dose(const std::string& json) { return set(&Admin::dose, json); }
  BundleBuilder& drug(const std::string& name) { return set(&Admin::medication, name); }
  BundleBuilder& encounter(const std::string& id) { return set(&Admin::encounter, id); }
  BundleBuilder& device(bool on) {
    cur().device = on;
    return *this;
  }
  // No device, rate or method: nothing says "pump".
  BundleBuilder& noEvidence() { return device(false).rate("").method(""); }
  BundleBuilder& procedure(const std::string& cpt) { return set(&Admin::procedureCode, cpt); }
  BundleBuilder& requestWithRoute(const std::string& routeJson) {
    cur().request = true;
    cur().requestRoute = routeJson;
    return *this;
  }
  BundleBuilder& waste(const std::string& value, const std::string& unit) {
    cur().extensions.push_back(
        R"({"url":"http://fhir837.org/fhir/StructureDefinition/discarded-drug-amount",)"
        R"("valueQuantity":)" +
        quantity(value, unit) + "}");
    return *this;
  }
  BundleBuilder& liability(const std::string& code) {
    cur().extensions.push_back(
        R"({"url":"http://fhir837.org/fhir/StructureDefinition/liability-modifier","valueCode":")" +
        code + "\"}");
    return *this;
  }

  // --- claim context ---
  BundleBuilder& encounterClass(const std::string& code) { return assign(encounterClass_, code); }
  BundleBuilder& pos(const std::string& code) { return assign(pos_, code); }
  // Another encounter with the same class and location (a second claim).
  BundleBuilder& addEncounter(const std::string& id) {
    extraEncounters_.push_back(id);
    return *this;
  }
  BundleBuilder& payer(const std::string& name, const std::string& identifiersJson) {
    payerName_ = name;
    payerIdentifiers_ = identifiersJson;
    return *this;
  }
  BundleBuilder& relationship(const std::string& code) { return assign(relationship_, code); }
  BundleBuilder& noDiagnosis() {
    diagnosis_ = false;
    for (auto& a : admins_) a.reason = false;
    return *this;
  }
  BundleBuilder& billingNpi(const std::string& npi) { return assign(billingNpi_, npi); }
  // Any other bend: `from` (which must occur in the Bundle) becomes `to` at its first occurrence.
  BundleBuilder& patch(const std::string& from, const std::string& to) {
    patches_.emplace_back(from, to);
    return *this;
  }
  // One more entry, e.g. a second Patient.
  BundleBuilder& extraEntry(const std::string& type, const std::string& id,
                            const std::string& body) {
    extraEntries_.push_back({type, id, body});
    return *this;
  }

  std::string json() const;

 private:
  Admin& cur() { return admins_.back(); }
  BundleBuilder& set(std::string Admin::*field, const std::string& value) {
    cur().*field = value;
    return *this;
  }
  BundleBuilder& assign(std::string& field, const std::string& value) {
    field = value;
    return *this;
  }
  std::string adminJson(const Admin& a) const;
  std::string encounterJson(const std::string& id) const;

  std::vector<Admin> admins_;
  std::vector<std::string> extraEncounters_;
  std::vector<std::pair<std::string, std::string>> patches_;
  struct ExtraEntry {
    std::string type, id, body;
  };
  std::vector<ExtraEntry> extraEntries_;
  std::string encounterClass_ = "AMB";
  std::string pos_ = "11";
  std::string payerName_ = "Aetna";
  std::string payerIdentifiers_ = carinPayerId("60054");
  std::string relationship_ = "self";
  bool diagnosis_ = true;
  std::string billingNpi_ = "1234567893";

 public:
  static std::string carinPayerId(const std::string& id) {
    return R"([{"type":{"coding":[{"system":"http://hl7.org/fhir/us/carin-bb/CodeSystem/)"
           R"(C4BBIdentifierType","code":"payerid"}]},"value":")" +
           id + "\"}]";
  }
  static std::string configuredPayerId(const std::string& id) {
    return R"([{"system":"urn:fhir837:payer-id","value":")" + id + "\"}]";
  }
};

namespace bundle_detail {

inline std::string entry(const std::string& type, const std::string& id, const std::string& body) {
  return R"({"fullUrl":"http://example.org/fhir/)" + type + "/" + id +
         R"(","resource":{"resourceType":")" + type + R"(","id":")" + id + "\"" +
         (body.empty() ? "" : "," + body) + "}}";
}

inline std::string ingredient200MgPerMl() {
  return R"("ingredient":[{"itemCodeableConcept":{"text":"active"},"strength":{"numerator":)" +
         quantity("200", "mg") + R"(,"denominator":)" + quantity("1", "mL") + "}}]";
}

// The medications a case can name with drug(): sample NDCs from ndc_hcpcs.csv, or HCPCS only.
inline std::string medicationBody(const std::string& name) {
  static const std::map<std::string, std::string> kCodes = {
      {"hizentra", codeable("http://hl7.org/fhir/sid/ndc", "12345-6789-01")},
      {"cuvitru", codeable("http://hl7.org/fhir/sid/ndc", "12345-6789-02")},
      {"gammagard", codeable("http://hl7.org/fhir/sid/ndc", "12345-6789-03")},
      {"hizentra-hcpcs", codeable(kHcpcsSys, "J1559")},
      {"gamunex-hcpcs", codeable(kHcpcsSys, "J1561")},
      {"paclitaxel-hcpcs", codeable(kHcpcsSys, "J9267")},
      {"leuprolide-hcpcs", codeable(kHcpcsSys, "J9217")},
      {"unknown-ndc", codeable("http://hl7.org/fhir/sid/ndc", "99999-9999-99")},
  };
  std::string body = R"("code":)" + kCodes.at(name);
  if (name == "hizentra") body += "," + ingredient200MgPerMl();
  return body;
}

}  // namespace bundle_detail

inline std::string BundleBuilder::adminJson(const Admin& a) const {
  using bundle_detail::entry;
  std::string body = R"("status":")" + a.status + "\"";
  if (!a.statusReason.empty()) body += R"(,"statusReason":[)" + a.statusReason + "]";
  if (!a.extensions.empty()) {
    body += R"(,"extension":[)";
    for (std::size_t i = 0; i < a.extensions.size(); ++i) {
      body += (i ? "," : "") + a.extensions[i];
    }
    body += "]";
  }
  body += R"(,"medicationReference":{"reference":"Medication/)" + a.medication + "\"}";
  body += R"(,"subject":{"reference":"Patient/pat-1"})";
  body += R"(,"context":{"reference":"Encounter/)" + a.encounter + "\"}";
  if (!a.effective.empty()) body += "," + a.effective;
  body += R"(,"performer":[{"actor":{"reference":"Practitioner/prac-1"}}])";
  if (a.reason) body += R"(,"reasonReference":[{"reference":"Condition/cond-1"}])";
  if (!a.procedureCode.empty()) {
    body += R"(,"partOf":[{"reference":"Procedure/proc-)" + a.id + "\"}]";
  }
  if (a.request) body += R"(,"request":{"reference":"MedicationRequest/mr-)" + a.id + "\"}";
  if (a.device) body += R"(,"device":[{"reference":"Device/pump-1"}])";
  std::string dosage;
  auto add = [&](const std::string& member) { dosage += (dosage.empty() ? "" : ",") + member; };
  if (!a.site.empty()) add(R"("site":)" + a.site);
  if (!a.route.empty()) add(R"("route":)" + a.route);
  if (!a.method.empty()) add(R"("method":)" + a.method);
  if (!a.dose.empty()) add(R"("dose":)" + a.dose);
  if (!a.rate.empty()) add(a.rate);
  if (!dosage.empty()) body += R"(,"dosage":{)" + dosage + "}";
  std::string out = entry("MedicationAdministration", a.id, body);
  if (!a.procedureCode.empty()) {
    out += "," + entry("Procedure", "proc-" + a.id,
                       R"("status":"completed","code":)" +
                           codeable("http://www.ama-assn.org/go/cpt", a.procedureCode) +
                           R"(,"subject":{"reference":"Patient/pat-1"})");
  }
  if (a.request) {
    std::string mr = R"("status":"completed","intent":"order","medicationReference":)"
                     R"({"reference":"Medication/)" +
                     a.medication + R"("},"subject":{"reference":"Patient/pat-1"})";
    mr += R"(,"dosageInstruction":[{"text":"as directed")";
    if (!a.requestRoute.empty()) mr += R"(,"route":)" + a.requestRoute;
    mr += "}]";
    out += "," + entry("MedicationRequest", "mr-" + a.id, mr);
  }
  return out;
}

inline std::string BundleBuilder::encounterJson(const std::string& id) const {
  std::string body = R"("identifier":[{"system":"urn:example:visit","value":"V-)" + id + "\"}]";
  body += R"(,"status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/)"
          R"(v3-ActCode","code":")" +
          encounterClass_ + "\"}";
  body += R"(,"subject":{"reference":"Patient/pat-1"})";
  if (diagnosis_) {
    body += R"(,"diagnosis":[{"condition":{"reference":"Condition/cond-1"},"rank":1}])";
  }
  body += R"(,"location":[{"location":{"reference":"Location/loc-1"}}])";
  body += R"(,"serviceProvider":{"reference":"Organization/org-billing"})";
  return bundle_detail::entry("Encounter", id, body);
}

inline std::string BundleBuilder::json() const {
  using bundle_detail::entry;
  std::vector<std::string> entries;
  for (const auto& a : admins_) entries.push_back(adminJson(a));
  const std::string address =
      R"("address":[{"use":"home","line":["42 Elm St"],"city":"Springfield","state":"IL",)"
      R"("postalCode":"62704"}])";
  entries.push_back(entry("Patient", "pat-1",
                          R"("name":[{"use":"official","family":"Doe","given":["Jane"]}],)"
                          R"("gender":"female","birthDate":"1980-01-15",)" +
                              address));
  std::string subscriber = "Patient/pat-1";
  if (relationship_ != "self") {
    subscriber = "Patient/sub-1";
    entries.push_back(entry("Patient", "sub-1",
                            R"("name":[{"family":"Doe","given":["John"]}],"gender":"male",)"
                            R"("birthDate":"1978-05-02",)" +
                                address));
  }
  entries.push_back(entry(
      "Coverage", "cov-1",
      R"("status":"active","subscriber":{"reference":")" + subscriber +
          R"("},"subscriberId":"W123456789","beneficiary":{"reference":"Patient/pat-1"},)"
          R"("relationship":)" +
          codeable("http://terminology.hl7.org/CodeSystem/subscriber-relationship", relationship_) +
          R"(,"payor":[{"reference":"Organization/org-payer"}],"class":[{"type":)" +
          codeable("http://terminology.hl7.org/CodeSystem/coverage-class", "group") +
          R"(,"value":"GRP001"}])"));
  entries.push_back(encounterJson("enc-1"));
  for (const auto& id : extraEncounters_) entries.push_back(encounterJson(id));
  entries.push_back(entry(
      "Organization", "org-billing",
      R"("identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":")" + billingNpi_ +
          R"("},{"system":"urn:oid:2.16.840.1.113883.4.4","value":"37-1234567"}],)"
          R"("name":"Prairie Infusion Center","address":[{"use":"work","line":["100 Main St"],)"
          R"("city":"Springfield","state":"IL","postalCode":"62701-1234"}])"));
  entries.push_back(
      entry("Organization", "org-payer",
            R"("identifier":)" + payerIdentifiers_ + R"(,"name":")" + payerName_ + "\""));
  entries.push_back(
      entry("Practitioner", "prac-1",
            R"("identifier":[{"system":"http://hl7.org/fhir/sid/us-npi",)"
            R"("value":"1987654328"}],"name":[{"family":"Smith","given":["John"]}])"));
  entries.push_back(entry("Condition", "cond-1",
                          R"("code":)" + codeable("http://hl7.org/fhir/sid/icd-10-cm", "D80.1") +
                              R"(,"subject":{"reference":"Patient/pat-1"})"));
  std::vector<std::string> meds;
  for (const auto& a : admins_) {
    bool seen = false;
    for (const auto& m : meds) seen = seen || m == a.medication;
    if (!seen) meds.push_back(a.medication);
  }
  for (const auto& m : meds) {
    entries.push_back(entry("Medication", m, bundle_detail::medicationBody(m)));
  }
  entries.push_back(entry("Device", "pump-1",
                          R"("deviceName":[{"name":"SC pump","type":"user-friendly-name"}])"));
  entries.push_back(
      entry("Location", "loc-1",
            R"("name":"Suite 2","type":[)" +
                codeable("https://www.cms.gov/Medicare/Coding/place-of-service-codes/"
                         "Place_of_Service_Code_Set",
                         pos_) +
                R"(],"address":{"line":["100 Main St"],"city":"Springfield","state":"IL",)"
                R"("postalCode":"62701-1234"})"));
  for (const auto& extra : extraEntries_)
    entries.push_back(entry(extra.type, extra.id, extra.body));
  std::string out = R"({"resourceType":"Bundle","id":"case","type":"collection","entry":[)";
  for (std::size_t i = 0; i < entries.size(); ++i) out += (i ? ",\n" : "\n") + entries[i];
  out += "\n]}\n";
  for (const auto& [from, to] : patches_) {
    const std::size_t at = out.find(from);
    if (at == std::string::npos) throw std::logic_error("patch target not in the Bundle: " + from);
    out.replace(at, from.size(), to);
  }
  return out;
}

}  // namespace fhir837::testing
