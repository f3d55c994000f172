#include "engine/bulk/hash_set64.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_set>

namespace fhir837 {
namespace {

// Property: the set agrees with std::unordered_set over many random inserts, including zero,
// repeats and enough values to grow several times.
TEST(HashSet64, AgreesWithTheStandardSet) {
  std::mt19937_64 random(11);
  HashSet64 set;
  std::unordered_set<std::uint64_t> expected;
  for (int i = 0; i < 200000; ++i) {
    // Small values repeat often; large ones rarely.
    const std::uint64_t value = (i % 3 == 0) ? random() % 5000 : random();
    ASSERT_EQ(set.insert(value), expected.insert(value).second) << "insert " << i;
  }
  EXPECT_EQ(set.size(), expected.size());
  EXPECT_TRUE(set.insert(0) == !expected.contains(0));
  EXPECT_FALSE(set.insert(0));
}

}  // namespace
}  // namespace fhir837
