// Properties over random Bundles through the real pipeline: whatever the route, evidence,
// duration, status, payer, place of service or second administration, (1) no non-SC administration
// yields 96369/96370/96371, (2) 96370/96371 never appear without 96369 on the same claim and date,
// (3) 96370 units never decrease as the same infusion runs longer, and (4) every claim emitted
// with X12_837PEmitter or X12_837IEmitter passes x12::checkStructure and the guide validator.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "case_runner.h"
#include "emitters/emitter.h"
#include "emitters/x12_common/x12_structure_check.h"
#include "support/x12_validation.h"

namespace fhir837::testing {
namespace {

struct RouteChoice {
  std::string json;
  bool sc;
};

const std::vector<RouteChoice>& routeChoices() {
  static const std::vector<RouteChoice> kRoutes = {
      {kRouteSc, true},
      {codeable(kSnomedSys, "263887005"), true},
      {codeable(kV2RouteSys, "SC"), true},
      {codeable("http://ncit.nci.nih.gov", "C38299"), true},
      {textConcept("SubQ"), true},
      {textConcept("subcutaneous"), true},
      {kRouteIv, false},
      {codeable(kV2RouteSys, "IV"), false},
      {kRouteIm, false},
      {codeable(kV2RouteSys, "IM"), false},
      {codeable(kSnomedSys, "26643006"), false},  // oral
      {codeable(kSnomedSys, "999999"), false},    // unknown
      {R"({"coding":[{"system":"http://snomed.info/sct","code":"34206005"},)"
       R"({"system":"http://snomed.info/sct","code":"47625008"}]})",
       false},      // conflicting
      {"", false},  // missing
  };
  return kRoutes;
}

class RandomCase {
 public:
  explicit RandomCase(std::uint32_t seed) : rng_(seed) {}

  // Builds a random Bundle and records, per event id, whether its route is SC.
  BundleBuilder build(std::map<std::string, bool>& isSc) {
    BundleBuilder b;
    static const char* kPayers[][2] = {{"Aetna", "60054"},
                                       {"Cigna", "62308"},
                                       {"UnitedHealthcare", "87726"},
                                       {"Medicare Part B", "01182"},
                                       {"Blue Cross of Illinois", "00621"}};
    const auto& payer = kPayers[pick(5)];
    b.payer(payer[0], BundleBuilder::configuredPayerId(payer[1]));
    static const char* kPos[] = {"11", "11", "11", "12", "22"};
    b.pos(kPos[pick(5)]);
    randomEvent(b, "ma-1", 480, isSc);
    const int second = pick(4);  // 0: none; 1: same site/drug; 2: new site; 3: anything
    if (second > 0) {
      b.addAdmin("ma-2");
      randomEvent(b, "ma-2", 480 + pick(240), isSc);
      if (second == 1) {
        b.route(kRouteSc).site(kSiteThigh);
        isSc["ma-2"] = true;
      }
      if (second == 2) b.site(kSiteAbdomen).drug(pick(2) ? "cuvitru" : "hizentra");
    }
    return b;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  void randomEvent(BundleBuilder& b, const std::string& id, int start,
                   std::map<std::string, bool>& isSc) {
    const auto& route =
        routeChoices()[static_cast<std::size_t>(pick(static_cast<int>(routeChoices().size())))];
    b.route(route.json);
    isSc[id] = route.sc;
    b.noEvidence();
    switch (pick(6)) {
      case 0:
        break;
      case 1:
        b.device(true);
        break;
      case 2:
        b.rate(kRateQuantity);
        break;
      case 3:
        b.rate(kRateRatio);
        break;
      case 4:
        b.method(textConcept("pump infusion"));
        break;
      default:
        b.procedure("96369");
        break;
    }
    if (pick(10) == 0) {
      b.dateTime("2025-03-10T09:00:00-05:00");
    } else {
      b.at(start, pick(601));
    }
    static const char* kStatus[] = {"completed",        "completed", "completed", "completed",
                                    "in-progress",      "on-hold",   "stopped",   "not-done",
                                    "entered-in-error", "unknown"};
    b.status(kStatus[pick(10)]);
  }

  std::mt19937 rng_;
};

Envelope envelopeFor(const AppConfig& config) {
  Envelope envelope;
  envelope.partner = config.partner;
  envelope.interchangeControlNumber = envelope.groupControlNumber = 1;
  envelope.transactionControlNumber = 1;
  envelope.date = "20250310";
  envelope.time = "1200";
  envelope.batchReference = "1";
  return envelope;
}

bool isScFamily(const std::string& code) {
  return code == "96369" || code == "96370" || code == "96371";
}

// Runs `count` random Bundles with the claim form forced to `form` and checks the invariants on
// every claim, emitting each with `emitter`. Returns how often each code was produced.
std::map<std::string, int> checkRandomBundles(ClaimForm form, std::uint32_t count,
                                              const Emitter& emitter) {
  // Without the default MUE caps: up to 600 min earns 96370 x9 (MUE-D11 is tested on its own).
  const CaseContext& context = noMueContext();
  const Envelope envelope = envelopeFor(context.config);
  std::map<std::string, int> codesSeen;
  for (std::uint32_t seed = 1; seed <= count; ++seed) {
    std::map<std::string, bool> isSc;
    const std::string json = RandomCase(seed).build(isSc).json();
    const CaseResult result = runBundle(context, json, form);
    for (const auto& record : result.report.claims) {
      const Claim& claim = record.claim;
      ++codesSeen["claims"];
      std::set<std::string> primaryDates;
      for (const auto& line : claim.lines) {
        ++codesSeen[line.procedureCode];
        if (isScFamily(line.procedureCode)) {
          EXPECT_TRUE(isSc.at(shortEvent(line.sourceEventId)))
              << "seed " << seed << ": " << line.procedureCode << " on a non-SC event\n"
              << json;
        }
        if (line.procedureCode == "96369") primaryDates.insert(line.serviceDateFrom);
      }
      for (const auto& line : claim.lines) {
        if (line.procedureCode == "96370" || line.procedureCode == "96371") {
          EXPECT_TRUE(primaryDates.count(line.serviceDateFrom))
              << "seed " << seed << ": " << line.procedureCode << " without 96369\n"
              << json;
        }
      }
      const Claim single[] = {claim};
      auto text = emitter.emit(single, envelope);
      if (!text) {
        ADD_FAILURE() << "seed " << seed << ": " << text.error().message;
        continue;
      }
      Status structure = x12::checkStructure(*text);
      EXPECT_TRUE(structure) << "seed " << seed << ": " << structure.error().message << " at "
                             << structure.error().where;
      EXPECT_TRUE(isValid837(*text)) << "seed " << seed;
    }
    if (::testing::Test::HasFailure()) break;  // one seed's story is enough to read
  }
  return codesSeen;
}

TEST(CodingProperties, RandomBundlesKeepTheInvariantsOn837P) {
  auto seen = checkRandomBundles(ClaimForm::k837P, 2000, X12_837PEmitter());
  // The generator must reach the interesting codes, or the properties prove nothing.
  EXPECT_GT(seen["claims"], 500);
  for (const char* code : {"96369", "96370", "96371", "96372", "96365", "96366", "96374"}) {
    EXPECT_GT(seen[code], 0) << code << " never produced";
  }
}

TEST(CodingProperties, RandomBundlesKeepTheInvariantsOn837I) {
  auto seen = checkRandomBundles(ClaimForm::k837I, 300, X12_837IEmitter());
  EXPECT_GT(seen["claims"], 50);
  EXPECT_GT(seen["96369"], 0);
}

std::int64_t unitsOf(const CaseResult& result, const std::string& code) {
  std::int64_t units = 0;
  for (const auto& record : result.report.claims) {
    for (const auto& line : record.claim.lines) {
      if (line.procedureCode == code) units += line.units;
    }
  }
  return units;
}

TEST(CodingProperties, AddOnUnitsNeverDecreaseWithDuration) {
  // Without the default MUE caps: up to 600 min earns 96370 x9 (MUE-D11 is tested on its own).
  const CaseContext& context = noMueContext();
  std::mt19937 rng(96370);
  const auto& routes = routeChoices();
  for (int round = 0; round < 60; ++round) {
    const auto& route = routes[rng() % 6];  // the SC aliases
    const bool evidence = rng() % 4 != 0;
    int minutes = static_cast<int>(rng() % 40);
    std::int64_t previous = 0;
    for (int step = 0; step < 6; ++step) {
      BundleBuilder b = BundleBuilder().route(route.json).minutes(minutes);
      if (!evidence) b.noEvidence();
      const std::int64_t units = unitsOf(runBundle(context, b.json()), "96370");
      ASSERT_GE(units, previous) << "round " << round << ": " << minutes << " min";
      if (!evidence) {
        EXPECT_EQ(units, 0) << "an injection has no add-on hours";
      }
      previous = units;
      minutes += 1 + static_cast<int>(rng() % 120);
    }
  }
}

}  // namespace
}  // namespace fhir837::testing
