#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "../../fuzz/fuzz_targets.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

using Target = std::function<int(const std::uint8_t*, std::size_t)>;

const std::map<std::string, Target>& targets() {
  static const std::map<std::string, Target> all = {
      {"fhir_json", fuzz::fhirJson},
      {"fhir_xml", fuzz::fhirXml},
      {"ndjson", fuzz::ndjson},
      {"x12", fuzz::x12},
      {"convert", fuzz::convert},
      {"serve_intake", fuzz::serveIntake},
      {"stream_message", fuzz::streamMessage},
  };
  return all;
}

// Every seed of every target replays without crashing (ASan/UBSan in the dev preset catch
// memory errors); an empty corpus folder fails, so a target cannot silently lose its seeds.
TEST(FuzzSeedReplay, EverySeedOfEveryTargetRunsCleanly) {
  for (const auto& [name, target] : targets()) {
    auto dir = testing::sourceDir() / "fuzz" / "corpus" / name;
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    int seeds = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::string bytes = testing::readFile(entry.path());
      EXPECT_EQ(target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0)
          << entry.path();
      ++seeds;
    }
    EXPECT_GT(seeds, 0) << "no seeds for " << name;
  }
}

}  // namespace
}  // namespace fhir837
