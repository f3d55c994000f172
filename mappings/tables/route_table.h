#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace fhir837 {

enum class Route { kUnknown, kSubcutaneous, kIntravenous, kIntramuscular, kOther };

const char* toString(Route route);

// Route aliases (coding-rules D4, R31) loaded from mappings/tables/routes.csv: coded routes by
// (system, code), free-text routes by upper-cased text.
class RouteTable {
 public:
  // Parses the CSV text (header "system,code,route"; '#' comments). Errors name the line.
  static Result<RouteTable> parse(std::string_view csv, std::string_view source);

  Route lookupCode(std::string_view system, std::string_view code) const;
  Route lookupText(std::string_view text) const;

  void add(std::string system, std::string code, Route route);

 private:
  std::map<std::pair<std::string, std::string>, Route, std::less<>> coded_;
  std::map<std::string, Route, std::less<>> text_;
};

}  // namespace fhir837
