#include <gtest/gtest.h>

#include <string>

#include "app/progress_bar.h"

namespace fhir837::app {
namespace {

constexpr std::size_t kWide = 200;

ProgressSnapshot reading41Percent() {
  ProgressSnapshot s;
  s.totalBytes = 10'000'000'000;
  s.bytesRead = 4'100'000'000;  // 85.4 MB/s over 48 s; 5.9 GB left is 69.07 s
  s.files = 3;
  s.resources = 120'000;
  s.claims = 2'000;
  return s;
}

TEST(ProgressLine, WithoutATotalShowsThePhaseAndNoBar) {
  ProgressSnapshot s;
  s.bytesRead = 256'000'000;
  s.files = 3;
  s.resources = 120'000;
  EXPECT_EQ(renderProgressLine(s, 3.0, kWide),
            "indexing  3 files  120,000 resources  0 claims  85.3 MB/s");
  s.phase = 1;
  s.claims = 17;
  EXPECT_EQ(renderProgressLine(s, 3.0, kWide),
            "coding  3 files  120,000 resources  17 claims  85.3 MB/s");
}

TEST(ProgressLine, ZeroPercentHasNoEtaWhileTheRateIsZero) {
  ProgressSnapshot s;
  s.totalBytes = 1'000'000'000;
  EXPECT_EQ(renderProgressLine(s, 0.5, kWide),
            "[>                   ]   0%  indexing  0 files  0 resources  0 claims  0.0 MB/s");
  EXPECT_EQ(renderProgressLine(s, 0.0, kWide),
            "[>                   ]   0%  indexing  0 files  0 resources  0 claims  0.0 MB/s");
}

TEST(ProgressLine, FortyOnePercentWithEta) {
  EXPECT_EQ(renderProgressLine(reading41Percent(), 48.0, kWide),
            "[========>           ]  41%  3 files  120,000 resources  2,000 claims  85.4 MB/s  "
            "ETA 1:10");
}

TEST(ProgressLine, EtaPastAnHourShowsHours) {
  ProgressSnapshot s;
  s.totalBytes = 1'000'000'000'000;
  s.bytesRead = 1'000'000'000;  // 100 MB/s, 999 GB left
  EXPECT_EQ(renderProgressLine(s, 10.0, kWide),
            "[>                   ]   0%  0 files  0 resources  0 claims  100.0 MB/s  ETA 2:46:30");
}

TEST(ProgressLine, HundredPercentWhileCodingHasNoEta) {
  ProgressSnapshot s;
  s.totalBytes = 2'500'000'000;
  s.bytesRead = 2'500'000'000;
  s.files = 12;
  s.resources = 1'234'567;
  s.events = 41'000;
  s.claims = 41'000;
  s.phase = 1;
  EXPECT_EQ(renderProgressLine(s, 25.0, kWide),
            "[====================] 100%  coding  12 files  1,234,567 resources  41,000 claims  "
            "100.0 MB/s");
}

TEST(ProgressLine, WhileCodingTheBarFollowsTheEvents) {
  ProgressSnapshot s;
  s.totalBytes = 2'500'000'000;
  s.bytesRead = 2'500'000'000;
  s.files = 12;
  s.resources = 1'234'567;
  s.totalEvents = 100'000;
  s.events = 25'000;
  s.claims = 20'000;
  s.phase = 1;
  s.codingSeconds = 10.0;  // 2,500 events/s: 75,000 left take 30 s
  EXPECT_EQ(renderProgressLine(s, 25.0, kWide),
            "[=====>              ]  25%  coding  12 files  1,234,567 resources  20,000 claims  "
            "100.0 MB/s  ETA 0:30");
  s.events = 0;  // no rate yet: no ETA
  EXPECT_EQ(renderProgressLine(s, 25.0, kWide),
            "[>                   ]   0%  coding  12 files  1,234,567 resources  20,000 claims  "
            "100.0 MB/s");
}

TEST(ProgressLine, ReadingPastTheOnDiskTotalStopsAtHundredPercent) {
  ProgressSnapshot s;
  s.totalBytes = 1'000'000;
  s.bytesRead = 3'000'000;
  EXPECT_EQ(renderProgressLine(s, 1.0, kWide),
            "[====================] 100%  0 files  0 resources  0 claims  3.0 MB/s  ETA 0:00");
}

TEST(ProgressLine, SingularNounsAndThousandsSeparators) {
  ProgressSnapshot s;
  s.files = 1;
  s.resources = 1;
  s.claims = 1;
  EXPECT_EQ(renderProgressLine(s, 1.0, kWide), "indexing  1 file  1 resource  1 claim  0.0 MB/s");
  s.files = 999;
  s.resources = 1'234'567'890;
  s.claims = 1'000;
  EXPECT_EQ(renderProgressLine(s, 1.0, kWide),
            "indexing  999 files  1,234,567,890 resources  1,000 claims  0.0 MB/s");
}

TEST(ProgressLine, NarrowWidthsDropTheLeastUsefulPartsFirst) {
  const ProgressSnapshot s = reading41Percent();
  const std::string full =
      "[========>           ]  41%  3 files  120,000 resources  2,000 claims  85.4 MB/s  ETA 1:10";
  EXPECT_EQ(renderProgressLine(s, 48.0, full.size()), full);
  EXPECT_EQ(renderProgressLine(s, 48.0, full.size() - 1),
            "41%  3 files  120,000 resources  2,000 claims  85.4 MB/s  ETA 1:10");
  EXPECT_EQ(renderProgressLine(s, 48.0, 60),
            "41%  120,000 resources  2,000 claims  85.4 MB/s  ETA 1:10");
  EXPECT_EQ(renderProgressLine(s, 48.0, 30), "41%  2,000 claims  ETA 1:10");
  EXPECT_EQ(renderProgressLine(s, 48.0, 13), "41%  ETA 1:10");
  EXPECT_EQ(renderProgressLine(s, 48.0, 12), "41%");
  EXPECT_EQ(renderProgressLine(s, 48.0, 5), "41%");
  EXPECT_EQ(renderProgressLine(s, 48.0, 2), "41");
  EXPECT_EQ(renderProgressLine(s, 48.0, 0), "");
}

TEST(ProgressLine, NarrowWidthKeepsThePhaseOverCounts) {
  ProgressSnapshot s;
  s.files = 3;
  s.resources = 120'000;
  s.claims = 2'000;
  s.phase = 1;
  EXPECT_EQ(renderProgressLine(s, 1.0, 20), "coding  2,000 claims");
  EXPECT_EQ(renderProgressLine(s, 1.0, 4), "codi");
}

}  // namespace
}  // namespace fhir837::app
