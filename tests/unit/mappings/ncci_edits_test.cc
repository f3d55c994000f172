// NCCI-R16: optional PTP edits between the codes of one claim (coding-rules R16, §3).
#include <gtest/gtest.h>

#include "coder_fixture.h"
#include "encounter_coder.h"

namespace fhir837::testing {
namespace {

// An SC pump infusion (96369 ...) and, later the same day, an IM injection (96372) in one
// encounter.
struct TwoAdministrations {
  ScigCase infusion;
  ScigCase injection;
  TwoAdministrations() {
    injection.ma.id = "ma2";
    injection.ma.device.clear();
    injection.ma.dosage->route = imRoute();
    injection.setPeriod("2024-03-05T12:00:00-06:00", "2024-03-05T12:01:00-06:00");
  }
  std::string firstPerformer = "1987654328", secondPerformer = "1987654328";
  std::vector<EventCoding> code(const NcciTable& table, bool xModifiers = true) const {
    std::vector<EventFacts> facts{infusion.facts(), injection.facts()};
    facts[1].eventRef = "MedicationAdministration/ma2";
    facts[0].performerKey = firstPerformer;
    facts[1].performerKey = secondPerformer;
    CodingTables tables = shippedTables();
    tables.ncci = &table;
    CodingPolicy policy;
    policy.xModifiers = xModifiers;
    return codeEncounter(facts, policy, tables);
  }
};

NcciTable edit(char indicator) {
  NcciTable table;
  table.add({"96369", "96372", indicator, "20200101", ""});
  return table;
}

std::string modifiersOf(const EventCoding& coding, const std::string& code) {
  for (const auto& line : coding.lines) {
    if (line.procedureCode != code) continue;
    std::string out;
    for (const auto& m : line.modifiers) out += (out.empty() ? "" : ",") + m;
    return out;
  }
  return "(no line)";
}

TEST(NcciEditsTest, IndicatorOneAddsXuToTheColumnTwoCode) {
  auto codings = TwoAdministrations().code(edit('1'));
  ASSERT_EQ(codings[1].kind, OutcomeKind::kBilled);
  EXPECT_EQ(modifiersOf(codings[1], "96372"), "XU");
  EXPECT_EQ(modifiersOf(codings[0], "96369"), "") << "column 1 is untouched";
}

TEST(NcciEditsTest, DifferentSitesTakeXs) {
  TwoAdministrations pair;
  pair.injection.ma.dosage->site = codeable({coding(kSnomed, "368208006", "Left upper arm")});
  auto codings = pair.code(edit('1'));
  EXPECT_EQ(modifiersOf(codings[1], "96372"), "XS");
}

TEST(NcciEditsTest, DifferentPractitionersTakeXp) {
  TwoAdministrations pair;
  pair.secondPerformer = "1234567893";
  auto codings = pair.code(edit('1'));
  EXPECT_EQ(modifiersOf(codings[1], "96372"), "XP");
}

TEST(NcciEditsTest, PayersWithoutXModifiersGet59) {
  auto codings = TwoAdministrations().code(edit('1'), /*xModifiers=*/false);
  EXPECT_EQ(modifiersOf(codings[1], "96372"), "59");
}

TEST(NcciEditsTest, IndicatorZeroSendsTheColumnTwoEventToReview) {
  auto codings = TwoAdministrations().code(edit('0'));
  EXPECT_EQ(codings[0].kind, OutcomeKind::kBilled);
  ASSERT_EQ(codings[1].kind, OutcomeKind::kNeedsReview);
  EXPECT_EQ(codings[1].rule, "NCCI-R16");
  EXPECT_EQ(codings[1].reason,
            "96372 is bundled into 96369 on 20240305 (PTP modifier indicator 0)");
}

TEST(NcciEditsTest, DeletedOrOutOfDateEditsDoNothing) {
  NcciTable deleted = edit('9');
  auto codings = TwoAdministrations().code(deleted);
  EXPECT_EQ(modifiersOf(codings[1], "96372"), "");
  NcciTable expired;
  expired.add({"96369", "96372", '0', "20200101", "20231231"});
  codings = TwoAdministrations().code(expired);
  EXPECT_EQ(codings[1].kind, OutcomeKind::kBilled);
}

TEST(NcciEditsTest, TableParsingErrorsNameTheLine) {
  auto bad = NcciTable::parse(
      "column1,column2,modifier_indicator,valid_from,valid_to\n96369,96372,2,,\n", "ptp.csv");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "ptp.csv:2");
  EXPECT_EQ(bad.error().message, "modifier_indicator must be 0, 1 or 9");
  auto good = NcciTable::parse(
      "column1,column2,modifier_indicator,valid_from,valid_to\n96369,96372,1,20200101,\n",
      "ptp.csv");
  ASSERT_TRUE(good);
  EXPECT_NE(good->find("96369", "96372", "20250101"), nullptr);
  EXPECT_EQ(good->find("96369", "96372", "20191231"), nullptr);
}

}  // namespace
}  // namespace fhir837::testing
