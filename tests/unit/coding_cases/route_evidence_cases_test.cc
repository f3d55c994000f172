// INF-D3 (pump evidence) and INF-D4 (route): a 95-minute SC period is 96369 + 96370 only with
// evidence of a pump; the route decides SC / IV / IM / other, never defaulting to 96369.

#include <gtest/gtest.h>

#include "case_runner.h"

namespace fhir837::testing {
namespace {

const std::vector<std::string> kScInfusion = {"96369x1", "96370x1", "J1559x100"};
const std::vector<std::string> kInjection = {"96372x1", "J1559x100"};
const std::vector<std::string> kIvInfusion = {"96365x1", "96366x1", "J1559x100"};

BundleBuilder only() { return BundleBuilder().noEvidence(); }
BundleBuilder withRoute(const std::string& route) { return BundleBuilder().route(route); }

const CodingCase kCases[] = {
    // --- INF-D3 evidence kinds, one at a time ---
    {"evidence_device_only", [] { return only().device(true); }, kScInfusion, {}, {"INF-D3"}},
    {"evidence_rate_quantity_only",
     [] { return only().rate(kRateQuantity); },
     kScInfusion,
     {},
     {"INF-D3"}},
    {"evidence_rate_ratio_only",
     [] { return only().rate(kRateRatio); },
     kScInfusion,
     {},
     {"INF-D3"}},
    {"evidence_method_text_only",
     [] { return only().method(textConcept("continuous SC infusion")); },
     kScInfusion,
     {},
     {"INF-D3"}},
    {"evidence_linked_procedure_96369",
     [] { return only().procedure("96369"); },
     kScInfusion,
     {"proc-ma-1 not-billable PROC-PARTOF"},  // the Procedure is the MA's event
     {"INF-D3"}},
    // A linked Procedure coded with something else is no pump evidence.
    {"linked_procedure_96372_is_no_evidence",
     [] { return only().procedure("96372"); },
     kInjection,
     {"proc-ma-1 not-billable PROC-PARTOF"},  // the Procedure is the MA's event
     {"INF-D3"}},
    // R4 example medadmin0308: a long SC period with nothing saying "pump" is one injection.
    {"no_evidence_is_injection", [] { return only(); }, kInjection, {}, {"INF-D3"}},
    {"no_evidence_10h_period_is_injection",
     [] { return only().minutes(600); },
     kInjection,
     {},
     {"INF-D3"}},
    {"method_text_injection_is_no_evidence",
     [] { return only().method(textConcept("SC injection")); },
     kInjection,
     {},
     {"INF-D3"}},

    // --- INF-D4 SC aliases ---
    {"route_snomed_34206005",
     [] { return withRoute(codeable(kSnomedSys, "34206005")); },
     kScInfusion,
     {},
     {"INF-D4"}},
    {"route_snomed_263887005",
     [] { return withRoute(codeable(kSnomedSys, "263887005")); },
     kScInfusion,
     {},
     {"INF-D4"}},
    {"route_v2_SC",
     [] { return withRoute(codeable(kV2RouteSys, "SC")); },
     kScInfusion,
     {},
     {"INF-D4"}},
    {"route_nci_C38299",
     [] { return withRoute(codeable("http://ncit.nci.nih.gov", "C38299")); },
     kScInfusion,
     {},
     {"INF-D4"}},
    {"route_nci_oid_C38299",
     [] { return withRoute(codeable("urn:oid:2.16.840.1.113883.3.26.1.1", "C38299")); },
     kScInfusion,
     {},
     {"INF-D4"}},
    {"route_text_SubQ", [] { return withRoute(textConcept("SubQ")); }, kScInfusion, {}, {"INF-D4"}},
    {"route_text_SQ", [] { return withRoute(textConcept("SQ")); }, kScInfusion, {}, {"INF-D4"}},
    {"route_text_subcutaneous",
     [] { return withRoute(textConcept("subcutaneous")); },
     kScInfusion,
     {},
     {"INF-D4"}},
    {"route_text_SUBCUT",
     [] { return withRoute(textConcept("SUBCUT")); },
     kScInfusion,
     {},
     {"INF-D4"}},

    // --- IV and IM ---
    {"route_iv_snomed_47625008", [] { return withRoute(kRouteIv); }, kIvInfusion, {}, {"IV-R12"}},
    {"route_iv_snomed_255560000",
     [] { return withRoute(codeable(kSnomedSys, "255560000")); },
     kIvInfusion,
     {},
     {"IV-R12"}},
    {"route_iv_v2_IV",
     [] { return withRoute(codeable(kV2RouteSys, "IV")); },
     kIvInfusion,
     {},
     {"IV-R12"}},
    {"route_iv_nci_C38276",
     [] { return withRoute(codeable("http://ncit.nci.nih.gov", "C38276")); },
     kIvInfusion,
     {},
     {"IV-R12"}},
    {"route_im_snomed_78421000", [] { return withRoute(kRouteIm); }, kInjection, {}, {"INF-R11"}},
    {"route_im_v2_IM",
     [] { return withRoute(codeable(kV2RouteSys, "IM")); },
     kInjection,
     {},
     {"INF-R11"}},

    // --- not billable / review ---
    {"route_oral_not_billable",
     [] { return withRoute(codeable(kSnomedSys, "26643006")); },
     {},
     {"ma-1 not-billable INF-D4"}},
    {"route_v2_PO_not_billable",
     [] { return withRoute(codeable(kV2RouteSys, "PO")); },
     {},
     {"ma-1 not-billable INF-D4"}},
    {"route_unknown_code_review",
     [] { return withRoute(codeable(kSnomedSys, "999999")); },
     {},
     {"ma-1 needs-review INF-D4"}},
    {"route_unknown_text_review",
     [] { return withRoute(textConcept("under the skin-ish")); },
     {},
     {"ma-1 needs-review INF-D4"}},
    {"route_conflicting_sc_iv_review",
     [] {
       return withRoute(R"({"coding":[{"system":"http://snomed.info/sct","code":"34206005"},)"
                        R"({"system":"http://snomed.info/sct","code":"47625008"}]})");
     },
     {},
     {"ma-1 needs-review INF-D4"}},
    {"route_coding_sc_text_iv_conflict_review",
     [] { return withRoute(codeable(kSnomedSys, "34206005", "intravenous")); },
     {},
     {"ma-1 needs-review INF-D4"}},
    {"route_missing_review", [] { return withRoute(""); }, {}, {"ma-1 needs-review INF-D4"}},
    {"route_from_medication_request",
     [] { return withRoute("").requestWithRoute(codeable(kV2RouteSys, "SC")); },
     kScInfusion,
     {},
     {"INF-D4", "INF-D3"}},
    {"route_from_medication_request_iv",
     [] { return withRoute("").requestWithRoute(kRouteIv); },
     kIvInfusion,
     {},
     {"IV-R12"}},
    {"route_request_without_route_review",
     [] { return withRoute("").requestWithRoute(""); },
     {},
     {"ma-1 needs-review INF-D4"}},
    // dosage.route wins over the request's route.
    {"route_dosage_wins_over_request",
     [] { return BundleBuilder().requestWithRoute(kRouteIv); },
     kScInfusion,
     {},
     {"INF-D4"}},
};

class RouteEvidenceCases : public ::testing::TestWithParam<CodingCase> {};

TEST_P(RouteEvidenceCases, CodesAsTheRulesSay) { checkCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(CodingCases, RouteEvidenceCases, ::testing::ValuesIn(kCases), caseName);

// The route taken from the MedicationRequest is said so in the trail (D4).
TEST(RouteFromRequest, TrailNamesTheRequest) {
  const CaseResult result = runBundle(
      shippedContext(), withRoute("").requestWithRoute(codeable(kV2RouteSys, "SC")).json());
  ASSERT_EQ(result.report.claims.size(), 1u);
  bool named = false;
  for (const auto& step : result.report.claims[0].claim.lines[0].trail) {
    named = named || (step.rule == "INF-D4" && !step.inputs.empty() &&
                      step.inputs[0] == "MedicationRequest/mr-ma-1.dosageInstruction[0].route");
  }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace fhir837::testing
