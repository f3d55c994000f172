#include "engine/cluster/stream_journal.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "cluster_fakes.h"
#include "engine/cluster/stream_envelope.h"
#include "support/test_paths.h"

namespace fhir837::cluster {
namespace {

using serve::WriteBatch;
using serve::WriteKind;
using testing::analysed;
using testing::commit;
using testing::commitOne;
using testing::FakeLog;

const std::string kPatientBody = R"({"resourceType":"Patient","id":"p1","gender":"female"})";
// Beneficiary p2 (partition 33), subscriber p1 (partition 8).
const std::string kCoverageBody = R"({"resourceType":"Coverage","id":"c1","status":"active",
  "beneficiary":{"reference":"Patient/p2"},"subscriber":{"reference":"Patient/p1"},
  "payor":[{"reference":"Organization/o1"}]})";

class StreamJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = serve::openJournal(dir_.path());
    ASSERT_TRUE(opened) << opened.error().describe();
    local_ = std::move(*opened);
  }
  void TearDown() override {
    if (stream_) stream_->close();
    if (local_) local_->close();
  }
  serve::Journal& open(std::chrono::milliseconds retryFor = std::chrono::seconds(5),
                       unsigned publishers = 4) {
    StreamJournalOptions options;
    options.partitions = 64;
    options.publishers = publishers;
    options.retryFor = retryFor;
    stream_ = makeStreamJournal(log_, *local_, options);
    return *stream_;
  }

  fhir837::testing::TempDir dir_;
  FakeLog log_;
  std::unique_ptr<serve::Journal> local_;
  std::unique_ptr<serve::Journal> stream_;
};

TEST_F(StreamJournalTest, OneMessagePerSubjectWithItsIdAndEnvelope) {
  serve::Journal& journal = open();
  auto coverage = analysed(kCoverageBody, "Coverage", "c1");
  auto answered = commitOne(journal, coverage);
  ASSERT_TRUE(answered) << answered.error().describe();
  EXPECT_TRUE(answered->committed);
  ASSERT_EQ(answered->results.size(), 1u);
  EXPECT_EQ(answered->results[0].kind, WriteKind::kCreated);
  EXPECT_EQ(answered->results[0].type, "Coverage");
  EXPECT_EQ(answered->results[0].id, "c1");
  EXPECT_EQ(answered->results[0].versionId, 1u);  // the first subject's sequence
  EXPECT_EQ(answered->results[0].lastUpdated.size(), 24u);

  const std::string payload = "fhir837/1 json Coverage c1\n" + kCoverageBody;
  auto published = log_.published();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].subject, "fhir837.in.8");
  EXPECT_EQ(published[0].messageId, "Coverage/c1/" + coverage.hash + "@fhir837.in.8");
  EXPECT_EQ(published[0].payload, payload);
  EXPECT_EQ(published[1].subject, "fhir837.in.33");
  EXPECT_EQ(published[1].messageId, "Coverage/c1/" + coverage.hash + "@fhir837.in.33");
  EXPECT_EQ(published[1].payload, payload);

  // The stream is the journal of record: nothing reaches the local journal on a write.
  auto local = local_->current("Coverage", "c1");
  ASSERT_TRUE(local);
  EXPECT_FALSE(*local);
}

TEST_F(StreamJournalTest, SameContentAgainIsUnchangedNewContentIsCreated) {
  serve::Journal& journal = open();
  auto patient = analysed(kPatientBody, "Patient", "p1");
  auto organization =
      analysed(R"({"resourceType":"Organization","id":"o1","name":"ACME"})", "Organization", "o1");
  ASSERT_TRUE(commitOne(journal, organization));  // sequence 1 on fhir837.ref
  auto first = commitOne(journal, patient);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->results[0].kind, WriteKind::kCreated);
  EXPECT_EQ(first->results[0].versionId, 2u);

  auto again = commitOne(journal, patient);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->results[0].kind, WriteKind::kUnchanged);
  EXPECT_EQ(again->results[0].versionId, 2u);  // the first copy's sequence

  auto changed = commitOne(
      journal,
      analysed(R"({"resourceType":"Patient","id":"p1","gender":"male"})", "Patient", "p1"));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->results[0].kind, WriteKind::kCreated);
  EXPECT_EQ(changed->results[0].versionId, 3u);

  auto published = log_.published();
  ASSERT_EQ(published.size(), 4u);
  EXPECT_EQ(published[0].subject, "fhir837.ref");
  EXPECT_FALSE(published[1].duplicate);
  EXPECT_TRUE(published[2].duplicate);
  EXPECT_EQ(published[2].messageId, published[1].messageId);
}

TEST_F(StreamJournalTest, UnchangedOnlyWhenEverySubjectIsADuplicate) {
  serve::Journal& journal = open();
  auto coverage = analysed(kCoverageBody, "Coverage", "c1");
  // One of the two copies reached the stream before (an earlier attempt that failed half way).
  ASSERT_TRUE(log_.publish("fhir837.in.33", messageIdOf(coverage, "fhir837.in.33"),
                           encodeStreamed(coverage)));
  auto half = commitOne(journal, coverage);
  ASSERT_TRUE(half);
  EXPECT_EQ(half->results[0].kind, WriteKind::kCreated);
  EXPECT_EQ(half->results[0].versionId, 2u);  // fhir837.in.8, stored now after in.33's 1

  auto whole = commitOne(journal, coverage);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->results[0].kind, WriteKind::kUnchanged);
  EXPECT_EQ(whole->results[0].versionId, 2u);
}

TEST_F(StreamJournalTest, BatchAnswersEachWriteInOrder) {
  serve::Journal& journal = open();
  WriteBatch batch;
  batch.atomic = false;
  batch.writes.push_back(analysed(kPatientBody, "Patient", "p1"));
  batch.writes.push_back(analysed(kCoverageBody, "Coverage", "c1"));
  auto answered = commit(journal, std::move(batch));
  ASSERT_TRUE(answered);
  ASSERT_EQ(answered->results.size(), 2u);
  EXPECT_EQ(answered->results[0].id, "p1");
  EXPECT_EQ(answered->results[0].versionId, 1u);
  EXPECT_EQ(answered->results[1].id, "c1");
  EXPECT_EQ(answered->results[1].versionId, 2u);
  EXPECT_EQ(log_.published().size(), 3u);
}

TEST_F(StreamJournalTest, PublishFailingAFewTimesIsRetried) {
  serve::Journal& journal = open(std::chrono::seconds(5));
  log_.failTimes(3);  // pauses of 50, 100 and 200 ms, well inside 5 s
  auto answered = commitOne(journal, analysed(kPatientBody, "Patient", "p1"));
  ASSERT_TRUE(answered) << answered.error().describe();
  EXPECT_EQ(answered->results[0].kind, WriteKind::kCreated);
  EXPECT_EQ(answered->results[0].versionId, 1u);
  EXPECT_EQ(log_.attempts(), 4);
  EXPECT_EQ(log_.published().size(), 1u);
}

TEST_F(StreamJournalTest, PublishFailingPastRetryForIsAnError) {
  serve::Journal& journal = open(std::chrono::milliseconds(300));
  log_.failAlways();
  const auto start = std::chrono::steady_clock::now();
  auto answered = commitOne(journal, analysed(kPatientBody, "Patient", "p1"));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(answered);
  EXPECT_EQ(answered.error(), testing::noLeader());
  // Tried at 0, 50 and 150 ms; the next pause (200 ms) would end past the 300 ms.
  EXPECT_GE(log_.attempts(), 2);
  EXPECT_LE(log_.attempts(), 3);
  EXPECT_GE(took, std::chrono::milliseconds(50));
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_TRUE(log_.published().empty());
}

TEST_F(StreamJournalTest, ConditionalWritesAreRefusedAndNothingPublished) {
  serve::Journal& journal = open();
  const std::string detail =
      "conditional writes (If-Match, If-None-Exist) are not available in cluster mode: send the "
      "resource with its id (PUT) instead";
  auto ifMatch = analysed(kPatientBody, "Patient", "p1");
  ifMatch.ifMatch = 3;
  auto ifNoneExist = analysed(kCoverageBody, "Coverage", "c1");
  ifNoneExist.ifNoneExist = serve::IdentifierQuery{"Coverage", "urn:member", "M1"};
  auto plain = analysed(R"({"resourceType":"Patient","id":"p2"})", "Patient", "p2");

  for (const auto* write : {&ifMatch, &ifNoneExist}) {
    SCOPED_TRACE(write->type);
    auto answered = commitOne(journal, *write);
    ASSERT_TRUE(answered);
    EXPECT_FALSE(answered->committed);
    ASSERT_EQ(answered->results.size(), 1u);
    EXPECT_EQ(answered->results[0].kind, WriteKind::kPreconditionFailed);
    EXPECT_EQ(answered->results[0].type, write->type);
    EXPECT_EQ(answered->results[0].id, write->id);
    EXPECT_EQ(answered->results[0].detail, detail);
  }
  // A transaction with one conditional entry stores none of its entries.
  WriteBatch transaction;
  transaction.writes = {plain, ifMatch};
  auto answered = commit(journal, std::move(transaction));
  ASSERT_TRUE(answered);
  EXPECT_FALSE(answered->committed);
  ASSERT_EQ(answered->results.size(), 2u);
  EXPECT_EQ(answered->results[0].kind, WriteKind::kPreconditionFailed);
  EXPECT_EQ(answered->results[0].id, "p2");
  EXPECT_EQ(answered->results[0].detail, detail);
  EXPECT_EQ(answered->results[1].kind, WriteKind::kPreconditionFailed);
  EXPECT_EQ(log_.attempts(), 0);
}

TEST_F(StreamJournalTest, ClosePublishesWhatWasQueuedFirst) {
  serve::Journal& journal = open(std::chrono::seconds(5), 1);
  log_.setGate(false);  // no PubAck yet: the one publisher waits, the rest stay queued
  std::atomic<int> answered{0}, failed{0};
  for (int i = 0; i < 5; ++i) {
    const std::string id = "p" + std::to_string(i);
    WriteBatch batch;
    batch.writes.push_back(
        analysed(R"({"resourceType":"Patient","id":")" + id + R"("})", "Patient", id));
    journal.submit(std::move(batch), [&](Result<serve::BatchResult> r) {
      if (!r) ++failed;
      ++answered;
    });
  }
  EXPECT_EQ(answered.load(), 0);
  log_.setGate(true);
  journal.close();
  EXPECT_EQ(answered.load(), 5);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(log_.published().size(), 5u);

  // After close a write is answered at once, with an error.
  auto late = commitOne(journal, analysed(kPatientBody, "Patient", "p1"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error(), makeError(ErrorCode::kIo, "the daemon is stopping", "stream"));
  EXPECT_EQ(log_.published().size(), 5u);
}

TEST_F(StreamJournalTest, ReadsStateAndDeadLettersAreTheLocalJournals) {
  serve::Journal& journal = open();
  auto patient = analysed(kPatientBody, "Patient", "p1");
  ASSERT_TRUE(commitOne(*local_, patient));  // as the partition's follower applies it

  auto current = journal.current("Patient", "p1");
  ASSERT_TRUE(current);
  ASSERT_TRUE(*current);
  EXPECT_EQ((*current)->body, kPatientBody);
  EXPECT_EQ((*current)->versionId, 1u);
  auto last = journal.lastSeq();
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, *local_->lastSeq());
  EXPECT_EQ(*last, 1);

  ASSERT_TRUE(journal.putState("billing.cursor", "41"));
  auto state = local_->getState("billing.cursor");
  ASSERT_TRUE(state);
  EXPECT_EQ(*state, std::optional<std::string>("41"));
  EXPECT_EQ(*journal.getState("billing.cursor"), std::optional<std::string>("41"));

  serve::DeadLetter letter;
  letter.httpStatus = 400;
  letter.issueCode = "structure";
  letter.reason = "cannot parse";
  letter.method = "PUT";
  letter.target = "/fhir/Patient/p9";
  letter.contentType = "application/fhir+json";
  letter.body = "{";
  std::promise<Status> kept;
  journal.submitDeadLetter(letter, [&](Status s) { kept.set_value(std::move(s)); });
  ASSERT_TRUE(kept.get_future().get());
  auto letters = local_->deadLetters();
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].reason, "cannot parse");
  EXPECT_EQ((*letters)[0].body, "{");
  auto viaStream = journal.deadLetters();
  ASSERT_TRUE(viaStream);
  EXPECT_EQ(viaStream->size(), 1u);
  EXPECT_TRUE(log_.published().empty());
}

}  // namespace
}  // namespace fhir837::cluster
