#include "engine/config/table_loader.h"

#include "sources/files/input_files.h"

namespace fhir837 {

namespace {
constexpr std::size_t kMaxTableBytes = 64u << 20;

Error asConfigError(Error error) {
  error.code = ErrorCode::kConfig;
  return error;
}
}  // namespace

Result<LoadedTables> loadTables(const AppConfig& config) {
  LoadedTables tables;
  auto routes = readInputFile(config.routeTable, kMaxTableBytes);
  if (!routes) return asConfigError(routes.error());
  auto parsedRoutes = RouteTable::parse(*routes, config.routeTable.string());
  if (!parsedRoutes) return parsedRoutes.error();
  tables.routes = std::move(*parsedRoutes);
  auto ndc = readInputFile(config.ndcHcpcsTable, kMaxTableBytes);
  if (!ndc) return asConfigError(ndc.error());
  auto parsedNdc = NdcTable::parse(*ndc, config.ndcHcpcsTable.string());
  if (!parsedNdc) return parsedNdc.error();
  tables.ndc = std::move(*parsedNdc);
  auto families = readInputFile(config.drugFamilyTable, kMaxTableBytes);
  if (!families) return asConfigError(families.error());
  auto parsedFamilies = DrugFamilyTable::parse(*families, config.drugFamilyTable.string());
  if (!parsedFamilies) return parsedFamilies.error();
  tables.families = std::move(*parsedFamilies);
  auto procedures = readInputFile(config.procedureCodeTable, kMaxTableBytes);
  if (!procedures) return asConfigError(procedures.error());
  auto parsedProcedures =
      ProcedureCodeTable::parse(*procedures, config.procedureCodeTable.string());
  if (!parsedProcedures) return parsedProcedures.error();
  tables.procedureCodes = std::move(*parsedProcedures);
  if (!config.ncciPtpTable.empty()) {
    auto ncci = readInputFile(config.ncciPtpTable, kMaxTableBytes);
    if (!ncci) return asConfigError(ncci.error());
    auto parsedNcci = NcciTable::parse(*ncci, config.ncciPtpTable.string());
    if (!parsedNcci) return parsedNcci.error();
    tables.ncci = std::move(*parsedNcci);
  }
  return tables;
}

CodingTables codingTablesOf(const LoadedTables& tables) {
  return {&tables.routes, &tables.ndc, &tables.families, &tables.ncci, &tables.procedureCodes};
}

}  // namespace fhir837
