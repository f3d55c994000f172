#include "sources/http/ops_readiness.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_paths.h"

namespace fhir837::http {
namespace {

TEST(OpsReadinessTest, OutboxMustTakeANewFile) {
  testing::TempDir dir;
  const ReadinessCheck check = outboxCheck(dir.path());
  EXPECT_EQ(check.name, "outbox");
  EXPECT_EQ(check.failure(), std::nullopt);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));  // the probe is removed again

  // A regular file where the directory should be: refused even for root.
  const auto file = dir.path() / "outbox";
  std::ofstream(file) << "x";
  EXPECT_EQ(outboxCheck(file).failure(),
            "cannot create a file in the outbox " + file.string() + ": Not a directory");
  EXPECT_EQ(outboxCheck(dir.path() / "missing").failure(), "cannot create a file in the outbox " +
                                                               (dir.path() / "missing").string() +
                                                               ": No such file or directory");
}

TEST(OpsReadinessTest, DrainingFailsOnceStopping) {
  std::atomic<bool> draining{false};
  const ReadinessCheck check = drainingCheck(draining);
  EXPECT_EQ(check.name, "draining");
  EXPECT_EQ(check.failure(), std::nullopt);
  draining = true;
  EXPECT_EQ(check.failure(), "stopping: no new work is taken");
}

}  // namespace
}  // namespace fhir837::http
