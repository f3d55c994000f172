#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coder.h"
#include "coder_fixture.h"
#include "rules/drug_line.h"

namespace fhir837 {
namespace {

using testing::codeable;
using testing::coding;
using testing::kEventRef;
using testing::lineSummary;
using testing::quantity;
using testing::ruleIds;
using testing::ScigCase;

using Lines = std::vector<std::string>;
const std::string kContext = std::string(kEventRef) + ".context";
const std::string kDosePath = std::string(kEventRef) + ".dosage.dose";

void expectVerdict(const EventCoding& coding, OutcomeKind kind, const std::string& rule,
                   const std::string& reason, const std::string& path) {
  EXPECT_EQ(coding.kind, kind) << toString(coding.kind) << " " << coding.reason;
  EXPECT_EQ(coding.rule, rule);
  EXPECT_EQ(coding.reason, reason);
  EXPECT_EQ(coding.path, path);
  EXPECT_TRUE(coding.lines.empty()) << ::testing::PrintToString(lineSummary(coding));
}

TEST(CoderSettingTest, InpatientClassesAreNotBillable) {  // SET-D13
  for (const char* cls : {"IMP", "ACUTE", "NONAC"}) {
    ScigCase c;
    c.encounterClass = cls;
    EventCoding coding = c.code();
    expectVerdict(coding, OutcomeKind::kNotBillable, "SET-D13",
                  std::string("inpatient encounter (class ") + cls +
                      "): drug administration is paid with the stay",
                  kContext);
    EXPECT_EQ(ruleIds(coding.trail), (std::vector<std::string>{"INF-D6"}));
  }
}

TEST(CoderSettingTest, FacilityPosOnProfessionalClaimIsNotBillable) {  // SET-D7
  for (const char* pos : {"19", "21", "22", "23"}) {
    ScigCase c;
    c.placeOfService = pos;
    expectVerdict(c.code(), OutcomeKind::kNotBillable, "SET-D7",
                  std::string("facility setting (POS ") + pos +
                      "): the facility bills the administration and drug on its 837I",
                  kContext);
  }
  ScigCase institutional;
  institutional.placeOfService = "22";
  institutional.policy.form = ClaimForm::k837I;
  EXPECT_EQ(lineSummary(institutional.code()), (Lines{"96369x1", "96370x1", "J1559x100"}));
}

TEST(CoderSettingTest, MedicareHomeInfusionNeedsReview) {  // SET-D9
  ScigCase c;
  c.placeOfService = "12";
  c.payerKey = "medicare";
  expectVerdict(c.code(), OutcomeKind::kNeedsReview, "SET-D9",
                "Medicare home infusion (POS 12) belongs to the DME MAC channel (E0779/JB)",
                kContext);
  c.payerKey = "aetna";
  EventCoding commercial = c.code();
  EXPECT_EQ(lineSummary(commercial), (Lines{"96369x1", "96370x1", "J1559x100"}));
  EXPECT_EQ(commercial.trail[1].detail, "POS 12, encounter class AMB -> separately billable");
}

TEST(CoderTimingTest, InfusionNeedsAFullPeriod) {  // INF-D5
  const std::string reason =
      "infusion without a full effectivePeriod (start and end with time and zone)";
  ScigCase onlyDateTime;
  onlyDateTime.ma.effective = TimingChoice{};
  onlyDateTime.ma.effective.dateTime = testing::dateTime("2024-03-05T09:00:00-06:00");
  expectVerdict(onlyDateTime.code(), OutcomeKind::kNeedsReview, "INF-D5", reason,
                std::string(kEventRef) + ".effective[x]");

  ScigCase noEnd;
  noEnd.ma.effective.period->end.reset();
  expectVerdict(noEnd.code(), OutcomeKind::kNeedsReview, "INF-D5", reason,
                std::string(kEventRef) + ".effectivePeriod");

  ScigCase datesOnly;
  datesOnly.setPeriod("2024-03-05", "2024-03-05");
  expectVerdict(datesOnly.code(), OutcomeKind::kNeedsReview, "INF-D5", reason,
                std::string(kEventRef) + ".effectivePeriod");

  ScigCase noTiming;
  noTiming.ma.effective = TimingChoice{};
  expectVerdict(noTiming.code(), OutcomeKind::kNeedsReview, "INF-D5",
                "no full date of service in effective[x]",
                std::string(kEventRef) + ".effective[x]");

  ScigCase yearOnly;
  yearOnly.ma.device.clear();
  yearOnly.ma.effective = TimingChoice{};
  yearOnly.ma.effective.dateTime = testing::dateTime("2024-03");
  expectVerdict(yearOnly.code(), OutcomeKind::kNeedsReview, "INF-D5",
                "no full date of service in effective[x]",
                std::string(kEventRef) + ".effective[x]");

  // An injection needs no duration: a dateTime is enough.
  ScigCase injection;
  injection.ma.device.clear();
  injection.ma.effective = TimingChoice{};
  injection.ma.effective.dateTime = testing::dateTime("2024-03-05T23:30:00-06:00");
  EventCoding coding = injection.code();
  EXPECT_EQ(lineSummary(coding), (Lines{"96372x1", "J1559x100"}));
  EXPECT_EQ(coding.lines[0].dateFrom, "20240305");  // local date, not the UTC 20240306
  EXPECT_EQ(coding.lines[0].trail[0].inputs,
            (std::vector<std::string>{std::string(kEventRef) + ".effectiveDateTime"}));
}

TEST(CoderTimingTest, EndBeforeStartIsRejected) {
  ScigCase c;
  c.setPeriod("2024-03-05T10:00:00Z", "2024-03-05T09:00:00Z");
  expectVerdict(c.code(), OutcomeKind::kRejected, "INF-D5",
                "effectivePeriod.end is before its start",
                std::string(kEventRef) + ".effectivePeriod");
}

// BUG: coder.cc periodMinutes() checks `*minutes < 0` on whole minutes, and wholeMinutesBetween
// truncates toward zero, so an end up to 59 s before the start gives 0 min and is billed as an
// injection (96372) instead of being rejected.
TEST(CoderTimingTest, EndSecondsBeforeStartIsRejected) {
  ScigCase c;
  c.setPeriod("2024-03-05T10:00:30Z", "2024-03-05T10:00:00Z");
  expectVerdict(c.code(), OutcomeKind::kRejected, "INF-D5",
                "effectivePeriod.end is before its start",
                std::string(kEventRef) + ".effectivePeriod");
}

TEST(CoderTimingTest, ReversedInstantPeriodIsRejectedForEveryRoute) {
  for (auto route : {testing::scRoute(), testing::imRoute(), testing::ivRoute()}) {
    for (bool evidence : {true, false}) {
      ScigCase c;
      if (!evidence) c.ma.device.clear();
      c.ma.dosage->route = route;
      c.setPeriod("2024-03-06T10:00:00Z", "2024-03-05T09:00:00Z");
      SCOPED_TRACE(route.coding[0].code + (evidence ? " with evidence" : ""));
      expectVerdict(c.code(), OutcomeKind::kRejected, "INF-D5",
                    "effectivePeriod.end is before its start",
                    std::string(kEventRef) + ".effectivePeriod");
    }
  }
}

// BUG: coder.cc periodMinutes() only compares periods of instants; a date-only period whose end
// precedes its start ("2024-03-06" -> "2024-03-05") on an injection is billed with
// dateTo < dateFrom (an invalid DTP*472 RD8 range) instead of being rejected.
TEST(CoderTimingTest, ReversedDatePeriodOnInjectionIsRejected) {
  ScigCase c;
  c.ma.device.clear();
  c.setPeriod("2024-03-06", "2024-03-05");
  EventCoding coding = c.code();
  EXPECT_EQ(coding.kind, OutcomeKind::kRejected) << ::testing::PrintToString(lineSummary(coding));
  EXPECT_EQ(coding.rule, "INF-D5");
  EXPECT_EQ(coding.reason, "effectivePeriod.end is before its start");
}

TEST(CoderTimingTest, DurationComparesInstantsAcrossDst) {
  ScigCase c;
  // US fall-back: 01:30 EDT to 01:45 EST is 75 minutes.
  c.setPeriod("2024-11-03T01:30:00-04:00", "2024-11-03T01:45:00-05:00");
  EventCoding coding = c.code();
  EXPECT_EQ(lineSummary(coding), (Lines{"96369x1", "J1559x100"}));
  ASSERT_FALSE(coding.lines.empty());
  EXPECT_EQ(coding.lines[0].trail[0].detail, "75 min -> 96369 x1");
  // Spring forward: 01:30 EST to 03:15 EDT is 45 minutes.
  c.setPeriod("2024-03-10T01:30:00-05:00", "2024-03-10T03:15:00-04:00");
  EXPECT_EQ(c.code().lines[0].trail[0].detail, "45 min -> 96369 x1");
  // Seconds are truncated (D1): 15 min 59 s is still an injection.
  c.setPeriod("2024-03-05T09:00:00Z", "2024-03-05T09:15:59Z");
  EXPECT_EQ(c.code().lines[0].trail[0].detail, "15 min <= 15 min -> injection 96372 x1");
  // Overnight infusion: crossing dates of service is for a person to split (INF-DOS, issue 9 §5).
  c.setPeriod("2024-03-05T23:00:00-06:00", "2024-03-06T01:31:00-06:00");
  coding = c.code();
  EXPECT_EQ(coding.kind, OutcomeKind::kNeedsReview);
  EXPECT_EQ(coding.rule, "INF-DOS");
  EXPECT_EQ(coding.reason,
            "period runs from 2024-03-05 into 2024-03-06: an administration crossing dates of "
            "service is not billed on one date without a person deciding which");
  EXPECT_TRUE(coding.lines.empty());
}

TEST(CoderDrugTest, JzOnSingleDoseWhenPayerRequiresIt) {
  ScigCase c;
  c.policy.jwJzRequired = true;
  EventCoding coding = c.code();
  EXPECT_EQ(lineSummary(coding), (Lines{"96369x1", "96370x1", "J1559-JZx100"}));
  ASSERT_EQ(coding.lines.size(), 3u);
  EXPECT_EQ(ruleIds(coding.lines[2].trail), (std::vector<std::string>{"DRUG-D10", "DRUG-JZ"}));
  EXPECT_EQ(coding.lines[2].trail[1],
            (TrailStep{"DRUG-JZ",
                       {std::string(kEventRef) + ".extension"},
                       "single-dose container, no documented waste -> JZ"}));
}

Extension discarded(const char* value, const char* unit) {
  Extension waste;
  waste.url = kDiscardedAmountExtension;
  waste.valueType = "Quantity";
  waste.valueQuantity = quantity(value, unit);
  return waste;
}

TEST(CoderDrugTest, DocumentedWasteGivesJwLineInsteadOfJz) {
  ScigCase c;
  c.policy.jwJzRequired = true;
  c.ma.extension.push_back(discarded("1", "g"));
  EventCoding coding = c.code();
  ASSERT_EQ(coding.kind, OutcomeKind::kBilled) << coding.reason;
  EXPECT_EQ(lineSummary(coding), (Lines{"96369x1", "96370x1", "J1559x100", "J1559-JWx10"}));
  ASSERT_EQ(coding.lines.size(), 4u);
  const CodedLine& jw = coding.lines[3];
  EXPECT_EQ(jw.drug, (DrugIdentification{"12345678901", "5", "ML"}));
  EXPECT_EQ(jw.trail, (Trail{{"DRUG-JW",
                              {std::string(kEventRef) + ".extension"},
                              "documented waste of 10 billing unit(s) -> J1559-JW x10"}}));
  EXPECT_EQ(jw.dateFrom, "20240305");

  // Waste under one billing unit: no JW line, and not JZ either (there was waste).
  ScigCase small;
  small.policy.jwJzRequired = true;
  small.ma.extension.push_back(discarded("50", "mg"));
  EventCoding smallCoding = small.code();
  EXPECT_EQ(lineSummary(smallCoding), (Lines{"96369x1", "96370x1", "J1559x100"}));
  EXPECT_EQ(smallCoding.lines[2].trail.back().detail, "waste under one billing unit: no JW line");

  ScigCase noQuantity;
  Extension bad = discarded("1", "g");
  bad.valueQuantity.reset();
  noQuantity.ma.extension.push_back(bad);
  expectVerdict(noQuantity.code(), OutcomeKind::kNeedsReview, "DRUG-D10",
                "discarded-amount extension needs valueQuantity",
                std::string(kEventRef) + ".extension");
}

TEST(CoderDrugTest, DoseUnitsAndStrength) {
  struct Case {
    const char* value;
    const char* unit;
    bool strength;
    Lines drugLines;
    std::optional<DrugIdentification> drug;
  };
  const std::vector<Case> cases = {
      {"50", "mL", true, {"J1559x100"}, DrugIdentification{"12345678901", "50", "ML"}},
      {"10", "g", true, {"J1559x100"}, DrugIdentification{"12345678901", "50", "ML"}},
      {"10000", "mg", true, {"J1559x100"}, DrugIdentification{"12345678901", "50", "ML"}},
      {"10", "g", false, {"J1559x100"}, DrugIdentification{"12345678901", "10", "GR"}},
      {"10.05", "g", false, {"J1559x101"}, DrugIdentification{"12345678901", "10.05", "GR"}},
      {"150", "mg", false, {"J1559x2"}, DrugIdentification{"12345678901", "0.15", "GR"}},
      {"0.5", "mL", true, {"J1559x1"}, DrugIdentification{"12345678901", "0.5", "ML"}},
  };
  for (const auto& tc : cases) {
    ScigCase c;
    c.ma.dosage->dose = quantity(tc.value, tc.unit);
    if (!tc.strength) c.medication.ingredient.clear();
    EventCoding coding = c.code();
    SCOPED_TRACE(std::string(tc.value) + " " + tc.unit);
    ASSERT_EQ(coding.kind, OutcomeKind::kBilled) << coding.reason;
    Lines expected = {"96369x1", "96370x1"};
    expected.insert(expected.end(), tc.drugLines.begin(), tc.drugLines.end());
    EXPECT_EQ(lineSummary(coding), expected);
    EXPECT_EQ(coding.lines.back().drug, tc.drug);
  }
}

TEST(CoderDrugTest, DrugProblemsNeedReview) {
  auto reviewOf = [](ScigCase& c, const std::string& reason, const std::string& path) {
    expectVerdict(c.code(), OutcomeKind::kNeedsReview, "DRUG-D10", reason, path);
  };
  {
    SCOPED_TRACE("mL without strength");
    ScigCase c;
    c.medication.ingredient.clear();
    reviewOf(c, "dose in mL but the Medication has no mg/mL strength", kDosePath);
  }
  {
    SCOPED_TRACE("unit not g/mg/mL");
    ScigCase c;
    c.ma.dosage->dose = quantity("0.4", "g/kg");
    reviewOf(c, "dose unit 'g/kg' is not g, mg or mL", kDosePath);
  }
  {
    SCOPED_TRACE("no dose");
    ScigCase c;
    c.ma.dosage->dose.reset();
    reviewOf(c, "no dosage.dose: drug units cannot be computed", kDosePath);
  }
  {
    SCOPED_TRACE("zero dose");
    ScigCase c;
    c.ma.dosage->dose = quantity("0", "g");
    reviewOf(c, "dose is zero", kDosePath);
  }
  {
    SCOPED_TRACE("NDC not in crosswalk");
    ScigCase c;
    c.medication.code = codeable({coding(testing::kNdc, "99999-9999-99")});
    reviewOf(c, "NDC 99999999999 is not in the NDC->HCPCS crosswalk for 20240305",
             "Medication/med1.code");
  }
  {
    SCOPED_TRACE("NDC malformed");
    ScigCase c;
    c.medication.code = codeable({coding(testing::kNdc, "1234567890")});
    reviewOf(c, "NDC '1234567890' is malformed: NDC of 10 digits without hyphens is ambiguous",
             "Medication/med1.code");
  }
  {
    SCOPED_TRACE("no NDC, payer requires it");
    ScigCase c;
    c.medication.code = codeable({coding(testing::kHcpcs, "J1559")});
    c.policy.ndcRequired = true;
    reviewOf(c, "payer requires the NDC on drug lines and the medication has none",
             "Medication/med1.code");
  }
  {
    SCOPED_TRACE("no NDC, no HCPCS");
    ScigCase c;
    c.medication.code = codeable({coding("http://www.nlm.nih.gov/research/umls/rxnorm", "1")});
    reviewOf(c, "no HCPCS coding and no NDC on the medication", "Medication/med1.code");
  }
  {
    SCOPED_TRACE("no medication at all");
    ScigCase c;
    c.withMedication = false;
    reviewOf(c, "medication is not coded (no Medication.code)", kEventRef);
  }
}

TEST(CoderDrugTest, HcpcsCodingWithoutNdcAndCodeableConceptMedication) {
  ScigCase c;
  c.medication.code = codeable({coding(testing::kHcpcs, "J1559")});
  EventCoding hcpcsOnly = c.code();
  EXPECT_EQ(lineSummary(hcpcsOnly), (Lines{"96369x1", "96370x1", "J1559x100"}));
  EXPECT_FALSE(hcpcsOnly.lines.back().drug);

  ScigCase inline_;
  inline_.withMedication = false;
  inline_.ma.dosage->dose = quantity("10", "g");
  inline_.ma.medication.codeableConcept = codeable({coding(testing::kNdc, "12345-6789-02")});
  EventCoding inlineCoding = inline_.code();
  EXPECT_EQ(lineSummary(inlineCoding), (Lines{"96369x1", "96370x1", "J1555x100"}));
  EXPECT_EQ(
      inlineCoding.lines.back().trail[0].inputs,
      (std::vector<std::string>{std::string(kEventRef) + ".medicationCodeableConcept", kDosePath}));
}

TEST(CoderDrugTest, CrosswalkIsVersionedByDateOfService) {
  ScigCase c;
  c.setPeriod("2010-06-01T09:00:00-05:00", "2010-06-01T10:35:00-05:00");
  EXPECT_EQ(lineSummary(c.code()), (Lines{"96369x1", "96370x1", "J7799x10"}));
  c.setPeriod("2009-06-01T09:00:00-05:00", "2009-06-01T10:35:00-05:00");
  EXPECT_EQ(c.code().reason, "NDC 12345678901 is not in the NDC->HCPCS crosswalk for 20090601");
}

}  // namespace
}  // namespace fhir837
