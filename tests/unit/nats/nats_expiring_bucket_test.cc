#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "nats_test_fixture.h"
#include "store/nats/nats_cluster_client.h"

namespace fhir837 {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

class NatsExpiringBucketTest : public testing::NatsTest {};

Entries sorted(Entries entries) {
  std::sort(entries.begin(), entries.end());
  return entries;
}

TEST_F(NatsExpiringBucketTest, ListsTheLiveKeysWithTheirLastValuesUntilTheyExpire) {
  auto client = connect();
  ASSERT_TRUE(client);
  auto bucket = client->expiringBucket("hb_" + suffix_, replicas_, std::chrono::seconds(2));
  ASSERT_TRUE(bucket) << bucket.error();

  auto empty = (*bucket)->entries();
  ASSERT_TRUE(empty) << empty.error();
  EXPECT_EQ(*empty, Entries());

  ASSERT_TRUE((*bucket)->put("instance-a", "1"));
  ASSERT_TRUE((*bucket)->put("instance-b", "1"));
  ASSERT_TRUE((*bucket)->put("instance-a", "2"));
  auto both = (*bucket)->entries();
  ASSERT_TRUE(both) << both.error();
  EXPECT_EQ(sorted(*both), (Entries{{"instance-a", "2"}, {"instance-b", "1"}}));

  // A keeps beating, B stops: B goes once its TTL has passed since its last put, A stays.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  Entries live = *both;
  int beats = 2;
  while (live.size() != 1 && std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE((*bucket)->put("instance-a", std::to_string(++beats)));
    auto listed = (*bucket)->entries();
    ASSERT_TRUE(listed) << listed.error();
    live = sorted(*listed);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the beat interval
  }
  EXPECT_EQ(live, (Entries{{"instance-a", std::to_string(beats)}}));

  // The same bucket opened again (another instance) sees the same live keys.
  auto again = client->expiringBucket("hb_" + suffix_, replicas_, std::chrono::seconds(2));
  ASSERT_TRUE(again) << again.error();
  auto seen = (*again)->entries();
  ASSERT_TRUE(seen) << seen.error();
  EXPECT_EQ(*seen, (Entries{{"instance-a", std::to_string(beats)}}));
}

}  // namespace
}  // namespace fhir837
