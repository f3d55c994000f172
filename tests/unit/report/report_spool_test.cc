#include "engine/report/report_spool.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/report/convert_report.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::readFile;
using testing::TempDir;

// Quotes, backslashes, control characters, NUL and multi-byte UTF-8: everything the JSON writer
// has to escape or pass through.
const std::string kAwkward =
    std::string("q\"uote b\\ack t\tab n\nl \x01\x1f nul") + '\0' + " é 日本 😀 </script>";

std::string variant(const std::string& base, int i) {
  return i % 3 == 0 ? base + kAwkward : base + std::to_string(i);
}

Trail makeTrail(int i, int steps) {
  Trail trail;
  for (int s = 0; s < steps; ++s) {
    TrailStep step{variant("R-", i + s), {}, variant("detail ", i * 7 + s)};
    for (int k = 0; k < s; ++k) step.inputs.push_back(variant("Resource/x.path", i + k));
    trail.push_back(std::move(step));
  }
  return trail;
}

ServiceLine makeLine(int i, int l) {
  ServiceLine line;
  line.procedureCode = variant("9636", l);
  for (int m = 0; m < l % 3; ++m) line.modifiers.push_back(variant("M", m + i));
  line.units = 1 + (i + l) % 4;
  line.chargeCents = 12345 * (l + 1) + i;
  line.serviceDateFrom = "20250310";
  line.serviceDateTo = (i + l) % 2 == 0 ? "20250310" : "20250312";
  if ((i + l) % 2 == 1) line.drug = DrugIdentification{variant("0000", i), "1.5", "ML"};
  line.sourceEventId = variant("MedicationAdministration/ma", i);
  line.trail = makeTrail(i + l, (i + l) % 4);
  return line;
}

ClaimRecord makeClaim(int i) {
  ClaimRecord record;
  Claim& claim = record.claim;
  claim.form = i % 2 == 0 ? ClaimForm::k837P : ClaimForm::k837I;
  claim.patientControlNumber = variant("INF", i);
  claim.sourceEncounterId = i % 5 == 0 ? "" : variant("Encounter/enc", i);
  claim.payer.payerId = variant("P", i);
  for (int l = 0; l < 1 + i % 3; ++l) claim.lines.push_back(makeLine(i, l));
  record.file = variant("out-", i / 10) + ".837";
  record.trail = makeTrail(i, i % 4);
  return record;
}

constexpr OutcomeKind kKinds[] = {OutcomeKind::kNotBillable, OutcomeKind::kNeedsReview,
                                  OutcomeKind::kRejected, OutcomeKind::kHeld, OutcomeKind::kBilled};

OutcomeRecord makeOutcome(int i) {
  OutcomeRecord o;
  o.input = variant("in/bundle", i % 4);
  o.entry = "Bundle.entry[" + std::to_string(i) + "]";
  o.event = variant("MedicationAdministration/ma", i);
  o.kind = kKinds[i % 5];
  o.rule = i % 7 == 0 ? kAwkward : "INF-D" + std::to_string(i % 4);
  o.reason = variant("because ", i);
  o.path = variant("MedicationAdministration.status", i);
  o.trail = makeTrail(i, i % 3);
  return o;
}

// The fixed parts: inputs (one unreadable) and interchanges, as plain members.
void addFixedParts(ConvertReport& report) {
  report.inputs.push_back({"in/a.json", 12, 3, std::nullopt});
  report.inputs.push_back(
      {"in/\"b\".json", 0, 0, makeError(ErrorCode::kSyntax, "bad " + kAwkward, "byte 7")});
  report.interchanges.push_back({"out-0.837", "837P", 101, 4});
  report.billedEvents = 9;
}

void addRecords(ConvertReport& report, int claims, int outcomes) {
  // Interleaved, as a converter adds them.
  for (int i = 0; i < std::max(claims, outcomes); ++i) {
    if (i < claims) {
      ASSERT_TRUE(report.addClaim(makeClaim(i)));
    }
    if (i < outcomes) {
      ASSERT_TRUE(report.addOutcome(makeOutcome(i)));
    }
  }
}

std::vector<std::string> listDir(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << json.substr(0, 400);
  return doc;
}

const int kCounts[] = {0, 1, 2, 50};

TEST(ReportSpoolTest, SpooledWriteJsonEqualsInMemoryRender) {
  for (int claims : kCounts) {
    for (int outcomes : kCounts) {
      SCOPED_TRACE("claims=" + std::to_string(claims) + " outcomes=" + std::to_string(outcomes));
      ConvertReport memory;
      addFixedParts(memory);
      addRecords(memory, claims, outcomes);
      ConvertReport spooled;
      addFixedParts(spooled);
      TempDir dir;
      ASSERT_TRUE(spooled.spool(dir.path() / "spool"));
      addRecords(spooled, claims, outcomes);
      EXPECT_TRUE(spooled.claims.empty());  // the records went to disk, not to memory
      EXPECT_TRUE(spooled.outcomes.empty());

      ASSERT_TRUE(spooled.writeJson(dir.path() / "report.json"));
      EXPECT_EQ(readFile(dir.path() / "report.json"), renderReportJson(memory));
    }
  }
}

TEST(ReportSpoolTest, InMemoryWriteJsonEqualsRender) {
  for (int claims : kCounts) {
    for (int outcomes : kCounts) {
      SCOPED_TRACE("claims=" + std::to_string(claims) + " outcomes=" + std::to_string(outcomes));
      ConvertReport report;
      addFixedParts(report);
      addRecords(report, claims, outcomes);
      EXPECT_EQ(report.claims.size(), static_cast<std::size_t>(claims));
      TempDir dir;
      ASSERT_TRUE(report.writeJson(dir.path() / "report.json"));
      EXPECT_EQ(readFile(dir.path() / "report.json"), renderReportJson(report));
      // Still in memory, so it can be written again.
      ASSERT_TRUE(report.writeJson(dir.path() / "again.json"));
      EXPECT_EQ(readFile(dir.path() / "again.json"), renderReportJson(report));
    }
  }
}

TEST(ReportSpoolTest, EmptyReportRendersEmptyArrays) {
  ConvertReport report;
  TempDir dir;
  ASSERT_TRUE(report.spool(dir.path() / "spool"));
  ASSERT_TRUE(report.writeJson(dir.path() / "report.json"));
  const std::string json = readFile(dir.path() / "report.json");
  EXPECT_NE(json.find("\"claims\": [],\n  \"not_billed\": []\n}\n"), std::string::npos) << json;
}

TEST(ReportSpoolTest, RecordsAlreadyKeptAndPushedLaterKeepTheirPlace) {
  ConvertReport memory;
  addFixedParts(memory);
  addRecords(memory, 6, 6);

  ConvertReport spooled;
  addFixedParts(spooled);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(spooled.addClaim(makeClaim(i)));
    ASSERT_TRUE(spooled.addOutcome(makeOutcome(i)));
  }
  TempDir dir;
  ASSERT_TRUE(spooled.spool(dir.path()));  // moves the first three of each to the spool
  EXPECT_TRUE(spooled.claims.empty());
  ASSERT_TRUE(spooled.addClaim(makeClaim(3)));
  ASSERT_TRUE(spooled.addOutcome(makeOutcome(3)));
  // Old code paths push straight into the vectors: written after the spooled records.
  for (int i = 4; i < 6; ++i) {
    spooled.claims.push_back(makeClaim(i));
    spooled.outcomes.push_back(makeOutcome(i));
  }
  EXPECT_EQ(spooled.claimCount(), 6u);
  EXPECT_EQ(spooled.outcomeCount(), 6u);
  ASSERT_TRUE(spooled.writeJson(dir.path() / "report.json"));
  EXPECT_EQ(readFile(dir.path() / "report.json"), renderReportJson(memory));
}

TEST(ReportSpoolTest, SummaryCountsSpooledRecords) {
  ConvertReport memory;
  addFixedParts(memory);
  addRecords(memory, 50, 50);
  ConvertReport spooled;
  addFixedParts(spooled);
  TempDir dir;
  ASSERT_TRUE(spooled.spool(dir.path() / "spool"));
  addRecords(spooled, 50, 50);

  EXPECT_EQ(spooled.claimCount(), 50u);
  EXPECT_EQ(spooled.outcomeCount(), 50u);
  const ReportTallies tallies = spooled.tallies();
  const ReportTallies expected = memory.tallies();
  EXPECT_EQ(tallies.claims, 50u);
  EXPECT_EQ(tallies.outcomes, 50u);
  EXPECT_EQ(tallies.byKind, expected.byKind);
  EXPECT_EQ(tallies.byKindRule, expected.byKindRule);

  ASSERT_TRUE(spooled.writeJson(dir.path() / "report.json"));
  const auto doc = parse(readFile(dir.path() / "report.json"));
  const auto& summary = doc["summary"];
  EXPECT_EQ(summary["claims"].GetUint64(), 50u);
  EXPECT_EQ(summary["events"].GetUint64(), 9u + 50u);
  EXPECT_EQ(summary["rejected_inputs"].GetUint64(), 1u);
  // Kinds cycle over five values: ten each; "claim" also has the billed events.
  EXPECT_EQ(summary["outcomes"]["rejected"].GetUint64(), 10u);
  EXPECT_EQ(summary["outcomes"]["needs-review"].GetUint64(), 10u);
  EXPECT_EQ(summary["outcomes"]["held"].GetUint64(), 10u);
  EXPECT_EQ(summary["outcomes"]["claim"].GetUint64(), 9u + 10u);
  // Outcomes 2, 7, 12, ... are rejected, rule INF-D(i%4) unless i%7 == 0: D2 for i = 2 and 22.
  EXPECT_EQ(summary["reasons"]["rejected INF-D2"].GetUint64(), 2u);
  std::size_t reasons = 0;
  for (const auto& member : summary["reasons"].GetObject()) reasons += member.value.GetUint64();
  EXPECT_EQ(reasons, 50u);
  EXPECT_EQ(doc["claims"].Size(), 50u);
  EXPECT_EQ(doc["not_billed"].Size(), 50u);
}

TEST(ReportSpoolTest, HasProblemsFromSpooledOutcomes) {
  TempDir dir;
  ConvertReport report;
  ASSERT_TRUE(report.spool(dir.path()));
  ASSERT_TRUE(report.addClaim(makeClaim(1)));
  ASSERT_TRUE(report.addOutcome(makeOutcome(0)));  // not-billable
  ASSERT_TRUE(report.addOutcome(makeOutcome(3)));  // held
  EXPECT_FALSE(report.hasProblems());
  ASSERT_TRUE(report.addOutcome(makeOutcome(1)));  // needs-review
  EXPECT_TRUE(report.hasProblems());
  EXPECT_TRUE(report.outcomes.empty());

  ConvertReport rejected;
  ASSERT_TRUE(rejected.spool(dir.path() / "r"));
  ASSERT_TRUE(rejected.addOutcome(makeOutcome(2)));
  EXPECT_TRUE(rejected.hasProblems());

  ConvertReport badInput;
  ASSERT_TRUE(badInput.spool(dir.path() / "i"));
  addFixedParts(badInput);
  EXPECT_TRUE(badInput.hasProblems());
}

TEST(ReportSpoolTest, HasProblemsCountsOutcomesPushedIntoTheVector) {
  ConvertReport report;
  report.outcomes.push_back(makeOutcome(0));
  EXPECT_FALSE(report.hasProblems());
  report.outcomes.push_back(makeOutcome(2));
  EXPECT_TRUE(report.hasProblems());
  EXPECT_EQ(report.outcomeCount(), 2u);
}

TEST(ReportSpoolTest, SpoolIntoUnwritablePathIsIoError) {
  TempDir dir;
  testing::writeFile(dir.path() / "file", "not a directory");
  ConvertReport report;
  Status status = report.spool(dir.path() / "file" / "spool");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  // Still usable in memory.
  ASSERT_TRUE(report.addClaim(makeClaim(0)));
  EXPECT_EQ(report.claims.size(), 1u);
}

TEST(ReportSpoolTest, SpoolTwiceIsAnError) {
  TempDir dir;
  ConvertReport report;
  ASSERT_TRUE(report.spool(dir.path() / "a"));
  EXPECT_FALSE(report.spool(dir.path() / "b"));
}

TEST(ReportSpoolTest, WriteJsonIntoMissingDirFailsAndCanBeRetried) {
  TempDir dir;
  ConvertReport memory;
  addRecords(memory, 2, 2);
  ConvertReport spooled;
  ASSERT_TRUE(spooled.spool(dir.path() / "spool"));
  addRecords(spooled, 2, 2);

  Status status = spooled.writeJson(dir.path() / "missing" / "report.json");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_FALSE(fs::exists(dir.path() / "missing"));
  EXPECT_FALSE(memory.writeJson(dir.path() / "missing" / "report.json"));

  ASSERT_TRUE(spooled.writeJson(dir.path() / "report.json"));
  EXPECT_EQ(readFile(dir.path() / "report.json"), renderReportJson(memory));
}

TEST(ReportSpoolTest, SpooledReportIsWrittenOnce) {
  TempDir dir;
  ConvertReport report;
  ASSERT_TRUE(report.spool(dir.path() / "spool"));
  ASSERT_TRUE(report.addClaim(makeClaim(0)));
  ASSERT_TRUE(report.writeJson(dir.path() / "report.json"));
  const std::string written = readFile(dir.path() / "report.json");
  EXPECT_FALSE(report.writeJson(dir.path() / "report.json"));
  EXPECT_FALSE(report.addClaim(makeClaim(1)));
  EXPECT_FALSE(report.addOutcome(makeOutcome(1)));
  EXPECT_EQ(readFile(dir.path() / "report.json"), written);  // the failed retry changed nothing
  EXPECT_EQ(report.claimCount(), 1u);
}

// Spool files are unlinked as soon as they are open, so neither a finished run nor a killed one
// leaves them in the output directory.
TEST(ReportSpoolTest, SpoolFilesAreNeverVisibleAndTheDirectoryIsTidiedAfterWriteJson) {
  TempDir dir;
  const fs::path shared = dir.path() / "shared";
  fs::create_directories(shared);
  {
    ConvertReport report;
    ASSERT_TRUE(report.spool(shared));
    addRecords(report, 5, 5);
    EXPECT_TRUE(listDir(shared).empty()) << "the spool files are anonymous";
    ASSERT_TRUE(report.writeJson(dir.path() / "report.json"));
    EXPECT_TRUE(listDir(shared).empty());  // a directory it did not create stays
  }
  EXPECT_TRUE(fs::exists(shared));
  EXPECT_EQ(listDir(dir.path()), (std::vector<std::string>{"report.json", "shared"}));

  ConvertReport created;
  ASSERT_TRUE(created.spool(dir.path() / "made" / "here"));
  addRecords(created, 3, 3);
  ASSERT_TRUE(created.writeJson(dir.path() / "report2.json"));
  EXPECT_FALSE(fs::exists(dir.path() / "made" / "here"));  // created for the spool: removed
}

TEST(ReportSpoolTest, ADroppedReportLeavesNoFile) {
  TempDir dir;
  fs::create_directories(dir.path() / "shared");
  {
    ConvertReport report;
    ASSERT_TRUE(report.spool(dir.path() / "shared"));
    addRecords(report, 4, 4);
    ConvertReport moved = std::move(report);  // the spool moves with the report
    EXPECT_EQ(moved.claimCount(), 4u);
    EXPECT_TRUE(listDir(dir.path() / "shared").empty());
  }
  EXPECT_TRUE(listDir(dir.path() / "shared").empty());
}

TEST(ReportSpoolTest, SpoolFileCopiesBackInChunks) {
  // Bigger than one copy chunk and one stdio buffer, so chunk boundaries are crossed.
  TempDir dir;
  auto array = SpooledArray::create(dir.path(), "test");
  ASSERT_TRUE(array);
  std::string expected;
  for (int i = 0; i < 3000; ++i) {
    const std::string element =
        "\n    " + std::string(100 + i % 97, static_cast<char>('a' + i % 26));
    ASSERT_TRUE(array->append(element));
    expected += (i > 0 ? "," : "") + element;
  }
  for (int pass = 0; pass < 2; ++pass) {  // copying leaves the elements spooled
    auto out = AtomicOutputFile::create(dir.path() / "out.txt");
    ASSERT_TRUE(out);
    ASSERT_TRUE(array->copyTo(*out));
    ASSERT_TRUE(out->commit());
    EXPECT_EQ(readFile(dir.path() / "out.txt"), expected);
  }
  ASSERT_TRUE(array->append("\n    tail"));  // appending after a copy still appends
  auto out = AtomicOutputFile::create(dir.path() / "out.txt");
  ASSERT_TRUE(out);
  ASSERT_TRUE(array->copyTo(*out));
  ASSERT_TRUE(out->commit());
  EXPECT_EQ(readFile(dir.path() / "out.txt"), expected + ",\n    tail");
  EXPECT_EQ(array->count(), 3001u);
}

TEST(ReportSpoolTest, UncommittedOutputLeavesNoFile) {
  TempDir dir;
  {
    auto out = AtomicOutputFile::create(dir.path() / "report.json");
    ASSERT_TRUE(out);
    ASSERT_TRUE(out->write("{\"partial\": "));
  }
  EXPECT_TRUE(listDir(dir.path()).empty());
}

}  // namespace
}  // namespace fhir837
