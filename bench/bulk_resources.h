#pragma once

#include <cstdint>
#include <string>

// Synthetic, fictitious FHIR R4 resources for SC immune-globulin infusion encounters, one JSON
// object per line (FHIR bulk data NDJSON), shaped like samples/01-scig-95min-office/input.json
// with relative references (Patient/p0000001). Shared by the bulk export generator and the parse
// benchmarks.
namespace fhir837::bench {

// splitmix64: small, and its output is the same on every platform and standard library (unlike
// std::uniform_int_distribution), so a seed always gives the same export.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [lo, hi].
  int between(int lo, int hi);

 private:
  std::uint64_t state_;
};

// The 10-digit NPI for a 9-digit base: Luhn check digit over "80840" + base.
std::string npiFromBase(std::uint32_t base9);

inline constexpr int kBillingOrgs = 3;
inline constexpr int kPayers = 5;
inline constexpr int kPractitioners = 24;
inline constexpr int kDevices = 4;

// Fixed resources (ids are stable: org-billing-N, payer-NAME, prac-N, loc-N, med-scig, pump-N).
std::string billingOrganization(int index);
std::string payerOrganization(int index);
std::string practitioner(int index);
std::string location(int index);
std::string medication();
std::string device(int index);

// Per-patient resources; `n` numbers the patient, `e` the encounter (both from 1, unique).
struct PatientPlan {
  int n = 1;
  int payer = 0;    // index into the payer list
  int billing = 0;  // billing organization (and its location)
  int diagnosis = 0;
};
PatientPlan planPatient(int n, Rng& rng);
std::string patient(const PatientPlan& plan, Rng& rng);
std::string coverage(const PatientPlan& plan, Rng& rng);
std::string condition(const PatientPlan& plan);

struct EncounterPlan {
  int e = 1;
  int dayOfYear = 1;    // 2025, 1..365
  int startMinute = 0;  // minutes after midnight, local -05:00
  int minutes = 60;     // infusion length, 16..300
  int doseGrams = 10;   // 2..20
  int practitioner = 0;
  bool withDevice = true;
};
EncounterPlan planEncounter(int e, Rng& rng);
std::string encounter(const PatientPlan& patient, const EncounterPlan& plan);
std::string medicationAdministration(const PatientPlan& patient, const EncounterPlan& plan);

}  // namespace fhir837::bench
