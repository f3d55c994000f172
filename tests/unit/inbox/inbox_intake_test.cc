#include "sources/inbox/inbox_intake.h"

#include <gtest/gtest.h>

#include "sources/inbox/inbox_reason.h"
#include "support/test_paths.h"
#include "unit/sources/archive_fixtures.h"

namespace fhir837::inbox {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::writeFile;

const std::string kPatient1 = R"({"resourceType":"Patient","id":"p1","gender":"female"})";
const std::string kPatient2 = R"({"resourceType":"Patient","id":"p2","gender":"male"})";

class InboxIntake : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = serve::openJournal(state_.path());
    ASSERT_TRUE(opened) << opened.error();
    journal_ = std::move(*opened);
  }
  void TearDown() override { journal_->close(); }

  Result<FileReport> take(const fs::path& file, IntakeOptions options = {}) {
    FileJournaler journaler(
        *journal_, [this] { ++commits_; }, options);
    return journaler.journal(file, stop_);
  }

  TempDir state_, inbox_;
  std::unique_ptr<serve::Journal> journal_;
  std::atomic<bool> stop_{false};
  int commits_ = 0;
};

TEST_F(InboxIntake, AnNdjsonLineThatIsRefusedIsKeptAndTheOthersAreStored) {
  const fs::path file = inbox_.path() / "lines.ndjson";
  writeFile(file, kPatient1 + "\n{\"resourceType\":\"Patient\",\n" + kPatient2 + "\n");
  auto report = take(file);
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->stored, 2u);
  EXPECT_FALSE(report->unusable());
  ASSERT_EQ(report->refused.size(), 1u);
  const Refusal& refused = report->refused[0];
  EXPECT_EQ(refused.where, "lines.ndjson: line 2");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.code, "structure");
  EXPECT_TRUE(refused.deadLetter);
  auto letters = journal_->deadLetters();
  ASSERT_TRUE(letters) << letters.error();
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].body, "{\"resourceType\":\"Patient\",");
  EXPECT_EQ((*letters)[0].method, "FILE");
  EXPECT_EQ((*letters)[0].target, "lines.ndjson: line 2");
  auto stored = journal_->current("Patient", "p2");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((**stored).body, kPatient2);
}

// The crash-safety argument: a file read again (after a crash before its move, or dropped twice)
// stores nothing new, because its resources keep their ids and hashes.
TEST_F(InboxIntake, XmlBundlesAndGzipNdjsonAreReadAsConvertReadsThem) {
  const fs::path xml = testing::sourceDir() / "samples/01-scig-95min-office/input.xml";
  auto bundle = take(xml);
  ASSERT_TRUE(bundle) << bundle.error();
  EXPECT_EQ(bundle->stored, 11u);
  EXPECT_TRUE(bundle->refused.empty());
  auto stored = journal_->current("MedicationAdministration", "ma-01");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((**stored).format, serve::BodyFormat::kXml);

  const fs::path gz = inbox_.path() / "two.ndjson.gz";
  writeFile(gz, testing::gzip(kPatient1 + "\n" + kPatient2 + "\n"));
  auto lines = take(gz);
  ASSERT_TRUE(lines) << lines.error();
  EXPECT_EQ(lines->stored, 2u);
  EXPECT_TRUE(lines->refused.empty());
}

TEST_F(InboxIntake, AFileReadAgainStoresNothingNew) {
  const fs::path file = inbox_.path() / "two.ndjson";
  writeFile(file, kPatient1 + "\n" + kPatient2 + "\n");
  ASSERT_TRUE(take(file));
  auto before = journal_->lastSeq();
  ASSERT_TRUE(before);
  auto again = take(file);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->stored, 2u);
  EXPECT_TRUE(again->refused.empty());
  EXPECT_EQ(*journal_->lastSeq(), *before);
}

TEST_F(InboxIntake, AResourceWithoutIdIsRefusedNotGivenARandomOne) {
  const fs::path file = inbox_.path() / "noid.json";
  writeFile(file, R"({"resourceType":"Patient","gender":"female"})");
  auto report = take(file);
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->stored, 0u);
  EXPECT_TRUE(report->unusable());
  ASSERT_EQ(report->refused.size(), 1u);
  EXPECT_EQ(report->refused[0].where, "noid.json");
  EXPECT_EQ(report->refused[0].status, 422);
  EXPECT_EQ(report->refused[0].path, "Patient.id");
  EXPECT_EQ(*journal_->lastSeq(), 0);
}

TEST_F(InboxIntake, ACollectionWithAnEntryWithoutIdIsRefusedWhole) {
  const fs::path file = inbox_.path() / "bundle.json";
  writeFile(file, R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":)" +
                      kPatient1 +
                      R"(},{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"}}]})");
  auto report = take(file);
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->stored, 0u);
  ASSERT_EQ(report->refused.size(), 1u);
  EXPECT_EQ(report->refused[0].where, "bundle.json: Bundle.entry[1]");
  EXPECT_EQ(report->refused[0].status, 422);
  EXPECT_EQ(report->refused[0].path, "Bundle.entry[1].resource.id");
  EXPECT_TRUE(report->refused[0].deadLetter);
  EXPECT_EQ(*journal_->lastSeq(), 0);
}

TEST_F(InboxIntake, ABatchEntryWithoutIdIsRefusedAloneAndTheOthersStored) {
  const fs::path file = inbox_.path() / "batch.json";
  writeFile(file, R"({"resourceType":"Bundle","type":"batch","entry":[)"
                  R"({"request":{"method":"PUT","url":"Patient/p1"},"resource":)" +
                      kPatient1 +
                      R"(},{"request":{"method":"POST","url":"Patient"},)"
                      R"("resource":{"resourceType":"Patient"}}]})");
  auto report = take(file);
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->stored, 1u);
  ASSERT_EQ(report->refused.size(), 1u);
  EXPECT_EQ(report->refused[0].where, "batch.json: Bundle.entry[1]");
  EXPECT_EQ(report->refused[0].path, "Patient.id");
}

TEST_F(InboxIntake, AFileThatIsNotFhirIsUnusableAndNotCopiedToTheDeadLetter) {
  const fs::path file = inbox_.path() / "junk.bin";
  writeFile(file, "hello, not FHIR\n");
  auto report = take(file);
  ASSERT_TRUE(report) << report.error();
  EXPECT_TRUE(report->unusable());
  EXPECT_EQ(renderReason("junk.bin", 1798761600, true, *report),
            "{\"file\":\"junk.bin\",\"time\":\"2027-01-01T00:00:00Z\",\"moved_to\":\"error\","
            "\"stored\":0,\"refused_count\":1,\"refused\":[{\"where\":\"junk.bin\",\"status\":400,"
            "\"code\":"
            "\"structure\",\"message\":\"not FHIR JSON, FHIR XML or NDJSON (a JSON document must "
            "be one object, in UTF-8)\",\"path\":\"\",\"dead_letter\":false}]}\n");
  EXPECT_TRUE(journal_->deadLetters()->empty());
}

TEST_F(InboxIntake, LargeNdjsonIsCommittedInBatches) {
  const fs::path file = inbox_.path() / "many.ndjson";
  std::string lines;
  for (int i = 0; i < 1201; ++i) {
    lines += R"({"resourceType":"Patient","id":"p)" + std::to_string(i) + "\"}\n";
  }
  writeFile(file, lines);
  auto report = take(file);
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->stored, 1201u);
  EXPECT_EQ(commits_, 3);  // 500 + 500 + 201
}

TEST_F(InboxIntake, RefusalsPastTheListedOnesAreCountedAndStillDeadLettered) {
  const fs::path file = inbox_.path() / "bad.ndjson";
  writeFile(file, kPatient1 + "\n{\"x\n{\"y\n{\"z\n");
  IntakeOptions options;
  options.maxListed = 2;
  auto report = take(file, options);
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->stored, 1u);
  EXPECT_EQ(report->refusedCount, 3u);
  ASSERT_EQ(report->refused.size(), 2u);
  EXPECT_EQ(report->refused[1].where, "bad.ndjson: line 3");
  EXPECT_EQ(journal_->deadLetters()->size(), 3u);
}

TEST_F(InboxIntake, StoppingLeavesTheFileForTheNextStart) {
  const fs::path file = inbox_.path() / "two.ndjson";
  writeFile(file, kPatient1 + "\n");
  stop_ = true;
  auto report = take(file);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "stopped");
  EXPECT_EQ(*journal_->lastSeq(), 0);
}

}  // namespace
}  // namespace fhir837::inbox
