#include "tables/procedure_code_table.h"

#include <optional>

#include "tables/csv_lines.h"

namespace fhir837 {

const char* toString(ProcedureKind kind) {
  switch (kind) {
    case ProcedureKind::kInfusion:
      return "infusion";
    case ProcedureKind::kInjection:
      return "injection";
    case ProcedureKind::kPush:
      return "push";
  }
  return "unknown";
}

namespace {
std::optional<Route> parseRoute(std::string_view name) {
  if (name == "SC") return Route::kSubcutaneous;
  if (name == "IV") return Route::kIntravenous;
  if (name == "IM") return Route::kIntramuscular;
  return std::nullopt;
}

std::optional<ProcedureKind> parseKind(std::string_view name) {
  if (name == "infusion") return ProcedureKind::kInfusion;
  if (name == "injection") return ProcedureKind::kInjection;
  if (name == "push") return ProcedureKind::kPush;
  return std::nullopt;
}
}  // namespace

void ProcedureCodeTable::add(std::string system, std::string code, ProcedureCodeMeaning meaning) {
  codes_[{std::move(system), std::move(code)}] = std::move(meaning);
}

std::optional<ProcedureCodeMeaning> ProcedureCodeTable::lookup(std::string_view system,
                                                               std::string_view code) const {
  auto it = codes_.find(std::pair<std::string, std::string>(system, code));
  if (it == codes_.end()) return std::nullopt;
  return it->second;
}

Result<ProcedureCodeTable> ProcedureCodeTable::parse(std::string_view csv,
                                                     std::string_view source) {
  ProcedureCodeTable table;
  std::optional<Error> error;
  auto fail = [&](std::size_t line, std::string message) {
    error = makeError(ErrorCode::kConfig, std::move(message),
                      std::string(source) + ":" + std::to_string(line));
    return false;
  };
  auto header = forEachCsvRow(csv, [&](std::size_t line, const std::vector<std::string>& f) {
    if (f.size() != 5 || f[0].empty() || f[1].empty()) {
      return fail(line, "expected system,code,route,kind,description");
    }
    auto route = parseRoute(f[2]);
    if (!route) return fail(line, "route must be SC, IV or IM");
    auto kind = parseKind(f[3]);
    if (!kind) return fail(line, "kind must be infusion, injection or push");
    if (table.lookup(f[0], f[1])) return fail(line, "code " + f[0] + "|" + f[1] + " listed twice");
    table.add(f[0], f[1], {*route, *kind, f[4]});
    return true;
  });
  if (error) return *error;
  if (header != std::vector<std::string>{"system", "code", "route", "kind", "description"}) {
    return makeError(ErrorCode::kConfig, "header must be system,code,route,kind,description",
                     std::string(source));
  }
  return table;
}

}  // namespace fhir837
