#include "sources/inbox/inbox_settle.h"

#include <gtest/gtest.h>

namespace fhir837::inbox {
namespace {

using std::chrono::milliseconds;

const SteadyTime kStart{};

TEST(InboxCandidates, WritersTemporariesAndOwnDirectoriesAreNeverTaken) {
  EXPECT_TRUE(isCandidateName("bundle.json"));
  EXPECT_TRUE(isCandidateName("export.ndjson.gz"));
  EXPECT_TRUE(isCandidateName("tmp.json"));
  EXPECT_FALSE(isCandidateName(".bundle.json"));
  EXPECT_FALSE(isCandidateName("bundle.json.tmp"));
  EXPECT_FALSE(isCandidateName("bundle.json.part"));
  EXPECT_FALSE(isCandidateName("done"));
  EXPECT_FALSE(isCandidateName("error"));
  EXPECT_FALSE(isCandidateName(""));
}

TEST(SettleTracker, RenamedInIsCompleteAtFirstSighting) {
  SettleTracker tracker(milliseconds(2000));
  tracker.renamedIn("a.json");
  EXPECT_TRUE(tracker.complete("a.json", {100, 5}, kStart));
}

TEST(SettleTracker, WrittenInPlaceIsCompleteOnlyAfterSettleUnchanged) {
  SettleTracker tracker(milliseconds(2000));
  EXPECT_FALSE(tracker.complete("a.ndjson", {100, 5}, kStart));
  EXPECT_FALSE(tracker.complete("a.ndjson", {100, 5}, kStart + milliseconds(1999)));
  EXPECT_TRUE(tracker.complete("a.ndjson", {100, 5}, kStart + milliseconds(2000)));
}

TEST(SettleTracker, AGrowingFileStartsItsSettleAgain) {
  SettleTracker tracker(milliseconds(2000));
  EXPECT_FALSE(tracker.complete("a.ndjson", {100, 5}, kStart));
  EXPECT_FALSE(tracker.complete("a.ndjson", {200, 6}, kStart + milliseconds(1500)));
  EXPECT_FALSE(tracker.complete("a.ndjson", {200, 6}, kStart + milliseconds(3000)));
  EXPECT_TRUE(tracker.complete("a.ndjson", {200, 6}, kStart + milliseconds(3500)));
}

TEST(SettleTracker, ATouchWithTheSameSizeStartsItsSettleAgain) {
  SettleTracker tracker(milliseconds(2000));
  EXPECT_FALSE(tracker.complete("a.ndjson", {100, 5}, kStart));
  EXPECT_FALSE(tracker.complete("a.ndjson", {100, 9}, kStart + milliseconds(1500)));
  EXPECT_FALSE(tracker.complete("a.ndjson", {100, 9}, kStart + milliseconds(3000)));
  EXPECT_TRUE(tracker.complete("a.ndjson", {100, 9}, kStart + milliseconds(3500)));
}

TEST(SettleTracker, NextDueIsTheEarliestSettleEnd) {
  SettleTracker tracker(milliseconds(2000));
  EXPECT_EQ(tracker.nextDue(), std::nullopt);
  ASSERT_FALSE(tracker.complete("b", {1, 1}, kStart + milliseconds(500)));
  ASSERT_FALSE(tracker.complete("a", {1, 1}, kStart + milliseconds(900)));
  EXPECT_EQ(tracker.nextDue(), kStart + milliseconds(2500));
  tracker.renamedIn("c");
  EXPECT_EQ(tracker.nextDue(), SteadyTime::min());
}

TEST(SettleTracker, ForgottenAndVanishedFilesStartOver) {
  SettleTracker tracker(milliseconds(2000));
  ASSERT_FALSE(tracker.complete("a", {1, 1}, kStart));
  ASSERT_FALSE(tracker.complete("b", {1, 1}, kStart));
  tracker.forget("a");
  tracker.keepOnly({"a"});  // b is gone from the directory
  EXPECT_EQ(tracker.nextDue(), std::nullopt);
  EXPECT_FALSE(tracker.complete("a", {1, 1}, kStart + milliseconds(5000)));
  EXPECT_FALSE(tracker.complete("b", {1, 1}, kStart + milliseconds(5000)));
}

}  // namespace
}  // namespace fhir837::inbox
