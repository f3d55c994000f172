// INF-D6 (status), SET-D13 / SET-D7 / SET-D9 (setting) and INF-D5 (timing) on the sample-01
// administration: what becomes a claim, what is held, reviewed or not billable, and why.

#include <gtest/gtest.h>

#include "case_runner.h"

namespace fhir837::testing {
namespace {

const std::vector<std::string> kBilled = {"96369x1", "96370x1", "J1559x100"};

BundleBuilder withStatus(const std::string& status) { return BundleBuilder().status(status); }
BundleBuilder medicare() {
  return BundleBuilder().payer("Medicare Part B", BundleBuilder::configuredPayerId("01182"));
}

const CodingCase kCases[] = {
    // --- INF-D6: every R4 MedicationAdministration status ---
    {"status_completed", [] { return withStatus("completed"); }, kBilled, {}, {"INF-D6"}},
    {"status_in_progress_held", [] { return withStatus("in-progress"); }, {}, {"ma-1 held INF-D6"}},
    {"status_on_hold_held", [] { return withStatus("on-hold"); }, {}, {"ma-1 held INF-D6"}},
    {"status_unknown_held", [] { return withStatus("unknown"); }, {}, {"ma-1 held INF-D6"}},
    {"status_stopped_review",
     [] { return withStatus("stopped"); },
     {},
     {"ma-1 needs-review INF-D6"}},
    {"status_stopped_adverse_reaction_review",
     [] { return withStatus("stopped").statusReason(textConcept("adverse reaction: hives")); },
     {},
     {"ma-1 needs-review INF-D6"}},
    // D6 option `stopped = "bill-actual-time"`: coded by the time actually given (45 min).
    {"status_stopped_bill_actual_time_configured",
     [] { return withStatus("stopped").minutes(45); },
     {"96369x1", "J1559x100"},
     {},
     {"INF-D6"},
     {},
     {},
     &actualTimeContext},
    {"status_not_done_not_billable",
     [] { return withStatus("not-done"); },
     {},
     {"ma-1 not-billable INF-D6"}},
    {"status_entered_in_error_not_billable",
     [] { return withStatus("entered-in-error"); },
     {},
     {"ma-1 not-billable INF-D6"}},

    // --- SET-D13: inpatient stays ---
    {"inpatient_IMP",
     [] { return BundleBuilder().encounterClass("IMP"); },
     {},
     {"ma-1 not-billable SET-D13"}},
    {"inpatient_ACUTE",
     [] { return BundleBuilder().encounterClass("ACUTE"); },
     {},
     {"ma-1 not-billable SET-D13"}},
    {"inpatient_NONAC",
     [] { return BundleBuilder().encounterClass("NONAC"); },
     {},
     {"ma-1 not-billable SET-D13"}},
    {"outpatient_AMB_billed",
     [] { return BundleBuilder().encounterClass("AMB"); },
     kBilled,
     {},
     {"SET-D7"}},

    // --- SET-D7: facility POS on the professional claim ---
    {"pos_19_facility", [] { return BundleBuilder().pos("19"); }, {}, {"ma-1 not-billable SET-D7"}},
    {"pos_21_facility", [] { return BundleBuilder().pos("21"); }, {}, {"ma-1 not-billable SET-D7"}},
    {"pos_22_facility", [] { return BundleBuilder().pos("22"); }, {}, {"ma-1 not-billable SET-D7"}},
    {"pos_23_facility", [] { return BundleBuilder().pos("23"); }, {}, {"ma-1 not-billable SET-D7"}},
    // Without --form the config's [[billing.profiles]] send POS 19/22 to the facility's 837I,
    // which bills the administration and the drug (D7); POS 21/23 have no profile: 837P.
    {"pos_19_profile_bills_837I",
     [] { return BundleBuilder().pos("19"); },
     kBilled,
     {},
     {"SET-D7"},
     {},
     {},
     &shippedContext,
     std::nullopt,
     ClaimForm::k837I},
    {"pos_22_profile_bills_837I",
     [] { return BundleBuilder().pos("22"); },
     kBilled,
     {},
     {"SET-D7"},
     {},
     {},
     &shippedContext,
     std::nullopt,
     ClaimForm::k837I},
    {"pos_23_no_profile_837P_not_billable",
     [] { return BundleBuilder().pos("23"); },
     {},
     {"ma-1 not-billable SET-D7"},
     {},
     {},
     {},
     &shippedContext,
     std::nullopt},
    {"pos_11_no_profile_837P",
     [] { return BundleBuilder().pos("11"); },
     kBilled,
     {},
     {},
     {},
     {},
     &shippedContext,
     std::nullopt,
     ClaimForm::k837P},
    {"pos_49_clinic_billed", [] { return BundleBuilder().pos("49"); }, kBilled, {}, {"SET-D7"}},

    // --- SET-D9: Medicare home infusion is the DME MAC's ---
    {"pos_12_medicare_review",
     [] { return medicare().pos("12"); },
     {},
     {"ma-1 needs-review SET-D9"}},
    {"pos_12_aetna_billed", [] { return BundleBuilder().pos("12"); }, kBilled, {}, {"SET-D7"}},
    // Status is decided before setting: an in-progress inpatient dose is held, not "inpatient".
    {"status_before_setting",
     [] { return withStatus("in-progress").encounterClass("IMP"); },
     {},
     {"ma-1 held INF-D6"}},

    // --- INF-D5: timing ---
    {"infusion_datetime_only_review",
     [] { return BundleBuilder().dateTime("2025-03-10T09:00:00-05:00"); },
     {},
     {"ma-1 needs-review INF-D5"}},
    {"infusion_date_only_review",
     [] { return BundleBuilder().dateTime("2025-03-10"); },
     {},
     {"ma-1 needs-review INF-D5"}},
    {"infusion_period_without_end_review",
     [] { return BundleBuilder().period(localTime(540), ""); },
     {},
     {"ma-1 needs-review INF-D5"}},
    {"infusion_period_date_only_review",
     [] { return BundleBuilder().period("2025-03-10", "2025-03-10"); },
     {},
     {"ma-1 needs-review INF-D5"}},
    {"end_before_start_rejected",
     [] { return BundleBuilder().at(600, -30); },
     {},
     {"ma-1 rejected INF-D5"}},
    // Injections need no duration (D5): a dateTime is enough for 96372.
    {"injection_datetime_only_billed",
     [] { return BundleBuilder().noEvidence().dateTime("2025-03-10T09:00:00-05:00"); },
     {"96372x1", "J1559x100"},
     {},
     {"INF-D3"}},
    {"injection_date_only_billed",
     [] { return BundleBuilder().noEvidence().dateTime("2025-03-10"); },
     {"96372x1", "J1559x100"},
     {},
     {"INF-D3"}},
    {"im_datetime_only_billed",
     [] { return BundleBuilder().route(kRouteIm).dateTime("2025-03-10T09:00:00-05:00"); },
     {"96372x1", "J1559x100"},
     {},
     {"INF-R11"}},
    {"no_effective_at_all_review",
     [] { return BundleBuilder().noEffective().noEvidence(); },
     {},
     {"ma-1 needs-review INF-D5"}},
};

class StatusSettingCases : public ::testing::TestWithParam<CodingCase> {};

TEST_P(StatusSettingCases, CodesAsTheRulesSay) { checkCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(CodingCases, StatusSettingCases, ::testing::ValuesIn(kCases), caseName);

}  // namespace
}  // namespace fhir837::testing
