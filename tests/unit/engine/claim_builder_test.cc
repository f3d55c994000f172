#include "engine/claim_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fhir837 {
namespace {

const std::map<std::string, std::int64_t> kFees = {
    {"96369", 25000}, {"96370", 7500}, {"J1559", 8500}};

CodedLine coded(std::string code, std::int64_t units, std::string event) {
  CodedLine line;
  line.procedureCode = std::move(code);
  line.units = units;
  line.dateFrom = line.dateTo = "20240305";
  line.sourceEventId = std::move(event);
  line.trail = {{"INF-D1", {}, line.procedureCode}};
  return line;
}

BilledEvent event(std::string ref, std::vector<std::string> diagnoses, std::vector<int> pointers,
                  std::vector<CodedLine> lines) {
  BilledEvent e;
  e.assembled.header.sourceEncounterId = "Encounter/enc1";
  e.assembled.header.diagnoses = std::move(diagnoses);
  e.assembled.diagnosisPointers = std::move(pointers);
  e.coding.lines = std::move(lines);
  e.coding.trail = {{"INF-D6", {ref + ".status"}, "status completed -> billable"}};
  return e;
}

TEST(ClaimBuilderTest, MergesDiagnosesAndChargesPerUnit) {
  BilledEvent first = event("MedicationAdministration/ma1", {"D801", "E119"}, {1},
                            {coded("96369", 1, "MedicationAdministration/ma1"),
                             coded("J1559", 100, "MedicationAdministration/ma1")});
  BilledEvent second = event("MedicationAdministration/ma2", {"Z7989", "E119"}, {2, 1},
                             {coded("96370", 2, "MedicationAdministration/ma2")});
  auto claim = buildClaim({&first, &second}, kFees, InstitutionalSettings{});
  ASSERT_TRUE(claim) << claim.error().describe();
  EXPECT_EQ(claim->diagnoses, (std::vector<std::string>{"D801", "E119", "Z7989"}));
  ASSERT_EQ(claim->lines.size(), 3u);
  EXPECT_EQ(claim->lines[0].chargeCents, 25000);
  EXPECT_EQ(claim->lines[1].chargeCents, 850000);
  EXPECT_EQ(claim->lines[2].chargeCents, 15000);
  EXPECT_EQ(claim->lines[0].diagnosisPointers, (std::vector<int>{1}));
  EXPECT_EQ(claim->lines[2].diagnosisPointers, (std::vector<int>{2, 3}));
  EXPECT_EQ(claim->totalChargeCents(), 890000);
  // The event's trail comes before the line's own steps.
  ASSERT_EQ(claim->lines[2].trail.size(), 2u);
  EXPECT_EQ(claim->lines[2].trail[0].inputs,
            (std::vector<std::string>{"MedicationAdministration/ma2.status"}));
  EXPECT_TRUE(claim->lines[0].revenueCode.empty());
}

TEST(ClaimBuilderTest, CodeWithoutFeeIsRejected) {
  BilledEvent e = event("MedicationAdministration/ma1", {"D801"}, {1},
                        {coded("96372", 1, "MedicationAdministration/ma1")});
  auto claim = buildClaim({&e}, kFees, InstitutionalSettings{});
  ASSERT_FALSE(claim);
  EXPECT_EQ(claim.error(),
            makeError(ErrorCode::kRejected, "no fee for 96372 in the [fees] schedule",
                      "MedicationAdministration/ma1", "FEE-1"));
}

TEST(ClaimBuilderTest, ProfessionalClaimHoldsAtMost50Lines) {
  std::vector<CodedLine> lines(51, coded("J1559", 1, "MedicationAdministration/ma1"));
  BilledEvent e = event("MedicationAdministration/ma1", {"D801"}, {1}, lines);
  auto claim = buildClaim({&e}, kFees, InstitutionalSettings{});
  ASSERT_FALSE(claim);
  EXPECT_EQ(claim.error(),
            makeError(ErrorCode::kRejected, "claim would have more than 50 service lines",
                      "Encounter/enc1", "CLM-LINES"));
  lines.pop_back();
  BilledEvent fifty = event("MedicationAdministration/ma1", {"D801"}, {1}, lines);
  EXPECT_TRUE(buildClaim({&fifty}, kFees, InstitutionalSettings{}));
}

// BUG: claim_builder.cc applies the 837P limit of 50 service lines to every form; an 837I claim
// may carry up to 999 lines (x12-837-map §4 "Repeats").
TEST(ClaimBuilderTest, InstitutionalClaimMayExceed50Lines) {
  std::vector<CodedLine> lines(51, coded("J1559", 1, "MedicationAdministration/ma1"));
  BilledEvent e = event("MedicationAdministration/ma1", {"D801"}, {1}, lines);
  e.assembled.header.form = ClaimForm::k837I;
  auto claim = buildClaim({&e}, kFees, InstitutionalSettings{});
  ASSERT_TRUE(claim) << claim.error().describe();
  EXPECT_EQ(claim->lines.size(), 51u);
}

}  // namespace
}  // namespace fhir837
