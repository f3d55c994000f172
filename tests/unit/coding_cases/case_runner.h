#pragma once

// Runs a Bundle through the real pipeline the way `fhir837 explain` does (convertInputs with
// writeFiles = false, an in-memory ledger, a fixed clock) and flattens the report into strings a
// table of cases can compare: claim lines as "CODE[-MOD...]xUNITS", events not billed as
// "EVENT-ID KIND RULE". Config and tables are loaded once per process.

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bundle_builder.h"
#include "engine/clock.h"
#include "engine/config/config_loader.h"
#include "engine/config/table_loader.h"
#include "engine/converter.h"
#include "store/state_store.h"
#include "support/test_paths.h"

namespace fhir837::testing {

struct CaseContext {
  AppConfig config;
  LoadedTables tables;
  CodingTables coding() const { return {&tables.routes, &tables.ndc, &tables.families}; }
};

inline std::unique_ptr<CaseContext> loadCaseContext() {
  auto config = loadConfig(sourceDir() / "config" / "fhir837.toml");
  if (!config) throw std::runtime_error("config: " + config.error().message);
  auto tables = loadTables(*config);
  if (!tables) throw std::runtime_error("tables: " + tables.error().message);
  return std::make_unique<CaseContext>(CaseContext{std::move(*config), std::move(*tables)});
}

inline PayerProfile& profileNamed(AppConfig& config, const std::string& key) {
  for (auto& profile : config.payers) {
    if (profile.key == key) return profile;
  }
  throw std::runtime_error("no payer profile " + key);
}

// The shipped config/fhir837.toml and mappings/tables, as a site would run them.
inline const CaseContext& shippedContext() {
  static const std::unique_ptr<CaseContext> context = loadCaseContext();
  return *context;
}

// Shipped, plus the crosswalk rows and fees the shipped data lacks (J1561 500 mg and J9267 1 mg per
// unit, J9217 7.5 mg per unit;
// coding-rules R21/R13), so the engine's logic for those drugs can be reached at all.
inline const CaseContext& extendedContext() {
  static const std::unique_ptr<CaseContext> context = [] {
    auto c = loadCaseContext();
    c->tables.ndc.add({"00000000001", "J1561", 500000, "20080101", "", true, "test row"});
    c->tables.ndc.add({"00000000002", "J9267", 1000, "20080101", "", true, "test row"});
    c->tables.ndc.add({"00000000003", "J9217", 7500, "20080101", "", true, "test row"});
    c->config.feeCentsPerUnit["J9267"] = 1000;
    c->config.feeCentsPerUnit["J9217"] = 20000;
    return c;
  }();
  return *context;
}

// Shipped, with `stopped = "bill-actual-time"` (coding-rules D6 option).
inline const CaseContext& actualTimeContext() {
  static const std::unique_ptr<CaseContext> context = [] {
    auto c = loadCaseContext();
    c->config.stoppedBillsActualTime = true;
    return c;
  }();
  return *context;
}

// Shipped, with Medicare MUE limits a claim can actually reach (96370 = 2, 96372 = 1).
inline const CaseContext& tightMueContext() {
  static const std::unique_ptr<CaseContext> context = [] {
    auto c = loadCaseContext();
    profileNamed(c->config, "medicare").mueUnits["96370"] = 2;
    profileNamed(c->config, "medicare").mueUnits["96372"] = 1;
    return c;
  }();
  return *context;
}

// Shipped, without MUE limits: the duration arithmetic (INF-D1) alone, beyond the default caps.
inline const CaseContext& noMueContext() {
  static const std::unique_ptr<CaseContext> context = [] {
    auto c = loadCaseContext();
    for (auto& profile : c->config.payers) profile.mueUnits.clear();
    return c;
  }();
  return *context;
}

struct CaseResult {
  ConvertReport report;
  std::vector<std::string> lines;      // every claim's lines, claims in report order
  std::vector<std::string> notBilled;  // "ma-2 needs-review INF-D8"
  std::set<std::string> trailRules;    // rule ids in any line's or outcome's trail
};

inline std::string lineText(const ServiceLine& line) {
  std::string text = line.procedureCode;
  for (const auto& modifier : line.modifiers) text += "-" + modifier;
  return text + "x" + std::to_string(line.units);
}

inline std::string shortEvent(const std::string& eventRef) {
  auto slash = eventRef.find('/');
  return slash == std::string::npos ? eventRef : eventRef.substr(slash + 1);
}

// `form` forces the claim form like `--form`; nullopt lets the config's billing profiles decide.
inline CaseResult runBundle(const CaseContext& context, const std::string& json,
                            std::optional<ClaimForm> form = ClaimForm::k837P) {
  static TempDir dir;
  static std::atomic<int> counter{0};
  const auto path = dir.path() / ("case-" + std::to_string(counter++) + ".json");
  writeFile(path, json);
  auto store = StateStore::openInMemory();
  if (!store) throw std::runtime_error("store: " + store.error().message);
  ConvertOptions options;
  options.inputs = {path};
  options.writeFiles = false;
  options.form = form;
  // After every service date the cases use (2025-03-10, the 2025-11-02 DST change): DOS-FUTURE
  // compares with this clock.
  FixedClock clock(1767225600);  // 2026-01-01T00:00:00Z
  auto report = convertInputs(context.config, context.coding(), options, clock, **store);
  std::filesystem::remove(path);
  if (!report) throw std::runtime_error("convertInputs: " + report.error().message);
  CaseResult result;
  result.report = std::move(*report);
  for (const auto& input : result.report.inputs) {
    if (input.error) result.notBilled.push_back("input rejected " + input.error->message);
  }
  for (const auto& record : result.report.claims) {
    for (const auto& line : record.claim.lines) {
      result.lines.push_back(lineText(line));
      for (const auto& step : line.trail) result.trailRules.insert(step.rule);
    }
  }
  for (const auto& outcome : result.report.outcomes) {
    result.notBilled.push_back(shortEvent(outcome.event) + " " + toString(outcome.kind) + " " +
                               outcome.rule);
    result.trailRules.insert(outcome.rule);
    for (const auto& step : outcome.trail) result.trailRules.insert(step.rule);
  }
  return result;
}

// One row of a case table.
struct CodingCase {
  std::string name;
  std::function<BundleBuilder()> build;
  std::vector<std::string> lines;       // exact, in order
  std::vector<std::string> notBilled;   // exact, in report order
  std::vector<std::string> trail = {};  // rule ids that must appear
  std::string payerId = {};             // when set: first claim's NM109
  std::string sbr09 = {};               // when set: first claim's SBR09
  const CaseContext& (*context)() = &shippedContext;
  std::optional<ClaimForm> form = ClaimForm::k837P;  // forced like --form; nullopt: config decides
  std::optional<ClaimForm> claimForm = {};           // when set: the form every claim must have
};

inline void PrintTo(const CodingCase& c, std::ostream* os) { *os << c.name; }

inline std::string caseName(const ::testing::TestParamInfo<CodingCase>& info) {
  return info.param.name;
}

inline std::string explainOutcomes(const CaseResult& result) {
  std::string text;
  for (const auto& outcome : result.report.outcomes) {
    text += "  " + outcome.event + " " + toString(outcome.kind) + " " + outcome.rule + ": " +
            outcome.reason + " @ " + outcome.path + "\n";
  }
  return text;
}

inline void checkCase(const CodingCase& c) {
  const CaseResult result = runBundle(c.context(), c.build().json(), c.form);
  SCOPED_TRACE(explainOutcomes(result));
  EXPECT_EQ(result.lines, c.lines);
  EXPECT_EQ(result.notBilled, c.notBilled);
  for (const auto& rule : c.trail) {
    EXPECT_TRUE(result.trailRules.count(rule)) << "trail lacks " << rule;
  }
  if (c.claimForm) {
    for (const auto& record : result.report.claims) {
      EXPECT_EQ(record.claim.form, *c.claimForm) << record.claim.patientControlNumber;
    }
  }
  if (!c.payerId.empty() || !c.sbr09.empty()) {
    ASSERT_FALSE(result.report.claims.empty());
    const Claim& claim = result.report.claims.front().claim;
    if (!c.payerId.empty()) {
      EXPECT_EQ(claim.payer.payerId, c.payerId);
    }
    if (!c.sbr09.empty()) {
      EXPECT_EQ(claim.subscriber.claimFilingIndicator, c.sbr09);
    }
  }
}

}  // namespace fhir837::testing
