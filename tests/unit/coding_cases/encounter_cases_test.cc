// Encounter-level rules over several administrations of one claim: second pump set-up (INF-D2,
// 96371 once), same-site continuation and gaps (INF-R7), the add-on guard (INF-R6), MUE limits
// (MUE-D11) and duplicate events (EVT-DUP).

#include <gtest/gtest.h>

#include "case_runner.h"

namespace fhir837::testing {
namespace {

// ma-1: the sample's 95-minute SC infusion at the thigh, 09:00-10:35.
BundleBuilder first() { return BundleBuilder(); }
BundleBuilder medicare() {
  return BundleBuilder().payer("Medicare Part B", BundleBuilder::configuredPayerId("01182"));
}

const CodingCase kCases[] = {
    // --- INF-D2: second pump set-up ---
    {"second_setup_new_site_96371",
     [] { return first().addAdmin("ma-2").site(kSiteAbdomen).at(640, 40); },
     {"96369x1", "96370x1", "J1559x100", "96371x1", "J1559x100"},
     {},
     {"INF-D2", "INF-R7"}},
    {"third_setup_no_second_96371",
     [] {
       return first()
           .addAdmin("ma-2")
           .site(kSiteAbdomen)
           .at(640, 40)
           .addAdmin("ma-3")
           .site(textConcept("left deltoid"))
           .at(690, 30);
     },
     {"96369x1", "96370x1", "J1559x100", "96371x1", "J1559x100", "J1559x100"},
     {},
     {"INF-D2"}},
    {"second_setup_other_drug_96371",
     [] { return first().addAdmin("ma-2").drug("cuvitru").at(640, 40); },
     {"96369x1", "96370x1", "J1559x100", "96371x1", "J1555x100"},
     {},
     {"INF-D2"}},
    // Extra sites named at the first set-up are still one 96369 (R5).
    {"many_sites_first_setup_one_96369",
     [] {
       return first().site(R"({"coding":[{"system":"http://snomed.info/sct","code":"61685007"},)"
                           R"({"system":"http://snomed.info/sct","code":"818983003"}]})");
     },
     {"96369x1", "96370x1", "J1559x100"},
     {}},
    // The time of the second set-up is not added to the first hour's chain.
    {"second_setup_time_not_added",
     [] { return first().minutes(60).addAdmin("ma-2").site(kSiteAbdomen).at(600, 120); },
     {"96369x1", "J1559x100", "96371x1", "J1559x100"},
     {},
     {"INF-D2"}},

    // --- INF-R7: same site, same drug ---
    {"continuation_gap_10min_time_added",
     [] { return first().minutes(60).addAdmin("ma-2").at(610, 35); },
     {"96369x1", "96370x1", "J1559x100", "J1559x100"},
     {},
     {"INF-R7"}},
    {"continuation_gap_15min_time_added",
     [] { return first().minutes(60).addAdmin("ma-2").at(615, 35); },
     {"96369x1", "96370x1", "J1559x100", "J1559x100"},
     {},
     {"INF-R7"}},
    {"continuation_gap_16min_review",
     [] { return first().minutes(60).addAdmin("ma-2").at(616, 35); },
     {"96369x1", "J1559x100"},
     {"ma-2 needs-review INF-R7"}},
    // Overlapping records of one infusion count the shared time once: 60 + 30 = 90 min.
    {"continuation_overlap_counted_once",
     [] { return first().minutes(60).addAdmin("ma-2").at(570, 60); },
     {"96369x1", "J1559x100", "J1559x100"},
     {},
     {"INF-R7"}},
    // A pump record of <= 15 min joins the chain: 10 + 28 min at one site is one 38-min infusion.
    {"continuation_short_pump_record_joins_chain",
     [] { return first().minutes(10).addAdmin("ma-2").at(552, 28); },
     {"96369x1", "J1559x100", "J1559x100"},
     {},
     {"INF-R7"}},
    // A second site started together with the first is part of the initial set-up (R5).
    {"second_site_at_initial_setup_no_96371",
     [] { return first().addAdmin("ma-2").site(kSiteAbdomen).at(540, 95); },
     {"96369x1", "96370x1", "J1559x100", "J1559x100"},
     {},
     {"INF-R7"}},
    // Continuations listed out of order are chained by start time.
    {"continuation_out_of_order",
     [] { return first().at(610, 35).addAdmin("ma-2").at(540, 60); },
     {"J1559x100", "96369x1", "96370x1", "J1559x100"},
     {},
     {"INF-R7"}},

    // --- INF-R6: add-ons whose primary went to review ---
    {"orphan_96371_when_primary_reviewed",
     [] {
       return first()
           .liability("GA")
           .liability("GZ")
           .addAdmin("ma-2")
           .site(kSiteAbdomen)
           .at(640, 40);
     },
     {},
     {"ma-1 needs-review MOD-GA", "ma-2 needs-review INF-R6"}},
    {"orphan_96367_when_primary_reviewed",
     [] {
       return first()
           .route(kRouteIv)
           .drug("gammagard")
           .minutes(60)
           .liability("GA")
           .liability("GY")
           .addAdmin("ma-2")
           .drug("hizentra")
           .at(600, 45);
     },
     {},
     {"ma-1 needs-review MOD-GA", "ma-2 needs-review INF-R6"}},

    // --- MUE-D11 ---
    // The shipped Medicare limits (96369 = 1, 96371 = 1) cannot be exceeded inside one claim: the
    // SC chain emits one 96369 and at most one 96371 per encounter, and a second encounter is a
    // second claim. tightMueContext sets limits a single claim can reach (96370 = 2, 96372 = 1).
    // Medicare's MUE for 96369 is 1, but a second encounter is a second claim: both bill.
    {"mue_two_encounters_same_day",
     [] {
       return medicare().addEncounter("enc-2").addAdmin("ma-2").encounter("enc-2").at(780, 95);
     },
     {"96369x1", "96370x1", "J1559-JZx100", "96369x1", "96370x1", "J1559-JZx100"},
     {}},
    {"mue_96370_over_limit_review",
     [] { return medicare().minutes(211); },
     {},
     {"ma-1 needs-review MUE-D11"},
     {},
     {},
     {},
     &tightMueContext},
    {"mue_96370_at_limit_billed",
     [] { return medicare().minutes(151); },
     {"96369x1", "96370x2", "J1559-JZx100"},
     {},
     {},
     {},
     {},
     &tightMueContext},
    {"mue_96372_second_injection_review",
     [] { return medicare().noEvidence().addAdmin("ma-2").at(700, 5); },
     {"96372x1", "J1559-JZx100"},
     {"ma-2 needs-review MUE-D11"},
     {},
     {},
     {},
     &tightMueContext},
    {"two_sc_injections_no_mue",
     [] { return first().noEvidence().addAdmin("ma-2").at(700, 5); },
     {"96372x1", "J1559x100", "96372x1", "J1559x100"},
     {}},

    // --- EVT-DUP: the same event twice in one run is billed once ---
    {"duplicate_event_id",
     [] { return first().addAdmin("ma-1"); },
     {"96369x1", "96370x1", "J1559x100"},
     {"ma-1 not-billable EVT-DUP"}},
};

class EncounterCases : public ::testing::TestWithParam<CodingCase> {};

TEST_P(EncounterCases, CodesAsTheRulesSay) { checkCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(CodingCases, EncounterCases, ::testing::ValuesIn(kCases), caseName);

// The chain's add-on is on the first set-up's lines, and 96371 on the second's (R5/R6).
TEST(EncounterLines, AddOnsSitOnTheirOwnEvents) {
  const CaseResult result =
      runBundle(shippedContext(), first().addAdmin("ma-2").site(kSiteAbdomen).at(640, 40).json());
  ASSERT_EQ(result.report.claims.size(), 1u);
  std::vector<std::string> sources;
  for (const auto& line : result.report.claims[0].claim.lines) {
    sources.push_back(line.procedureCode + "<-" + shortEvent(line.sourceEventId));
  }
  EXPECT_EQ(sources, (std::vector<std::string>{"96369<-ma-1", "96370<-ma-1", "J1559<-ma-1",
                                               "96371<-ma-2", "J1559<-ma-2"}));
}

}  // namespace
}  // namespace fhir837::testing
