#include "bulk_resources.h"

#include <array>
#include <cstdio>

namespace fhir837::bench {

namespace {

struct Payer {
  const char* id;
  const char* name;
  const char* payerId;
};
constexpr std::array<Payer, kPayers> kPayerList = {{
    {"payer-aetna", "Aetna", "60054"},
    {"payer-cigna", "Cigna", "62308"},
    {"payer-uhc", "UnitedHealthcare", "87726"},
    {"payer-medicare", "Medicare", "01182"},
    {"payer-bcbs", "BCBS", "00621"},
}};

struct Diagnosis {
  const char* code;
  const char* display;
};
constexpr std::array<Diagnosis, 3> kDiagnoses = {{
    {"D80.1", "Nonfamilial hypogammaglobulinemia"},
    {"D83.9", "Common variable immunodeficiency, unspecified"},
    {"G61.81", "Chronic inflammatory demyelinating polyneuritis"},
}};

constexpr std::array<const char*, 12> kFamilies = {"Doe",    "Smith",  "Garcia", "Nguyen",
                                                   "Brown",  "Miller", "Davis",  "Lopez",
                                                   "Wilson", "Moore",  "Clark",  "Hall"};
constexpr std::array<const char*, 10> kGiven = {"Jane", "John",  "Maria", "Wei",   "Ann",
                                                "Omar", "Priya", "Lucas", "Grace", "Sam"};
constexpr std::array<const char*, 3> kCities = {"Springfield", "Peoria", "Champaign"};
constexpr std::array<const char*, 3> kCityZips = {"62701", "61602", "61820"};

std::string pad(int value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*d", width, value);
  return buffer;
}

std::string refTo(const std::string& target) { return "{\"reference\":\"" + target + "\"}"; }

std::string patientId(int n) { return "p" + pad(n, 7); }

// 2025 is not a leap year.
std::string isoDate(int dayOfYear) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month = 0;
  while (dayOfYear > kDays[month]) dayOfYear -= kDays[month++];
  return "2025-" + pad(month + 1, 2) + "-" + pad(dayOfYear, 2);
}

std::string instant(int dayOfYear, int minuteOfDay) {
  return isoDate(dayOfYear) + "T" + pad(minuteOfDay / 60, 2) + ":" + pad(minuteOfDay % 60, 2) +
         ":00-05:00";
}

std::string codeable(const char* system, const std::string& code, const std::string& display) {
  std::string out =
      "{\"coding\":[{\"system\":\"" + std::string(system) + "\",\"code\":\"" + code + "\"";
  if (!display.empty()) out += ",\"display\":\"" + display + "\"";
  return out + "}]}";
}

std::string workAddress(int index) {
  return "{\"use\":\"work\",\"line\":[\"" + std::to_string(100 + index * 10) +
         " Main St\"],\"city\":\"" + kCities[index % 3] + "\",\"state\":\"IL\",\"postalCode\":\"" +
         kCityZips[index % 3] + "-" + pad(1234 + index, 4) + "\"}";
}

constexpr const char* kNpiSystem = "http://hl7.org/fhir/sid/us-npi";

}  // namespace

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int Rng::between(int lo, int hi) {
  return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
}

std::string npiFromBase(std::uint32_t base9) {
  std::string digits = pad(static_cast<int>(base9 % 1000000000u), 9);
  // Luhn from the right over the 9 digits (the rightmost is doubled); the 80840 prefix adds 24.
  int sum = 24;
  for (int i = 8, doubled = 1; i >= 0; --i, doubled ^= 1) {
    int d = digits[i] - '0';
    if (doubled) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits + std::to_string((10 - sum % 10) % 10);
}

std::string billingOrganization(int index) {
  return "{\"resourceType\":\"Organization\",\"id\":\"org-billing-" + std::to_string(index) +
         "\",\"identifier\":[{\"system\":\"" + kNpiSystem + "\",\"value\":\"" +
         npiFromBase(123456789u + static_cast<std::uint32_t>(index) * 1000u) +
         "\"},{\"system\":\"urn:oid:2.16.840.1.113883.4.4\",\"value\":\"37-" +
         pad(1234567 + index, 7) + "\"}],\"type\":[" +
         codeable("http://nucc.org/provider-taxonomy", "261QI0500X", "") +
         "],\"name\":\"Prairie Infusion Center " + std::to_string(index) + "\",\"address\":[" +
         workAddress(index) + "]}";
}

std::string payerOrganization(int index) {
  const Payer& payer = kPayerList[index % kPayers];
  return "{\"resourceType\":\"Organization\",\"id\":\"" + std::string(payer.id) +
         "\",\"identifier\":[{\"type\":" +
         codeable("http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType", "payerid", "") +
         ",\"value\":\"" + payer.payerId + "\"}],\"name\":\"" + payer.name + "\"}";
}

std::string practitioner(int index) {
  return "{\"resourceType\":\"Practitioner\",\"id\":\"prac-" + std::to_string(index) +
         "\",\"identifier\":[{\"system\":\"" + kNpiSystem + "\",\"value\":\"" +
         npiFromBase(198765432u + static_cast<std::uint32_t>(index) * 7u) +
         "\"}],\"name\":[{\"family\":\"" + kFamilies[index % kFamilies.size()] +
         "\",\"given\":[\"" + kGiven[(index * 3) % kGiven.size()] + "\"]}]}";
}

std::string location(int index) {
  std::string address = workAddress(index);
  address.replace(0, std::string("{\"use\":\"work\",").size(), "{");
  return "{\"resourceType\":\"Location\",\"id\":\"loc-" + std::to_string(index) +
         "\",\"name\":\"Prairie Infusion Center " + std::to_string(index) +
         " Suite 2\",\"type\":[" +
         codeable(
             "https://www.cms.gov/Medicare/Coding/place-of-service-codes/"
             "Place_of_Service_Code_Set",
             "11", "Office") +
         "],\"address\":" + address + "}";
}

std::string medication() {
  return "{\"resourceType\":\"Medication\",\"id\":\"med-scig\",\"code\":" +
         codeable("http://hl7.org/fhir/sid/ndc", "12345-6789-01",
                  "Immune globulin SC (human) 20% (sample NDC)") +
         ",\"ingredient\":[{\"itemCodeableConcept\":{\"text\":\"Immune globulin subcutaneous "
         "(human)\"},\"strength\":{\"numerator\":{\"value\":200,\"system\":\"http://"
         "unitsofmeasure.org\",\"code\":\"mg\"},\"denominator\":{\"value\":1,\"system\":\"http://"
         "unitsofmeasure.org\",\"code\":\"mL\"}}}]}";
}

std::string device(int index) {
  return "{\"resourceType\":\"Device\",\"id\":\"pump-" + std::to_string(index) +
         "\",\"deviceName\":[{\"name\":\"Ambulatory SC infusion pump\",\"type\":\"user-friendly-"
         "name\"}]}";
}

PatientPlan planPatient(int n, Rng& rng) {
  PatientPlan plan;
  plan.n = n;
  plan.payer = rng.between(0, kPayers - 1);
  plan.billing = rng.between(0, kBillingOrgs - 1);
  plan.diagnosis = rng.between(0, static_cast<int>(kDiagnoses.size()) - 1);
  return plan;
}

std::string patient(const PatientPlan& plan, Rng& rng) {
  int city = rng.between(0, 2);
  return "{\"resourceType\":\"Patient\",\"id\":\"" + patientId(plan.n) +
         "\",\"name\":[{\"use\":\"official\",\"family\":\"" +
         kFamilies[rng.between(0, kFamilies.size() - 1)] + "\",\"given\":[\"" +
         kGiven[rng.between(0, kGiven.size() - 1)] + "\"]}],\"gender\":\"" +
         (rng.between(0, 1) ? "female" : "male") + "\",\"birthDate\":\"" +
         std::to_string(rng.between(1940, 2015)) + "-" + pad(rng.between(1, 12), 2) + "-" +
         pad(rng.between(1, 28), 2) + "\",\"address\":[{\"use\":\"home\",\"line\":[\"" +
         std::to_string(rng.between(1, 9999)) + " Elm St\"],\"city\":\"" + kCities[city] +
         "\",\"state\":\"IL\",\"postalCode\":\"" + kCityZips[city] + "\"}]}";
}

std::string coverage(const PatientPlan& plan, Rng& rng) {
  std::string subject = refTo("Patient/" + patientId(plan.n));
  return "{\"resourceType\":\"Coverage\",\"id\":\"cov" + pad(plan.n, 7) +
         "\",\"status\":\"active\",\"subscriber\":" + subject + ",\"subscriberId\":\"W" +
         pad(rng.between(0, 999999999), 9) + "\",\"beneficiary\":" + subject +
         ",\"relationship\":" +
         codeable("http://terminology.hl7.org/CodeSystem/subscriber-relationship", "self", "") +
         ",\"payor\":[" + refTo(std::string("Organization/") + kPayerList[plan.payer].id) +
         "],\"class\":[{\"type\":" +
         codeable("http://terminology.hl7.org/CodeSystem/coverage-class", "group", "") +
         ",\"value\":\"GRP" + pad(rng.between(1, 999), 3) +
         "\",\"name\":\"Example Employer Group\"}]}";
}

std::string condition(const PatientPlan& plan) {
  const Diagnosis& dx = kDiagnoses[plan.diagnosis];
  return "{\"resourceType\":\"Condition\",\"id\":\"cond" + pad(plan.n, 7) +
         "\",\"code\":" + codeable("http://hl7.org/fhir/sid/icd-10-cm", dx.code, dx.display) +
         ",\"subject\":" + refTo("Patient/" + patientId(plan.n)) + "}";
}

EncounterPlan planEncounter(int e, Rng& rng) {
  EncounterPlan plan;
  plan.e = e;
  plan.dayOfYear = rng.between(1, 365);
  plan.startMinute = rng.between(8 * 60, 14 * 60);
  plan.minutes = rng.between(16, 300);
  plan.doseGrams = rng.between(2, 20);
  plan.practitioner = rng.between(0, kPractitioners - 1);
  plan.withDevice = rng.between(0, 1) == 1;
  return plan;
}

std::string encounter(const PatientPlan& patient, const EncounterPlan& plan) {
  return "{\"resourceType\":\"Encounter\",\"id\":\"enc" + pad(plan.e, 8) +
         "\",\"identifier\":[{\"system\":\"urn:example:prairie:visit\",\"value\":\"INF" +
         pad(plan.e, 10) +
         "\"}],\"status\":\"finished\",\"class\":{\"system\":\"http://"
         "terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},\"subject\":" +
         refTo("Patient/" + patientId(patient.n)) + ",\"period\":{\"start\":\"" +
         instant(plan.dayOfYear, plan.startMinute - 15) + "\",\"end\":\"" +
         instant(plan.dayOfYear, plan.startMinute + plan.minutes + 15) +
         "\"},\"diagnosis\":[{\"condition\":" + refTo("Condition/cond" + pad(patient.n, 7)) +
         ",\"rank\":1}],\"location\":[{\"location\":" +
         refTo("Location/loc-" + std::to_string(patient.billing)) + "}],\"serviceProvider\":" +
         refTo("Organization/org-billing-" + std::to_string(patient.billing)) + "}";
}

std::string medicationAdministration(const PatientPlan& patient, const EncounterPlan& plan) {
  // 200 mg/mL: dose in mL = grams * 5; the pump rate spreads it over the infusion.
  int rate = (plan.doseGrams * 5 * 60 + plan.minutes / 2) / plan.minutes;
  if (rate < 1) rate = 1;
  std::string out =
      "{\"resourceType\":\"MedicationAdministration\",\"id\":\"ma" + pad(plan.e, 8) +
      "\",\"status\":\"completed\",\"medicationReference\":" + refTo("Medication/med-scig") +
      ",\"subject\":" + refTo("Patient/" + patientId(patient.n)) +
      ",\"context\":" + refTo("Encounter/enc" + pad(plan.e, 8)) +
      ",\"effectivePeriod\":{\"start\":\"" + instant(plan.dayOfYear, plan.startMinute) +
      "\",\"end\":\"" + instant(plan.dayOfYear, plan.startMinute + plan.minutes) +
      "\"},\"performer\":[{\"actor\":" +
      refTo("Practitioner/prac-" + std::to_string(plan.practitioner)) + "}],\"reasonReference\":[" +
      refTo("Condition/cond" + pad(patient.n, 7)) + "]";
  if (plan.withDevice) {
    out += ",\"device\":[" + refTo("Device/pump-" + std::to_string(plan.e % kDevices)) + "]";
  }
  out += ",\"dosage\":{\"text\":\"Immune globulin " + std::to_string(plan.doseGrams) +
         " g SC via pump, 2 sites\",\"site\":" +
         codeable("http://snomed.info/sct", "61685007", "Lower limb structure") +
         ",\"route\":" + codeable("http://snomed.info/sct", "34206005", "Subcutaneous route") +
         ",\"method\":{\"text\":\"Subcutaneous infusion by pump\"},\"dose\":{\"value\":" +
         std::to_string(plan.doseGrams) +
         ",\"unit\":\"g\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"g\"},"
         "\"rateQuantity\":{\"value\":" +
         std::to_string(rate) +
         ",\"unit\":\"mL/h\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mL/h\"}}}";
  return out;
}

}  // namespace fhir837::bench
