#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

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
  std::map<std::string, std::int64_t> mueUnits;  // HCPCS -> max units per day
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
  std::string claimIdPrefix;                // prepended to CLM01 when built from resource ids
  ProviderSettings defaultBillingProvider;  // used when Encounter.serviceProvider is absent
  std::vector<std::string> payerIdSystems;  // Organization.identifier systems holding payer ids
  std::vector<PayerProfile> payers;
  std::map<std::string, std::int64_t> feeCentsPerUnit;  // HCPCS/CPT -> charge per unit
  std::filesystem::path ndcHcpcsTable;
  std::filesystem::path routeTable;
  std::filesystem::path drugFamilyTable;
  bool stoppedBillsActualTime = false;  // coding-rules D6: `stopped = "review"` (default) or
                                        // "bill-actual-time"
};

}  // namespace fhir837
