// IV family (IV-R12, IV-R15: 96365/96366/96367/96368/96374/96375/96376), chemotherapy (CHEMO-R13:
// 96401/96402/96409/96411/96413/96415/96417), IV + SC review (INF-D8) and the JA/JB route
// modifiers of IG products that go either way (J1561, J1569).

#include <gtest/gtest.h>

#include "case_runner.h"

namespace fhir837::testing {
namespace {

// Gammagard (J1569, 500 mg units) IV for `minutes` from 09:00.
BundleBuilder ivGammagard(int minutes) {
  return BundleBuilder().route(kRouteIv).drug("gammagard").minutes(minutes);
}
// Paclitaxel 175 mg (J9267, 1 mg units) from an HCPCS coding on the Medication.
BundleBuilder chemo(const std::string& route, int minutes) {
  return BundleBuilder()
      .route(route)
      .drug("paclitaxel-hcpcs")
      .dose(quantity("175", "mg"))
      .method(textConcept("infusion"))
      .minutes(minutes);
}

const CodingCase kCases[] = {
    // --- single IV events ---
    {"iv_infusion_95min_JA",
     [] { return ivGammagard(95); },
     {"96365x1", "96366x1", "J1569-JAx20"},
     {},
     {"IV-R12", "DRUG-JBJA"}},
    {"iv_infusion_60min",
     [] { return ivGammagard(60); },
     {"96365x1", "J1569-JAx20"},
     {},
     {"IV-R12"}},
    {"iv_15min_is_push",
     [] { return BundleBuilder().route(kRouteIv).minutes(15); },
     {"96374x1", "J1559x100"},
     {},
     {"IV-R12"}},
    {"iv_16min_is_infusion",
     [] { return BundleBuilder().route(kRouteIv).minutes(16); },
     {"96365x1", "J1559x100"},
     {},
     {"IV-R12"}},
    {"iv_push_10min",
     [] { return BundleBuilder().route(kRouteIv).minutes(10); },
     {"96374x1", "J1559x100"},
     {},
     {"IV-R12"}},
    {"iv_push_method_datetime_only",
     [] {
       return BundleBuilder()
           .route(kRouteIv)
           .method(textConcept("IV push"))
           .dateTime("2025-03-10T09:00:00-05:00");
     },
     {"96374x1", "J1559x100"},
     {},
     {"IV-R12"}},
    {"iv_datetime_only_review",
     [] { return BundleBuilder().route(kRouteIv).dateTime("2025-03-10T09:00:00-05:00"); },
     {},
     {"ma-1 needs-review INF-D5"}},

    // --- IV sequencing in one encounter ---
    {"iv_sequential_new_drug_96367",
     [] { return ivGammagard(60).addAdmin("ma-2").drug("hizentra").at(600, 45); },
     {"96365x1", "J1569-JAx20", "96367x1", "J1559x100"},
     {},
     {"IV-R15"}},
    {"iv_sequential_91min_adds_96366",
     [] { return ivGammagard(60).addAdmin("ma-2").drug("hizentra").at(600, 91); },
     {"96365x1", "J1569-JAx20", "96367x1", "96366x1", "J1559x100"},
     {},
     {"IV-R15"}},
    {"iv_concurrent_96368",
     [] { return ivGammagard(60).addAdmin("ma-2").drug("hizentra").at(570, 60); },
     {"96365x1", "J1569-JAx20", "96368x1", "J1559x100"},
     {},
     {"IV-R15"}},
    {"iv_push_new_drug_96375",
     [] { return ivGammagard(60).addAdmin("ma-2").drug("hizentra").at(605, 5); },
     {"96365x1", "J1569-JAx20", "96375x1", "J1559x100"},
     {},
     {"IV-R15"}},
    // 96376 is facility-only: on 837P a repeat push of the same drug has no admin line.
    {"iv_same_drug_push_twice_837p",
     [] { return BundleBuilder().route(kRouteIv).minutes(5).addAdmin("ma-2").at(570, 5); },
     {"96374x1", "J1559x100", "J1559x100"},
     {},
     {"IV-R15"}},
    {"iv_same_drug_push_twice_837i_96376",
     [] { return BundleBuilder().route(kRouteIv).minutes(5).addAdmin("ma-2").at(570, 5); },
     {"96374x1", "J1559x100", "96376x1", "J1559x100"},
     {},
     {"IV-R15"},
     {},
     {},
     &shippedContext,
     ClaimForm::k837I,
     ClaimForm::k837I},
    // The same drug continued: one infusion of 60 + 35 = 95 min.
    {"iv_same_drug_continued",
     [] { return ivGammagard(60).addAdmin("ma-2").at(605, 35); },
     {"96365x1", "96366x1", "J1569-JAx20", "J1569-JAx20"},
     {},
     {"IV-R15"}},
    // A record inside the first infusion adds nothing; 09:00-11:00 + 11:05-12:05 = 180 min (R7).
    {"iv_same_drug_contained_record_counted_once",
     [] { return ivGammagard(120).addAdmin("ma-2").at(570, 30).addAdmin("ma-3").at(665, 60); },
     {"96365x1", "96366x2", "J1569-JAx20", "J1569-JAx20", "J1569-JAx20"},
     {},
     {"IV-R15"}},
    // The same drug resumed after more than 15 min is no continuation (R7): review.
    {"iv_same_drug_gap_120min_review",
     [] { return ivGammagard(60).addAdmin("ma-2").at(720, 40); },
     {"96365x1", "J1569-JAx20"},
     {"ma-2 needs-review IV-R15"}},
    // The infusion is initial even when the push came first (hierarchy, R14).
    {"iv_push_first_then_infusion",
     [] {
       return BundleBuilder()
           .route(kRouteIv)
           .at(500, 5)
           .addAdmin("ma-2")
           .drug("gammagard")
           .at(540, 60);
     },
     {"96375x1", "J1559x100", "96365x1", "J1569-JAx20"},
     {},
     {"IV-R15"}},

    // --- INF-D8: IV and SC infusions in one encounter ---
    {"iv_and_sc_infusion_review",
     [] { return BundleBuilder().addAdmin("ma-2").route(kRouteIv).drug("gammagard").at(660, 60); },
     {},
     {"ma-1 needs-review INF-D8", "ma-2 needs-review INF-D8"}},
    // An IV push beside an SC pump infusion: no published hierarchy either (D8, R8).
    {"iv_push_and_sc_infusion_review",
     [] { return BundleBuilder().addAdmin("ma-2").route(kRouteIv).at(660, 5); },
     {},
     {"ma-1 needs-review INF-D8", "ma-2 needs-review INF-D8"}},
    // An SC *injection* beside an IV infusion is no D8 conflict.
    {"iv_infusion_and_sc_injection",
     [] {
       return ivGammagard(60)
           .addAdmin("ma-2")
           .route(kRouteSc)
           .drug("hizentra")
           .noEvidence()
           .at(660, 5);
     },
     {"96365x1", "J1569-JAx20", "96372x1", "J1559x100"},
     {},
     {"IV-R12", "INF-D3"}},

    // --- JA / JB ---
    {"j1569_sc_JB",
     [] { return BundleBuilder().drug("gammagard"); },
     {"96369x1", "96370x1", "J1569-JBx20"},
     {},
     {"DRUG-JBJA"}},
    {"j1569_im_no_route_modifier",
     [] { return BundleBuilder().drug("gammagard").route(kRouteIm); },
     {"96372x1", "J1569x20"},
     {},
     {"INF-R11"}},
    // The shipped crosswalk has no J1561 row: no unit size, so the drug line cannot be coded.
    {"j1561_sc_shipped_table_review",
     [] { return BundleBuilder().drug("gamunex-hcpcs"); },
     {},
     {"ma-1 needs-review DRUG-D10"}},
    {"j1561_sc_JB",
     [] { return BundleBuilder().drug("gamunex-hcpcs"); },
     {"96369x1", "96370x1", "J1561-JBx20"},
     {},
     {"DRUG-JBJA"},
     {},
     {},
     &extendedContext},
    {"j1561_iv_JA",
     [] { return BundleBuilder().drug("gamunex-hcpcs").route(kRouteIv); },
     {"96365x1", "96366x1", "J1561-JAx20"},
     {},
     {"DRUG-JBJA"},
     {},
     {},
     &extendedContext},
    {"j1559_never_JB", [] { return BundleBuilder(); }, {"96369x1", "96370x1", "J1559x100"}, {}},

    // --- CHEMO-R13 (J9267 paclitaxel, HCPCS coding on the Medication) ---
    // The shipped crosswalk has no J9267 row: unit size unknown -> review (D10).
    {"chemo_iv_shipped_table_review",
     [] { return chemo(kRouteIv, 90); },
     {},
     {"ma-1 needs-review DRUG-D10"}},
    {"chemo_iv_90min_96413",
     [] { return chemo(kRouteIv, 90); },
     {"96413x1", "J9267x175"},
     {},
     {"CHEMO-R13"},
     {},
     {},
     &extendedContext},
    {"chemo_iv_91min_96415",
     [] { return chemo(kRouteIv, 91); },
     {"96413x1", "96415x1", "J9267x175"},
     {},
     {"CHEMO-R13"},
     {},
     {},
     &extendedContext},
    {"chemo_iv_10min_push_96409",
     [] { return chemo(kRouteIv, 10); },
     {"96409x1", "J9267x175"},
     {},
     {"CHEMO-R13"},
     {},
     {},
     &extendedContext},
    {"chemo_sc_96401",
     [] { return chemo(kRouteSc, 30); },
     {"96401x1", "J9267x175"},
     {},
     {"CHEMO-R13"},
     {},
     {},
     &extendedContext},
    {"chemo_im_96401",
     [] { return chemo(kRouteIm, 5); },
     {"96401x1", "J9267x175"},
     {},
     {"CHEMO-R13"},
     {},
     {},
     &extendedContext},
    {"chemo_iv_datetime_only_review",
     [] { return chemo(kRouteIv, 90).dateTime("2025-03-10T09:00:00-05:00"); },
     {},
     {"ma-1 needs-review INF-D5"},
     {},
     {},
     {},
     &extendedContext},
    {"chemo_hormonal_im_96402",
     [] { return chemo(kRouteIm, 5).drug("leuprolide-hcpcs").dose(quantity("7.5", "mg")); },
     {"96402x1", "J9217x1"},
     {},
     {"CHEMO-R13"},
     {},
     {},
     &extendedContext},
    {"chemo_sequential_new_drug_96417",
     [] {
       return chemo(kRouteIv, 60)
           .addAdmin("ma-2")
           .drug("leuprolide-hcpcs")
           .dose(quantity("7.5", "mg"))
           .at(600, 30);
     },
     {"96413x1", "J9267x175", "96417x1", "J9217x1"},
     {},
     {"IV-R15"},
     {},
     {},
     &extendedContext},
    {"chemo_push_new_drug_96411",
     [] {
       return chemo(kRouteIv, 5)
           .addAdmin("ma-2")
           .drug("leuprolide-hcpcs")
           .dose(quantity("7.5", "mg"))
           .at(560, 5);
     },
     {"96409x1", "J9267x175", "96411x1", "J9217x1"},
     {},
     {"IV-R15"},
     {},
     {},
     &extendedContext},
    // Chemo infusion outranks a therapeutic IV infusion given earlier (R14 hierarchy).
    {"chemo_then_therapeutic_iv",
     [] {
       return ivGammagard(60)
           .addAdmin("ma-2")
           .drug("paclitaxel-hcpcs")
           .dose(quantity("175", "mg"))
           .at(600, 90);
     },
     {"96367x1", "J1569-JAx20", "96413x1", "J9267x175"},
     {},
     {"IV-R15", "CHEMO-R13"},
     {},
     {},
     &extendedContext},
    // Immune globulin is never chemo (R13), even on the IV route.
    {"immune_globulin_iv_is_not_chemo",
     [] { return BundleBuilder().route(kRouteIv); },
     {"96365x1", "96366x1", "J1559x100"},
     {},
     {"IV-R12"}},
};

class IvChemoCases : public ::testing::TestWithParam<CodingCase> {};

TEST_P(IvChemoCases, CodesAsTheRulesSay) { checkCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(CodingCases, IvChemoCases, ::testing::ValuesIn(kCases), caseName);

}  // namespace
}  // namespace fhir837::testing
