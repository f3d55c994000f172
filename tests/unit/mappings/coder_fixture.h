#pragma once

// Builders for hand-made coder inputs: one SC immune-globulin administration (Hizentra 20%,
// 10 g = 50 mL, 95 min on a pump) that each test then bends into the case it needs.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coder.h"
#include "model/fhir_datetime.h"
#include "model/resources.h"
#include "support/test_paths.h"
#include "tables/drug_family_table.h"
#include "tables/ndc_table.h"
#include "tables/route_table.h"

namespace fhir837::testing {

inline constexpr const char* kSnomed = "http://snomed.info/sct";
inline constexpr const char* kV2Route = "http://terminology.hl7.org/CodeSystem/v2-0162";
inline constexpr const char* kNdc = "http://hl7.org/fhir/sid/ndc";
inline constexpr const char* kHcpcs = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
inline constexpr const char* kUcum = "http://unitsofmeasure.org";
inline constexpr const char* kEventRef = "MedicationAdministration/ma1";

inline FhirDateTime dateTime(const char* text) {
  auto parsed = FhirDateTime::parse(text);
  if (!parsed) throw std::runtime_error(std::string("bad test dateTime ") + text);
  return *parsed;
}

inline Coding coding(std::string system, std::string code, std::string display = {}) {
  return Coding{std::move(system), "", std::move(code), std::move(display)};
}

inline CodeableConcept codeable(std::vector<Coding> codings, std::string text = {}) {
  return CodeableConcept{std::move(codings), std::move(text)};
}

inline Quantity quantity(std::string value, std::string ucum) {
  Quantity q;
  q.value = std::move(value);
  q.unit = ucum;
  q.system = kUcum;
  q.code = std::move(ucum);
  return q;
}

inline CodeableConcept scRoute() { return codeable({coding(kSnomed, "34206005", "Subcutaneous")}); }
inline CodeableConcept ivRoute() { return codeable({coding(kSnomed, "47625008", "Intravenous")}); }
inline CodeableConcept imRoute() {
  return codeable({coding(kSnomed, "78421000", "Intramuscular")});
}

inline const RouteTable& shippedRoutes() {
  static const RouteTable table = [] {
    auto path = sourceDir() / "mappings/tables/routes.csv";
    auto parsed = RouteTable::parse(readFile(path), path.string());
    if (!parsed) throw std::runtime_error("routes.csv: " + parsed.error().describe());
    return *parsed;
  }();
  return table;
}

inline const NdcTable& shippedNdc() {
  static const NdcTable table = [] {
    auto path = sourceDir() / "mappings/tables/ndc_hcpcs.csv";
    auto parsed = NdcTable::parse(readFile(path), path.string());
    if (!parsed) throw std::runtime_error("ndc_hcpcs.csv: " + parsed.error().describe());
    return *parsed;
  }();
  return table;
}

inline const DrugFamilyTable& shippedFamilies() {
  static const DrugFamilyTable table = [] {
    auto path = sourceDir() / "mappings/tables/drug_admin_family.csv";
    auto parsed = DrugFamilyTable::parse(readFile(path), path.string());
    if (!parsed) throw std::runtime_error("drug_admin_family.csv: " + parsed.error().describe());
    return *parsed;
  }();
  return table;
}

inline CodingTables shippedTables() {
  return CodingTables{&shippedRoutes(), &shippedNdc(), &shippedFamilies()};
}

// Owns every resource the EventFacts point at.
struct ScigCase {
  MedicationAdministration ma;
  Medication medication;
  MedicationRequest request;
  std::vector<Procedure> procedures;
  bool withMedication = true;
  bool withRequest = false;
  std::string encounterClass = "AMB";
  std::string placeOfService = "11";
  std::string payerKey = "aetna";
  CodingPolicy policy;

  ScigCase() {
    ma.id = "ma1";
    ma.status = "completed";
    ma.medication.reference = Reference{"Medication/med1", "", std::nullopt, ""};
    ma.effective.period =
        Period{dateTime("2024-03-05T09:00:00-06:00"), dateTime("2024-03-05T10:35:00-06:00")};
    ma.device.push_back(Reference{"Device/pump1", "", std::nullopt, ""});
    AdministrationDosage dosage;
    dosage.route = scRoute();
    dosage.dose = quantity("50", "mL");
    ma.dosage = dosage;

    medication.id = "med1";
    medication.code = codeable({coding(kNdc, "12345-6789-01", "Hizentra 20% 50 mL")});
    MedicationIngredient ingredient;
    ingredient.strength = Ratio{quantity("200", "mg"), quantity("1", "mL")};
    medication.ingredient.push_back(ingredient);

    request.id = "mr1";
    request.status = "active";
    request.intent = "order";
  }

  void setPeriod(const char* start, const char* end) {
    ma.effective = TimingChoice{};
    ma.effective.period = Period{dateTime(start), dateTime(end)};
  }

  // A period of `minutes` from 2024-03-05T09:00:00Z.
  void setMinutes(int minutes) {
    const std::int64_t end = 9 * 60 + minutes;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "2024-03-%02dT%02d:%02d:00Z",
                  static_cast<int>(5 + end / (24 * 60)), static_cast<int>(end / 60 % 24),
                  static_cast<int>(end % 60));
    setPeriod("2024-03-05T09:00:00Z", buffer);
  }

  EventFacts facts() const {
    EventFacts f;
    f.eventRef = kEventRef;
    f.administration = &ma;
    f.medication = withMedication ? &medication : nullptr;
    f.request = withRequest ? &request : nullptr;
    for (const auto& p : procedures) f.linkedProcedures.push_back(&p);
    f.encounterClass = encounterClass;
    f.placeOfService = placeOfService;
    f.payerKey = payerKey;
    return f;
  }

  EventCoding code() const { return codeEvent(facts(), policy, shippedTables()); }
};

inline std::vector<std::string> ruleIds(const Trail& trail) {
  std::vector<std::string> ids;
  for (const auto& step : trail) ids.push_back(step.rule);
  return ids;
}

// "96369x1" style summary of the lines, modifiers after a dash: "J1559-JZx100".
inline std::vector<std::string> lineSummary(const EventCoding& coding) {
  std::vector<std::string> out;
  for (const auto& line : coding.lines) {
    std::string s = line.procedureCode;
    for (const auto& m : line.modifiers) s += "-" + m;
    out.push_back(s + "x" + std::to_string(line.units));
  }
  return out;
}

inline std::int64_t unitsOf(const EventCoding& coding, const std::string& code) {
  std::int64_t units = 0;
  for (const auto& line : coding.lines) {
    if (line.procedureCode == code) units += line.units;
  }
  return units;
}

}  // namespace fhir837::testing

namespace fhir837 {
// Readable failure output for trails.
inline void PrintTo(const TrailStep& step, std::ostream* os) {
  *os << "{" << step.rule << ", [";
  for (const auto& input : step.inputs) *os << input << ";";
  *os << "], \"" << step.detail << "\"}";
}
}  // namespace fhir837
