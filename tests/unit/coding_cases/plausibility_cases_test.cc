// Issue 9 §5: data that would bill the wrong thing is stopped, not billed. Each case runs the real
// pipeline (case_runner.h) and asserts the outcome's exact rule id, reason and FHIR path.

#include <gtest/gtest.h>

#include "case_runner.h"

namespace fhir837::testing {
namespace {

constexpr const char* kMa = "MedicationAdministration/ma-1";
constexpr const char* kUnknownModifier =
    R"("modifierExtension":[{"url":"http://example.org/fhir/StructureDefinition/not-given",)"
    R"("valueBoolean":true}])";

struct Expected {
  OutcomeKind kind;
  std::string rule, reason, path;
};

// The one outcome of the administration (no claim), compared field by field. A Procedure the
// administration is partOf is reported PROC-PARTOF beside it (one event, billed once) and nothing
// else.
void expectOnly(const BundleBuilder& bundle, const Expected& expected,
                const CaseContext& context = shippedContext()) {
  const CaseResult result = runBundle(context, bundle.json());
  SCOPED_TRACE(explainOutcomes(result));
  EXPECT_TRUE(result.lines.empty());
  std::vector<OutcomeRecord> ofTheAdministration;
  for (const auto& o : result.report.outcomes) {
    if (o.event.rfind("Procedure/", 0) == 0) {
      EXPECT_EQ(o.rule, "PROC-PARTOF") << o.event;
      continue;
    }
    ofTheAdministration.push_back(o);
  }
  ASSERT_EQ(ofTheAdministration.size(), 1u);
  const OutcomeRecord& outcome = ofTheAdministration.front();
  EXPECT_EQ(outcome.event, kMa);
  EXPECT_EQ(outcome.kind, expected.kind);
  EXPECT_EQ(outcome.rule, expected.rule);
  EXPECT_EQ(outcome.reason, expected.reason);
  EXPECT_EQ(outcome.path, expected.path);
}

void expectBilled(const BundleBuilder& bundle, const std::vector<std::string>& lines,
                  const CaseContext& context = shippedContext()) {
  const CaseResult result = runBundle(context, bundle.json());
  SCOPED_TRACE(explainOutcomes(result));
  EXPECT_EQ(result.lines, lines);
  EXPECT_TRUE(result.notBilled.empty());
}

// Adds `member` to the resource Type/id (right after its id).
BundleBuilder& withMember(BundleBuilder& bundle, const std::string& type, const std::string& id,
                          const std::string& member) {
  const std::string head = R"("resourceType":")" + type + R"(","id":")" + id + "\"";
  return bundle.patch(head, head + "," + member);
}

// ---- 1. duration ceiling, dates of service, MUE ----------------------------------------------

TEST(PlausibilityCases, TenYearPeriodIsNeedsReviewNot96370Times87673) {
  expectOnly(BundleBuilder().period("2015-03-10T09:00:00-05:00", "2025-03-10T09:00:00-05:00"),
             {OutcomeKind::kNeedsReview, "INF-MAXTIME",
              "period lasts 5260320 min, more than the 1440 min an administration may last "
              "(engine max_infusion_hours): a data error, or several administrations in one",
              std::string(kMa) + ".effectivePeriod"});
}

TEST(PlausibilityCases, TwentySixHourPeriodIsNeedsReview) {
  expectOnly(BundleBuilder().period("2025-03-09T07:00:00-05:00", "2025-03-10T09:00:00-05:00"),
             {OutcomeKind::kNeedsReview, "INF-MAXTIME",
              "period lasts 1560 min, more than the 1440 min an administration may last "
              "(engine max_infusion_hours): a data error, or several administrations in one",
              std::string(kMa) + ".effectivePeriod"});
}

TEST(PlausibilityCases, PeriodCrossingMidnightIsNeedsReview) {
  expectOnly(BundleBuilder().period("2025-03-09T23:30:00-05:00", "2025-03-10T00:45:00-05:00"),
             {OutcomeKind::kNeedsReview, "INF-DOS",
              "period runs from 2025-03-09 into 2025-03-10: an administration crossing dates of "
              "service is not billed on one date without a person deciding which",
              std::string(kMa) + ".effectivePeriod"});
}

TEST(PlausibilityCases, SameLocalDateIsNotACrossing) {
  // The end written in UTC falls on the next UTC date but the start's local date.
  expectBilled(BundleBuilder().period("2025-03-10T18:00:00-05:00", "2025-03-11T00:35:00Z"),
               {"96369x1", "96370x1", "J1559x100"});
  // An end at exactly local midnight closes the start's date.
  expectBilled(BundleBuilder().period("2025-03-09T23:00:00-05:00", "2025-03-10T00:00:00-05:00"),
               {"96369x1", "J1559x100"});
}

TEST(PlausibilityCases, MaximumDurationComesFromTheConfig) {
  static const std::unique_ptr<CaseContext> fourHours = [] {
    auto c = loadCaseContext();
    c->config.maxInfusionMinutes = 4 * 60;
    return c;
  }();
  expectOnly(BundleBuilder().minutes(241),
             {OutcomeKind::kNeedsReview, "INF-MAXTIME",
              "period lasts 241 min, more than the 240 min an administration may last (engine "
              "max_infusion_hours): a data error, or several administrations in one",
              std::string(kMa) + ".effectivePeriod"},
             *fourHours);
  expectBilled(BundleBuilder().minutes(240), {"96369x1", "96370x3", "J1559x100"}, *fourHours);
}

// The config's [mue] caps every payer: 96370 x4 (a 5 h infusion) is above the default 3.
TEST(PlausibilityCases, DefaultMueCapsUnitsPerDateOfService) {
  expectOnly(BundleBuilder().minutes(300),
             {OutcomeKind::kNeedsReview, "MUE-D11",
              "96370 would reach 4 units on 20250310, above the payer's MUE of 3", kMa});
  expectBilled(BundleBuilder().minutes(240), {"96369x1", "96370x3", "J1559x100"});
  // A payer profile's own [mue] overrides the default.
  static const std::unique_ptr<CaseContext> aetnaFive = [] {
    auto c = loadCaseContext();
    profileNamed(c->config, "aetna").mueUnits["96370"] = 5;
    return c;
  }();
  expectBilled(BundleBuilder().minutes(300), {"96369x1", "96370x4", "J1559x100"}, *aetnaFive);
}

// ---- 2. whose claim it is -------------------------------------------------------------------

const std::string kOtherPatient =
    R"("name":[{"family":"Roe","given":["Rita"]}],"gender":"female","birthDate":"1970-02-02")";

TEST(PlausibilityCases, EncounterOfAnotherPatientIsNeedsReview) {
  BundleBuilder bundle;
  bundle.extraEntry("Patient", "pat-2", kOtherPatient)
      .patch(R"("code":"AMB"},"subject":{"reference":"Patient/pat-1"})",
             R"("code":"AMB"},"subject":{"reference":"Patient/pat-2"})");
  expectOnly(bundle, {OutcomeKind::kNeedsReview, "CTX-SUBJECT",
                      "MedicationAdministration/ma-1.subject is Patient/pat-1 but "
                      "Encounter/enc-1.subject is Patient/pat-2: the claim's patient is not "
                      "certain",
                      "Encounter/enc-1.subject"});
}

// A Coverage is chosen by its beneficiary, so another patient's Coverage is never billed.
TEST(PlausibilityCases, CoverageOfAnotherPatientIsNeverUsed) {
  BundleBuilder bundle;
  bundle.extraEntry("Patient", "pat-2", kOtherPatient)
      .patch(R"("beneficiary":{"reference":"Patient/pat-1"})",
             R"("beneficiary":{"reference":"Patient/pat-2"})");
  expectOnly(bundle, {OutcomeKind::kRejected, "CTX-COVERAGE",
                      "no active Coverage whose beneficiary is the patient",
                      std::string(kMa) + ".subject"});
}

// ---- 3. payer id --------------------------------------------------------------------------------

TEST(PlausibilityCases, PayorIdContradictingTheNameMatchedProfileIsNeedsReview) {
  expectOnly(BundleBuilder().payer("Aetna", BundleBuilder::configuredPayerId("6OO54")),
             {OutcomeKind::kNeedsReview, "PAY-ID",
              "payor Organization/org-payer matched profile aetna by name, but carries payer id "
              "'6OO54' (identifier urn:fhir837:payer-id), which is not one of the profile's payer "
              "ids",
              "Coverage/cov-1.payor[0]"});
}

TEST(PlausibilityCases, DisplayOnlyPayorIsMatchedByDisplayName) {
  BundleBuilder bundle;
  bundle.patch(R"("payor":[{"reference":"Organization/org-payer"}])",
               R"("payor":[{"display":"Aetna"}])");
  const CaseResult result = runBundle(shippedContext(), bundle.json());
  SCOPED_TRACE(explainOutcomes(result));
  ASSERT_EQ(result.report.claims.size(), 1u);
  EXPECT_EQ(result.report.claims[0].claim.payer, (Payer{"Aetna", "60054"}));
  EXPECT_EQ(result.lines, (std::vector<std::string>{"96369x1", "96370x1", "J1559x100"}));
}

TEST(PlausibilityCases, DisplayOnlyNoInsuranceIsRejected) {
  BundleBuilder bundle;
  bundle.patch(R"("payor":[{"reference":"Organization/org-payer"}])",
               R"("payor":[{"display":"NO_INSURANCE"}])");
  expectOnly(bundle, {OutcomeKind::kRejected, "PAY-D12",
                      "display-only payor matches no payer profile (payer id '', name "
                      "'NO_INSURANCE')",
                      "Coverage/cov-1.payor[0]"});
}

// ---- 4. elements that change meaning ------------------------------------------------------------

std::string modifierReason() {
  return "modifierExtension 'http://example.org/fhir/StructureDefinition/not-given' is not "
         "understood: it may change the meaning of the element, which cannot be billed as if it "
         "were absent";
}

TEST(PlausibilityCases, UnknownModifierExtensionIsNeedsReviewWhereverItIs) {
  const std::pair<std::string, std::string> kHolders[] = {
      {"MedicationAdministration", "ma-1"},
      {"Patient", "pat-1"},
      {"Encounter", "enc-1"},
      {"Coverage", "cov-1"},
      {"Medication", "hizentra"},
  };
  for (const auto& [type, id] : kHolders) {
    SCOPED_TRACE(type);
    BundleBuilder bundle;
    withMember(bundle, type, id, kUnknownModifier);
    expectOnly(bundle, {OutcomeKind::kNeedsReview, "FHIR-MODEXT", modifierReason(),
                        type + "/" + id + ".modifierExtension[0]"});
  }
  BundleBuilder dosage;
  dosage.patch(R"("dosage":{)", std::string(R"("dosage":{)") + kUnknownModifier + ",");
  expectOnly(dosage, {OutcomeKind::kNeedsReview, "FHIR-MODEXT", modifierReason(),
                      std::string(kMa) + ".dosage.modifierExtension[0]"});
  BundleBuilder procedure;
  procedure.procedure("96369");
  withMember(procedure, "Procedure", "proc-ma-1", kUnknownModifier);
  expectOnly(procedure, {OutcomeKind::kNeedsReview, "FHIR-MODEXT", modifierReason(),
                         "Procedure/proc-ma-1.modifierExtension[0]"});
}

TEST(PlausibilityCases, DoseWithComparatorIsNotBilledAsExact) {
  expectOnly(BundleBuilder().dose(
                 R"({"value":10,"comparator":"<","unit":"g","system":"http://unitsofmeasure.org",)"
                 R"("code":"g"})"),
             {OutcomeKind::kNeedsReview, "DRUG-D10",
              "dosage.dose has comparator '<': the amount given is not known exactly, so drug "
              "units cannot be claimed",
              std::string(kMa) + ".dosage.dose.comparator"});
}

// ---- 5. another server's resource ---------------------------------------------------------------

TEST(PlausibilityCases, AnotherServersPatientIsNotTheLocalOne) {
  BundleBuilder bundle;
  bundle.patch(R"("subject":{"reference":"Patient/pat-1"})",
               R"("subject":{"reference":"http://elsewhere.example/fhir/Patient/pat-1"})");
  expectOnly(bundle, {OutcomeKind::kRejected, "CTX-PATIENT",
                      "reference \"http://elsewhere.example/fhir/Patient/pat-1\" is on server "
                      "http://elsewhere.example/fhir/, not the referrer's: no entry has that "
                      "fullUrl, and the local Patient/pat-1 is not that resource",
                      std::string(kMa) + ".subject"});
  // The Bundle's own server URL is the entry's fullUrl: billed.
  BundleBuilder own;
  own.patch(R"("subject":{"reference":"Patient/pat-1"})",
            R"("subject":{"reference":"http://example.org/fhir/Patient/pat-1"})");
  expectBilled(own, {"96369x1", "96370x1", "J1559x100"});
}

// ---- 6. conflicting copies of one administration ------------------------------------------------

TEST(PlausibilityCases, IdenticalCopiesAreOneEvent) {
  const CaseResult result = runBundle(shippedContext(), BundleBuilder().addAdmin("ma-1").json());
  SCOPED_TRACE(explainOutcomes(result));
  EXPECT_EQ(result.lines, (std::vector<std::string>{"96369x1", "96370x1", "J1559x100"}));
  EXPECT_EQ(result.notBilled, (std::vector<std::string>{"ma-1 not-billable EVT-DUP"}));
}

TEST(PlausibilityCases, ConflictingCopiesAreBothNeedsReview) {
  const CaseResult result =
      runBundle(shippedContext(), BundleBuilder().addAdmin("ma-1").at(600, 60).json());
  SCOPED_TRACE(explainOutcomes(result));
  EXPECT_TRUE(result.lines.empty());
  ASSERT_EQ(result.report.outcomes.size(), 2u);
  const OutcomeRecord& first = result.report.outcomes[0];
  const OutcomeRecord& second = result.report.outcomes[1];
  for (const OutcomeRecord* o : {&first, &second}) {
    EXPECT_EQ(o->kind, OutcomeKind::kNeedsReview);
    EXPECT_EQ(o->rule, "EVT-CONFLICT");
    EXPECT_EQ(o->path, kMa);
  }
  // Each names the other copy's input and entry.
  EXPECT_EQ(first.reason, "another copy of this administration with different content is in " +
                              second.input + " (" + second.entry +
                              "): which copy is right is not settled silently");
  EXPECT_EQ(second.reason, "another copy of this administration with different content is in " +
                               first.input + " (" + first.entry +
                               "): which copy is right is not settled silently");
  EXPECT_NE(first.entry, second.entry);
}

// ---- 7. dates that cannot be right --------------------------------------------------------------

TEST(PlausibilityCases, FutureServiceDateIsNeedsReview) {
  // The case runner's clock is 2026-01-01T00:00:00Z.
  expectOnly(BundleBuilder().period("2026-06-01T09:00:00-05:00", "2026-06-01T10:35:00-05:00"),
             {OutcomeKind::kNeedsReview, "DOS-FUTURE",
              "service date 2026-06-01T09:00:00-05:00 is after the run clock (20260101): a "
              "service not yet given is not billed",
              std::string(kMa) + ".effectivePeriod.start"});
  expectOnly(BundleBuilder().noEvidence().dateTime("2026-01-02"),
             {OutcomeKind::kNeedsReview, "DOS-FUTURE",
              "service date 2026-01-02 is after the run clock (20260101): a service not yet "
              "given is not billed",
              std::string(kMa) + ".effectiveDateTime"});
}

TEST(PlausibilityCases, BirthDateAfterServiceDateIsNeedsReview) {
  BundleBuilder bundle;
  bundle.patch(R"("birthDate":"1980-01-15")", R"("birthDate":"2025-06-01")");
  expectOnly(bundle, {OutcomeKind::kNeedsReview, "DOS-BIRTH",
                      "Patient/pat-1.birthDate is after the service date in "
                      "MedicationAdministration/ma-1.effectivePeriod: one of them is wrong",
                      "Patient/pat-1.birthDate"});
  BundleBuilder yearOnly;
  yearOnly.patch(R"("birthDate":"1980-01-15")", R"("birthDate":"2026")");
  expectOnly(yearOnly, {OutcomeKind::kNeedsReview, "DOS-BIRTH",
                        "Patient/pat-1.birthDate is after the service date in "
                        "MedicationAdministration/ma-1.effectivePeriod: one of them is wrong",
                        "Patient/pat-1.birthDate"});
}

}  // namespace
}  // namespace fhir837::testing
