#pragma once

#include <memory>

#include "coding_types.h"
#include "engine/config/app_config.h"
#include "engine/config/table_loader.h"

namespace fhir837::serve {

// What the billing side codes with: the configuration (payer profiles, fees, interchange
// identity, billing profiles) and the coding tables. Immutable once built; SIGHUP builds a new
// one and hands it to the billing service, which takes it up between rounds, so a round never
// mixes two configurations.
struct BillingRules {
  AppConfig config;
  LoadedTables tables;

  CodingTables coding() const { return codingTablesOf(tables); }
};

using SharedBillingRules = std::shared_ptr<const BillingRules>;

}  // namespace fhir837::serve
