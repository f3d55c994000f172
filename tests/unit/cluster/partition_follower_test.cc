#include "engine/cluster/partition_follower.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "cluster_fakes.h"
#include "engine/cluster/stream_envelope.h"
#include "support/test_paths.h"

namespace fhir837::cluster {
namespace {

using testing::analysed;
using testing::FakeStream;
using testing::waitUntil;
using Opened = std::vector<std::pair<std::string, std::uint64_t>>;

const std::string kSubject = "fhir837.in.8";

std::string patientBody(const std::string& id) {
  return R"({"resourceType":"Patient","id":")" + id + R"("})";
}
std::string patientMessage(const std::string& id) {
  return encodeStreamed(analysed(patientBody(id), "Patient", id));
}

class PartitionFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = serve::openJournal(dir_.path());
    ASSERT_TRUE(opened) << opened.error().describe();
    journal_ = std::move(*opened);
    FollowerOptions options;
    options.applied = [this] { ++commits_; };
    follower_ = makePartitionFollower(stream_.factory(), *journal_, options);
  }
  void TearDown() override {
    follower_->stop();
    journal_->close();
  }

  std::optional<std::string> cursor(const std::string& subject = kSubject) {
    auto state = journal_->getState("cluster.cursor." + subject);
    EXPECT_TRUE(state);
    return state ? *state : std::nullopt;
  }
  bool stored(const std::string& type, const std::string& id) {
    auto current = journal_->current(type, id);
    return current && current->has_value();
  }
  bool cursorIs(const std::string& value) { return cursor() == std::optional<std::string>(value); }

  fhir837::testing::TempDir dir_;
  FakeStream stream_;
  std::unique_ptr<serve::Journal> journal_;
  std::atomic<int> commits_{0};
  std::unique_ptr<PartitionFollower> follower_;
};

TEST_F(PartitionFollowerTest, AppliesMessagesAndSavesTheCursor) {
  // Stream sequences are shared by all subjects: a subject's own are not consecutive.
  stream_.append(kSubject, 3, patientMessage("p1"));
  stream_.append(kSubject, 7, patientMessage("p2"));
  stream_.append("fhir837.in.9", 8, patientMessage("p9"));
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("7"); })) << cursor().value_or("(none)");
  auto p1 = journal_->current("Patient", "p1");
  ASSERT_TRUE(p1);
  ASSERT_TRUE(*p1);
  EXPECT_EQ((*p1)->body, patientBody("p1"));
  EXPECT_EQ((*p1)->versionId, 1u);
  EXPECT_TRUE(stored("Patient", "p2"));
  EXPECT_FALSE(stored("Patient", "p9"));  // another subject, not followed
  EXPECT_EQ(cursor("fhir837.in.9"), std::nullopt);

  // Messages appended later are followed too.
  stream_.append(kSubject, 12, patientMessage("p3"));
  ASSERT_TRUE(waitUntil([&] { return cursorIs("12"); }));
  EXPECT_TRUE(stored("Patient", "p3"));
  EXPECT_EQ(stream_.opened(), (Opened{{kSubject, 1}}));
  // One commit per batch read: {3, 7}, then {12}. `applied` runs after the cursor is saved.
  ASSERT_TRUE(waitUntil([&] { return commits_.load() >= 2; }));
  EXPECT_EQ(commits_.load(), 2);
}

TEST_F(PartitionFollowerTest, FollowingAgainResumesAfterTheCursor) {
  stream_.append(kSubject, 3, patientMessage("p1"));
  stream_.append(kSubject, 7, patientMessage("p2"));
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("7"); }));
  follower_->unfollow(kSubject);
  EXPECT_FALSE(follower_->caughtUp(kSubject));
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return stream_.opened().size() == 2; }));
  EXPECT_EQ(stream_.opened(), (Opened{{kSubject, 1}, {kSubject, 8}}));
}

TEST_F(PartitionFollowerTest, StartsAfterACursorTheJournalAlreadyHas) {
  ASSERT_TRUE(journal_->putState("cluster.cursor." + kSubject, "41"));
  stream_.append(kSubject, 40, patientMessage("old"));
  stream_.append(kSubject, 42, patientMessage("p1"));
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("42"); }));
  EXPECT_EQ(stream_.opened(), (Opened{{kSubject, 42}}));
  EXPECT_TRUE(stored("Patient", "p1"));
  EXPECT_FALSE(stored("Patient", "old"));
}

TEST_F(PartitionFollowerTest, CaughtUpAfterAnEmptyAnswer) {
  // The stream says more is stored after the last message: only an empty read proves the end.
  stream_.append(kSubject, 3, patientMessage("p1"), 5);
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return follower_->caughtUp(kSubject); }));
  EXPECT_GE(stream_.emptyAnswers(), 1);
  EXPECT_TRUE(cursorIs("3"));
  EXPECT_FALSE(follower_->caughtUp("fhir837.in.9"));
}

TEST_F(PartitionFollowerTest, CaughtUpWhenNothingIsPendingAfterABatch) {
  stream_.emptyIsError();  // an empty read never happens: only pendingAfter == 0 can tell
  stream_.append(kSubject, 3, patientMessage("p1"), 1);
  stream_.append(kSubject, 4, patientMessage("p2"), 0);
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return follower_->caughtUp(kSubject); }));
  EXPECT_TRUE(stored("Patient", "p1"));
  EXPECT_TRUE(stored("Patient", "p2"));
}

TEST_F(PartitionFollowerTest, NotCaughtUpWhileTheStreamHasMore) {
  stream_.emptyIsError();
  stream_.append(kSubject, 3, patientMessage("p1"), 9);
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("3") && stream_.emptyAnswers() >= 1; }));
  EXPECT_FALSE(follower_->caughtUp(kSubject));
}

TEST_F(PartitionFollowerTest, UnusableMessagesGoToTheDeadLetterGoodOnesAreApplied) {
  const std::string garbage = "PUT /fhir/Patient/p9 HTTP/1.1\n{}";
  // The header says Patient, the body is a Coverage: the intake refuses it as it would a PUT.
  const std::string refused =
      "fhir837/1 json Patient p8\n"
      R"({"resourceType":"Coverage","id":"p8","status":"active"})";
  stream_.append(kSubject, 1, patientMessage("p1"));
  stream_.append(kSubject, 2, garbage);
  stream_.append(kSubject, 3, refused);
  stream_.append(kSubject, 4, patientMessage("p2"));
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("4"); }));
  EXPECT_TRUE(stored("Patient", "p1"));
  EXPECT_TRUE(stored("Patient", "p2"));
  EXPECT_FALSE(stored("Patient", "p8"));
  EXPECT_FALSE(stored("Coverage", "p8"));

  auto letters = journal_->deadLetters();
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 2u);
  const serve::DeadLetter& first = (*letters)[0];
  EXPECT_EQ(first.reason,
            "stream message 2 of fhir837.in.8 cannot be applied: not a fhir837 stream message");
  EXPECT_EQ(first.httpStatus, 422);
  EXPECT_EQ(first.issueCode, "processing");
  EXPECT_EQ(first.method, "STREAM");
  EXPECT_EQ(first.target, kSubject);
  EXPECT_EQ(first.contentType, "application/octet-stream");
  EXPECT_EQ(first.body, garbage);
  EXPECT_EQ((*letters)[1].reason,
            "stream message 3 of fhir837.in.8 cannot be applied: resourceType Coverage does not "
            "match the URL's Patient");
  EXPECT_EQ((*letters)[1].body, refused);
}

TEST_F(PartitionFollowerTest, ReadErrorRecreatesTheReaderFromTheCursor) {
  stream_.append(kSubject, 3, patientMessage("p1"));
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("3"); }));
  stream_.failNextRead();
  ASSERT_TRUE(waitUntil([&] { return stream_.opened().size() == 2; }));
  EXPECT_EQ(stream_.opened(), (Opened{{kSubject, 1}, {kSubject, 4}}));
  stream_.append(kSubject, 5, patientMessage("p2"));
  ASSERT_TRUE(waitUntil([&] { return cursorIs("5"); }));
  EXPECT_TRUE(stored("Patient", "p2"));
}

TEST_F(PartitionFollowerTest, MessageAppliedBeforeTheCursorWasSavedIsANoOp) {
  // The commit happened, then the instance died before saving the cursor: replayed on restart.
  ASSERT_TRUE(testing::commitOne(*journal_, analysed(patientBody("p1"), "Patient", "p1")));
  stream_.append(kSubject, 3, patientMessage("p1"));
  stream_.append(kSubject, 4, patientMessage("p2"));
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("4"); }));
  auto p1 = journal_->current("Patient", "p1");
  ASSERT_TRUE(p1);
  ASSERT_TRUE(*p1);
  EXPECT_EQ((*p1)->versionId, 1u);
  auto last = journal_->lastSeq();
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 2);  // p1 once, p2
}

TEST_F(PartitionFollowerTest, BundleMessageGoesToTheDeadLetter) {
  const std::string bundle =
      "fhir837/1 json Bundle b1\n"
      R"({"resourceType":"Bundle","id":"b1","type":"batch","entry":[{"resource":)"
      R"({"resourceType":"Patient","id":"p5"},"request":{"method":"PUT","url":"Patient/p5"}}]})";
  stream_.append(kSubject, 6, bundle);
  follower_->follow(kSubject);
  ASSERT_TRUE(waitUntil([&] { return cursorIs("6"); }));
  EXPECT_FALSE(stored("Patient", "p5"));
  auto letters = journal_->deadLetters();
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 1u);
  // The intake refuses a Bundle under a type path before the follower's own check sees it.
  EXPECT_EQ((*letters)[0].reason,
            "stream message 6 of fhir837.in.8 cannot be applied: a Bundle is posted to the base "
            "(POST /fhir), not to a type");
}

}  // namespace
}  // namespace fhir837::cluster
