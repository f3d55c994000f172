#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace fhir837::testing {

// The project's source tree (samples/, config/, tests/fixtures/).
std::filesystem::path sourceDir();
// The third-party corpus: $FHIR837_CORPUS if set, else the path given at configure time. nullopt
// when it does not exist, so corpus tests can GTEST_SKIP() saying why.
std::optional<std::filesystem::path> corpusDir();
// The fhir837 executable built alongside the tests.
std::filesystem::path fhir837Binary();

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& bytes);

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace fhir837::testing
