#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "tables/route_table.h"

namespace fhir837 {

// How a drug went in, as a Procedure code says it (never the codes to bill: time decides those).
enum class ProcedureKind { kInfusion, kInjection, kPush };

const char* toString(ProcedureKind kind);

struct ProcedureCodeMeaning {
  Route route = Route::kUnknown;
  ProcedureKind kind = ProcedureKind::kInjection;
  std::string description;
  bool operator==(const ProcedureCodeMeaning&) const = default;
};

// Procedure.code (system, code) -> route and kind, from mappings/tables/procedure_codes.csv
// (issue 9 §3: CPT 963xx/964xx and other code systems' administration procedures).
class ProcedureCodeTable {
 public:
  // Header "system,code,route,kind,description"; '#' comments. Errors name the line.
  static Result<ProcedureCodeTable> parse(std::string_view csv, std::string_view source);

  std::optional<ProcedureCodeMeaning> lookup(std::string_view system, std::string_view code) const;
  void add(std::string system, std::string code, ProcedureCodeMeaning meaning);

 private:
  std::map<std::pair<std::string, std::string>, ProcedureCodeMeaning, std::less<>> codes_;
};

}  // namespace fhir837
