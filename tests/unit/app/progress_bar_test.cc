#include "app/progress_bar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace fhir837::app {
namespace {

using namespace std::chrono_literals;

std::string contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  return text;
}

// Splits on '\r' (every draw and the final blanking start with one).
std::vector<std::string> redraws(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t cr; (cr = text.find('\r', start)) != std::string::npos; start = cr + 1) {
    parts.push_back(text.substr(start, cr - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

TEST(ProgressBar, RedrawsWithCarriageReturnsAndBlanksTheLineOnStop) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ConvertProgress progress;
  progress.files = 2;
  progress.resources = 1000;
  {
    ProgressBar bar(progress, out, 2ms);
    // Wait for a few draws; ftell is safe while the bar writes (stdio locks the stream).
    for (int i = 0; i < 500 && std::ftell(out) < 200; ++i) std::this_thread::sleep_for(10ms);
    bar.stop();
    const long afterStop = std::ftell(out);
    bar.stop();  // idempotent, and so is the destructor after it
    EXPECT_EQ(std::ftell(out), afterStop);
  }
  const std::vector<std::string> parts = redraws(contents(out));
  std::fclose(out);
  // "", line, line, ..., line, blank, "" (ends with the cursor at the start of a blank line).
  ASSERT_GE(parts.size(), 4u);
  EXPECT_EQ(parts.front(), "");
  EXPECT_EQ(parts.back(), "");
  const std::string line = "indexing  2 files  1,000 resources  0 claims  0.0 MB/s";
  for (std::size_t i = 1; i + 2 < parts.size(); ++i) EXPECT_EQ(parts[i], line) << i;
  EXPECT_EQ(parts[parts.size() - 2], std::string(line.size(), ' '));
}

TEST(ProgressBar, StopBeforeTheFirstDrawWritesNothingAndDoesNotWait) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ConvertProgress progress;
  const auto start = std::chrono::steady_clock::now();
  { ProgressBar bar(progress, out, std::chrono::hours(1)); }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);
  EXPECT_EQ(contents(out), "");
  std::fclose(out);
}

}  // namespace
}  // namespace fhir837::app
