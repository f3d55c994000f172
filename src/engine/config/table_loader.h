#pragma once

#include "coding_types.h"
#include "core/result.h"
#include "engine/config/app_config.h"
#include "tables/drug_family_table.h"
#include "tables/ncci_table.h"
#include "tables/ndc_table.h"
#include "tables/procedure_code_table.h"
#include "tables/route_table.h"

namespace fhir837 {

// The data tables the coder reads, loaded from the paths the config names (the mapping layer
// itself does no I/O).
struct LoadedTables {
  RouteTable routes;
  NdcTable ndc;
  DrugFamilyTable families;
  NcciTable ncci;  // empty unless engine.ncci_ptp_table is set
  ProcedureCodeTable procedureCodes;
};

Result<LoadedTables> loadTables(const AppConfig& config);

// The coder's view of `tables` (pointers into it: valid while `tables` lives and is not moved).
CodingTables codingTablesOf(const LoadedTables& tables);

}  // namespace fhir837
