#include "tables/route_table.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>

#include "tables/csv_lines.h"

namespace fhir837 {

const char* toString(Route route) {
  switch (route) {
    case Route::kSubcutaneous:
      return "SC";
    case Route::kIntravenous:
      return "IV";
    case Route::kIntramuscular:
      return "IM";
    case Route::kOther:
      return "OTHER";
    case Route::kUnknown:
      break;
  }
  return "UNKNOWN";
}

namespace {
std::string upper(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  // Collapse surrounding blanks: "  Subcutaneous route " matches "SUBCUTANEOUS ROUTE".
  auto first = out.find_first_not_of(' ');
  auto last = out.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

bool parseRoute(std::string_view name, Route& out) {
  if (name == "SC")
    out = Route::kSubcutaneous;
  else if (name == "IV")
    out = Route::kIntravenous;
  else if (name == "IM")
    out = Route::kIntramuscular;
  else if (name == "OTHER")
    out = Route::kOther;
  else
    return false;
  return true;
}
}  // namespace

void RouteTable::add(std::string system, std::string code, Route route) {
  if (system == "text") {
    text_[upper(code)] = route;
  } else {
    coded_[{std::move(system), std::move(code)}] = route;
  }
}

Result<RouteTable> RouteTable::parse(std::string_view csv, std::string_view source) {
  RouteTable table;
  std::optional<Error> error;
  auto header = forEachCsvRow(csv, [&](std::size_t line, const std::vector<std::string>& f) {
    Route route;
    if (f.size() != 3 || f[0].empty() || f[1].empty() || !parseRoute(f[2], route)) {
      error = makeError(ErrorCode::kConfig, "expected system,code,SC|IV|IM|OTHER",
                        std::string(source) + ":" + std::to_string(line));
      return false;
    }
    table.add(f[0], f[1], route);
    return true;
  });
  if (error) return *error;
  if (header != std::vector<std::string>{"system", "code", "route"}) {
    return makeError(ErrorCode::kConfig, "header must be system,code,route", std::string(source));
  }
  return table;
}

Route RouteTable::lookupCode(std::string_view system, std::string_view code) const {
  auto it = coded_.find(std::pair<std::string, std::string>(system, code));
  return it == coded_.end() ? Route::kUnknown : it->second;
}

Route RouteTable::lookupText(std::string_view text) const {
  auto it = text_.find(upper(text));
  return it == text_.end() ? Route::kUnknown : it->second;
}

}  // namespace fhir837
