#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/claim.h"
#include "model/resources.h"
#include "model/trail.h"
#include "rules/infusion_duration.h"
#include "tables/drug_family_table.h"
#include "tables/ncci_table.h"
#include "tables/ndc_table.h"
#include "tables/procedure_code_table.h"
#include "tables/route_table.h"

namespace fhir837 {

// Everything the coder may read about one billable event, already resolved by the assembler (the
// coder does no reference resolution and no I/O).
struct EventFacts {
  std::string eventRef;  // "MedicationAdministration/ma1" — the trail's path prefix
  // The administration to code. For a Procedure event ("Procedure/p1") it is the Procedure's
  // administration view (procedure_event.h: status, performed[x], bodySite, used drug), and
  // `procedure` is the Procedure itself, whose code gives route and evidence (PROC-CODE).
  const MedicationAdministration* administration = nullptr;
  const Procedure* procedure = nullptr;
  const Medication* medication = nullptr;          // resolved medicationReference, if any
  const MedicationRequest* request = nullptr;      // resolved MA.request, if any
  std::vector<const Procedure*> linkedProcedures;  // resolved MA.partOf Procedures
  std::string encounterClass;  // Encounter.class code (v3 ActCode), e.g. AMB, IMP
  std::string placeOfService;  // CMS POS code the claim will carry (837P)
  std::string payerKey;        // matched payer profile key, e.g. "medicare"
  std::string performerKey;    // the rendering performer's NPI (NCCI XP: a different practitioner)
  // Off-campus provider-based department status of the service location (837I PO/PN).
  enum class Department { kOnCampus, kOffCampusExcepted, kOffCampusNonExcepted };
  Department department = Department::kOnCampus;
};

// Payer- and form-specific switches for the rules.
struct CodingPolicy {
  ClaimForm form = ClaimForm::k837P;
  AddOnPolicy addOn;
  bool jwJzRequired = false;
  bool ndcRequired = false;
  bool stoppedBillsActualTime = false;  // D6 option: stopped -> bill actual time
  bool xModifiers = true;  // NCCI bypass with XE/XS/XP/XU (true) or 59 (payer takes no X)
  std::map<std::string, std::int64_t> mueUnits;  // R10/D11: units per code per day
  std::int64_t maxInfusionMinutes = 24 * 60;     // longer periods -> INF-MAXTIME
};

struct CodingTables {
  const RouteTable* routes = nullptr;
  const NdcTable* ndc = nullptr;
  const DrugFamilyTable* families = nullptr;
  const NcciTable* ncci = nullptr;                     // optional PTP edits (D11)
  const ProcedureCodeTable* procedureCodes = nullptr;  // Procedure events (PROC-CODE)
};

// kPending: the event waits for data that has not arrived (a reference that does not resolve yet,
// no Coverage for the patient yet). Only the daemon keeps it; batch reports it as kRejected, since
// nothing more will arrive once its input has been read.
enum class OutcomeKind { kBilled, kNotBillable, kNeedsReview, kRejected, kHeld, kPending };
const char* toString(OutcomeKind kind);

// A service line before the claim builder adds charges and diagnosis pointers.
struct CodedLine {
  std::string procedureCode;
  std::vector<std::string> modifiers;
  std::int64_t units = 1;
  std::string dateFrom, dateTo;  // CCYYMMDD (local date at the facility)
  std::optional<DrugIdentification> drug;
  std::string sourceEventId;
  bool administration = false;  // a 963xx/964xx line (as opposed to the drug or waste line)
  Trail trail;
  bool operator==(const CodedLine&) const = default;
};

// What kind of administration an event was, for the encounter-level rules (R5-R8, D2, D8).
enum class AdminKind {
  kNone,
  kScInfusion,
  kInjection,  // SC or IM injection, or an SC "infusion" of 15 min or less
  kIvInfusion,
  kIvPush,
  kChemoScIm,
  kChemoIvInfusion,
  kChemoIvPush,
};

struct AdministrationSummary {
  AdminKind kind = AdminKind::kNone;
  std::int64_t startEpoch = 0, endEpoch = 0;  // instants; 0/0 when only a date is known
  std::int64_t minutes = 0;
  bool pump = false;    // SC with pump evidence (even when too short to be an infusion)
  std::string siteKey;  // dosage.site codes, for "new site" (96371)
  std::string drugKey;  // HCPCS of the drug line
  std::string dateFrom, dateTo;
};

// The coder's verdict on one event: lines to bill, or why there are none.
struct EventCoding {
  OutcomeKind kind = OutcomeKind::kBilled;
  std::string rule;    // rule id behind a non-billed outcome
  std::string reason;  // human-readable, no PHI
  std::string path;    // FHIR path the reason is about
  std::vector<CodedLine> lines;
  Trail trail;  // steps that apply to the event as a whole (status, route, evidence...)
  AdministrationSummary admin;  // set when kind == kBilled
};

}  // namespace fhir837
