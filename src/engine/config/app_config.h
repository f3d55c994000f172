#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/cluster_settings.h"
#include "engine/config/serve_settings.h"
#include "model/claim.h"
#include "rules/infusion_duration.h"

namespace fhir837 {

// One payer profile (config/payers/*.toml): how a Coverage.payor is recognised (coding-rules D12)
// and what that payer requires (SBR09, NDC, JW/JZ, add-on threshold, MUE limits).
struct PayerProfile {
  std::string key;   // file stem, e.g. "medicare"
  std::string name;  // display name used in NM103 when the payor Organization has none
  std::vector<std::string> payerIds;             // recognised ids; the first is the default NM109
  std::vector<std::string> namePatterns;         // case-insensitive substrings of Organization.name
  std::string claimFilingIndicatorProfessional;  // SBR09 on 837P
  std::string claimFilingIndicatorInstitutional;  // SBR09 on 837I
  bool ndcRequired = true;
  bool jwJzRequired = false;
  AddOnPolicy addOn;
  // HCPCS -> max units per day: the config's [mue] defaults, overridden by the profile's [mue].
  std::map<std::string, std::int64_t> mueUnits;
  bool xModifiers = true;  // NCCI bypass with XE/XS/XP/XU; false -> 59
};

// Which claim form an organisation or place of service bills on (issue: facility vs professional).
struct BillingProfile {
  ClaimForm form = ClaimForm::k837I;
  std::vector<std::string> organizationNpis;  // billing provider NPIs this profile covers
  std::vector<std::string> placesOfService;   // CMS POS codes this profile covers
};

// 837I defaults: type of bill, patient status, revenue codes (the chargemaster).
struct InstitutionalSettings {
  std::string typeOfBill = "0131";    // hospital outpatient, original (R18)
  std::string patientStatus = "01";   // CL103: discharged to home/self care
  std::string admissionSource = "1";  // CL102 point of origin: 1 non-health-care facility (§6.2)
  std::string administrationRevenueCode = "0260";          // R19: facility's choice
  std::string drugRevenueCode = "0636";                    // R19: drugs requiring detailed coding
  std::map<std::string, std::string> revenueCodes;         // per CPT/HCPCS overrides
  std::vector<std::string> offCampusExceptedLocations;     // Location ids -> PO
  std::vector<std::string> offCampusNonExceptedLocations;  // Location ids -> PN
};

struct ProviderSettings {
  Provider provider;
  bool present = false;
};

// The whole configuration, parsed and checked at start-up. Paths are absolute (resolved against
// the directory of the file that named them).
struct AppConfig {
  std::filesystem::path sourceFile;
  TradingPartner partner;
  std::filesystem::path stateDir;
  std::string defaultPlaceOfService = "11";
  ClaimForm defaultForm = ClaimForm::k837P;
  std::vector<BillingProfile> billingProfiles;
  InstitutionalSettings institutional;
  std::size_t maxClaimsPerTransaction = 5000;  // TR3 recommendation; the file is split beyond
  std::string claimIdPrefix;                   // prepended to CLM01 when built from resource ids
  ProviderSettings defaultBillingProvider;     // used when Encounter.serviceProvider is absent
  std::vector<std::string> payerIdSystems;     // Organization.identifier systems holding payer ids
  std::vector<PayerProfile> payers;
  std::map<std::string, std::int64_t> feeCentsPerUnit;  // HCPCS/CPT -> charge per unit
  std::filesystem::path ndcHcpcsTable;
  std::filesystem::path routeTable;
  std::filesystem::path drugFamilyTable;
  std::filesystem::path procedureCodeTable;  // Procedure.code -> route/kind (PROC-CODE)
  std::filesystem::path ncciPtpTable;        // optional CMS PTP edits as CSV (empty: none, D11)
  // An administration period longer than this is needs-review (INF-MAXTIME), not billed.
  std::int64_t maxInfusionMinutes = 24 * 60;
  ServeSettings serve;                  // `fhir837 serve` only
  ClusterSettings cluster;              // `fhir837 serve` only: scale-out over NATS
  bool stoppedBillsActualTime = false;  // coding-rules D6: `stopped = "review"` (default) or
                                        // "bill-actual-time"
};

}  // namespace fhir837
