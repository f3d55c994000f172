#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "coder.h"
#include "coder_fixture.h"

namespace fhir837 {
namespace {

using testing::codeable;
using testing::coding;
using testing::ScigCase;
using testing::unitsOf;

enum class RouteKind { kSc, kIv, kIm, kUnknown, kNone };
enum class Evidence { kNone, kDevice, kRate, kMethod, kProcedure };

const std::vector<std::string> kStatuses = {
    "completed", "completed",        "completed", "in-progress", "on-hold", "unknown", "stopped",
    "not-done",  "entered-in-error", "",          "bogus"};

void applyRoute(ScigCase& c, RouteKind route) {
  switch (route) {
    case RouteKind::kSc:
      c.ma.dosage->route = testing::scRoute();
      break;
    case RouteKind::kIv:
      c.ma.dosage->route = testing::ivRoute();
      break;
    case RouteKind::kIm:
      c.ma.dosage->route = testing::imRoute();
      break;
    case RouteKind::kUnknown:
      c.ma.dosage->route = codeable({coding(testing::kSnomed, "123")}, "per pump");
      break;
    case RouteKind::kNone:
      c.ma.dosage->route = CodeableConcept{};
      break;
  }
}

void applyEvidence(ScigCase& c, Evidence evidence) {
  c.ma.device.clear();
  switch (evidence) {
    case Evidence::kNone:
      break;
    case Evidence::kDevice:
      c.ma.device.push_back(Reference{"Device/pump1", "", std::nullopt, ""});
      break;
    case Evidence::kRate:
      c.ma.dosage->rateQuantity = testing::quantity("20", "mL/h");
      break;
    case Evidence::kMethod:
      c.ma.dosage->method = codeable({}, "infusion");
      break;
    case Evidence::kProcedure: {
      Procedure p;
      p.id = "p1";
      p.code = codeable({coding("http://www.ama-assn.org/go/cpt", "96370")});
      c.procedures.push_back(p);
      break;
    }
  }
}

// Invariants every coding must satisfy, whatever the input.
void checkInvariants(const EventCoding& coding, RouteKind route, const std::string& context) {
  if (coding.kind != OutcomeKind::kBilled) {
    ASSERT_TRUE(coding.lines.empty()) << context;
    ASSERT_FALSE(coding.rule.empty()) << context;
    return;
  }
  ASSERT_TRUE(coding.rule.empty()) << context;
  ASSERT_NE(route, RouteKind::kUnknown) << context;
  ASSERT_NE(route, RouteKind::kNone) << context;
  if (route != RouteKind::kSc) {
    for (const char* code : {"96369", "96370", "96371"}) {
      ASSERT_EQ(unitsOf(coding, code), 0) << context << " " << code;
    }
  }
  if (route == RouteKind::kIv) {
    ASSERT_EQ(unitsOf(coding, "96372"), 0) << context;
  } else {
    for (const char* code : {"96365", "96366", "96374"}) {
      ASSERT_EQ(unitsOf(coding, code), 0) << context << " " << code;
    }
  }
  // Add-ons only with their primary; exactly one initial administration code per event.
  ASSERT_TRUE(unitsOf(coding, "96370") == 0 || unitsOf(coding, "96369") == 1) << context;
  ASSERT_TRUE(unitsOf(coding, "96366") == 0 || unitsOf(coding, "96365") == 1) << context;
  ASSERT_EQ(unitsOf(coding, "96369") + unitsOf(coding, "96372") + unitsOf(coding, "96365") +
                unitsOf(coding, "96374"),
            1)
      << context;
  ASSERT_EQ(unitsOf(coding, "J1559"), 100) << context;
}

TEST(CoderPropertyTest, RandomAdministrationsKeepTheRouteAndAddOnRules) {
  std::mt19937 random(20240305);
  std::uniform_int_distribution<int> routePick(0, 4), evidencePick(0, 4), minutesPick(0, 600);
  std::uniform_int_distribution<std::size_t> statusPick(0, kStatuses.size() - 1);
  int billed = 0, infusions = 0;
  for (int i = 0; i < 3000; ++i) {
    ScigCase c;
    const auto route = static_cast<RouteKind>(routePick(random));
    const auto evidence = static_cast<Evidence>(evidencePick(random));
    const int minutes = minutesPick(random);
    c.ma.status = kStatuses[statusPick(random)];
    applyRoute(c, route);
    applyEvidence(c, evidence);
    c.setMinutes(minutes);
    EventCoding coding = c.code();
    const std::string context = "case " + std::to_string(i) + " route " +
                                std::to_string(static_cast<int>(route)) + " evidence " +
                                std::to_string(static_cast<int>(evidence)) + " " +
                                std::to_string(minutes) + " min status '" + c.ma.status + "'";
    checkInvariants(coding, route, context);
    if (coding.kind == OutcomeKind::kBilled) ++billed;
    if (unitsOf(coding, "96369") == 1) ++infusions;
    // Completed SC with evidence is billed by the duration rule, exactly as D1 says.
    if (c.ma.status == "completed" && route == RouteKind::kSc && evidence != Evidence::kNone) {
      ASSERT_EQ(coding.kind, OutcomeKind::kBilled) << context;
      InfusionUnits expected = infusionUnitsForMinutes(minutes);
      ASSERT_EQ(unitsOf(coding, "96369"), expected.initialHour) << context;
      ASSERT_EQ(unitsOf(coding, "96370"), expected.addOnHours) << context;
    }
    if (c.ma.status != "completed") {
      ASSERT_NE(coding.kind, OutcomeKind::kBilled) << context;
    }
  }
  // The generator must actually reach the interesting outcomes.
  EXPECT_GT(billed, 300);
  EXPECT_GT(infusions, 100);
}

TEST(CoderPropertyTest, AddOnUnitsNeverDecreaseAsDurationGrows) {
  for (Evidence evidence :
       {Evidence::kDevice, Evidence::kRate, Evidence::kMethod, Evidence::kProcedure}) {
    for (bool strict : {true, false}) {
      ScigCase c;
      applyEvidence(c, evidence);
      c.policy.addOn.strict = strict;
      std::int64_t previous = 0;
      for (int minutes = 0; minutes <= 600; ++minutes) {
        c.setMinutes(minutes);
        EventCoding coding = c.code();
        ASSERT_EQ(coding.kind, OutcomeKind::kBilled) << minutes << " " << coding.reason;
        const std::int64_t addOn = unitsOf(coding, "96370");
        ASSERT_GE(addOn, previous) << minutes;
        ASSERT_TRUE(addOn == 0 || unitsOf(coding, "96369") == 1) << minutes;
        previous = addOn;
      }
      EXPECT_EQ(previous, 9);  // 600 min: floor(569 / 60) strict, floor(570 / 60) not
    }
  }
}

}  // namespace
}  // namespace fhir837
