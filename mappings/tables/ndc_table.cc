#include "tables/ndc_table.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>

#include "core/decimal.h"
#include "tables/csv_lines.h"

namespace fhir837 {

namespace {
bool allDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool isDate(std::string_view s) { return s.empty() || (s.size() == 8 && allDigits(s)); }

bool validOn(const NdcHcpcsEntry& e, std::string_view date) {
  return (e.validFrom.empty() || e.validFrom <= date) && (e.validTo.empty() || date <= e.validTo);
}
}  // namespace

Result<std::string> normalizeNdc(std::string_view ndc) {
  auto invalid = [&](const char* why) {
    return makeError(ErrorCode::kInvalidValue, std::string("NDC ") + why, std::string(ndc));
  };
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dash = ndc.find('-', start);
    parts.push_back(ndc.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  for (auto part : parts) {
    if (!allDigits(part)) return invalid("must contain only digits and hyphens");
  }
  if (parts.size() == 1) {
    if (ndc.size() == 11) return std::string(ndc);
    return invalid(ndc.size() == 10 ? "of 10 digits without hyphens is ambiguous"
                                    : "must have 10 or 11 digits");
  }
  if (parts.size() != 3) return invalid("must have three hyphen-separated segments");
  auto sizes = std::make_tuple(parts[0].size(), parts[1].size(), parts[2].size());
  std::string labeler(parts[0]), product(parts[1]), package(parts[2]);
  if (sizes == std::make_tuple(std::size_t{5}, std::size_t{4}, std::size_t{2})) {
  } else if (sizes == std::make_tuple(std::size_t{4}, std::size_t{4}, std::size_t{2})) {
    labeler.insert(0, "0");
  } else if (sizes == std::make_tuple(std::size_t{5}, std::size_t{3}, std::size_t{2})) {
    product.insert(0, "0");
  } else if (sizes == std::make_tuple(std::size_t{5}, std::size_t{4}, std::size_t{1})) {
    package.insert(0, "0");
  } else {
    return invalid("segments must be 4-4-2, 5-3-2, 5-4-1 or 5-4-2");
  }
  return labeler + product + package;
}

Result<NdcTable> NdcTable::parse(std::string_view csv, std::string_view source) {
  NdcTable table;
  std::optional<Error> error;
  auto header = forEachCsvRow(csv, [&](std::size_t line, const std::vector<std::string>& f) {
    auto fail = [&](const std::string& why) {
      error = makeError(ErrorCode::kConfig, why, std::string(source) + ":" + std::to_string(line));
      return false;
    };
    if (f.size() != 7) return fail("expected 7 fields");
    NdcHcpcsEntry e;
    if (f[0].size() != 11 || !allDigits(f[0])) return fail("ndc11 must be 11 digits");
    e.ndc11 = f[0];
    if (f[1].size() != 5) return fail("hcpcs must be 5 characters");
    e.hcpcs = f[1];
    auto micros = parseMicros(f[2]);
    if (!micros || *micros == 0) return fail("mg_per_unit must be a positive number");
    e.microgramsPerUnit = *micros / 1000;
    if (*micros % 1000 != 0) return fail("mg_per_unit supports at most 3 decimals");
    if (!isDate(f[3]) || !isDate(f[4])) return fail("valid_from/valid_to must be CCYYMMDD");
    e.validFrom = f[3];
    e.validTo = f[4];
    if (f[5] != "Y" && f[5] != "N") return fail("single_dose must be Y or N");
    e.singleDose = f[5] == "Y";
    e.description = f[6];
    table.add(std::move(e));
    return true;
  });
  if (error) return *error;
  if (header.size() != 7 || header[0] != "ndc11") {
    return makeError(ErrorCode::kConfig,
                     "header must be ndc11,hcpcs,mg_per_unit,valid_from,valid_to,single_dose,"
                     "description",
                     std::string(source));
  }
  return table;
}

const NdcHcpcsEntry* NdcTable::find(std::string_view ndc11, std::string_view date) const {
  for (const auto& e : entries_) {
    if (e.ndc11 == ndc11 && validOn(e, date)) return &e;
  }
  return nullptr;
}

const NdcHcpcsEntry* NdcTable::findHcpcs(std::string_view hcpcs, std::string_view date) const {
  for (const auto& e : entries_) {
    if (e.hcpcs == hcpcs && validOn(e, date)) return &e;
  }
  return nullptr;
}

}  // namespace fhir837
