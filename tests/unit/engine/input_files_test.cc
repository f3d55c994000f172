#include "sources/files/input_files.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::writeFile;

std::vector<std::string> relative(const std::vector<fs::path>& paths, const fs::path& base) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.lexically_relative(base).string());
  return out;
}

TEST(InputFilesTest, DirectoryExpandsSortedRecursiveSkippingHidden) {
  TempDir dir;
  const fs::path& d = dir.path();
  for (const char* name :
       {"b.json", "a.json", "sub/z.xml", "sub/deeper/c.ndjson", "A.json", ".hidden.json",
        "sub/.DS_Store", ".git/config", ".git/objects/x", "sub/.cache/y.json", "b.json.d/k.json"}) {
    writeFile(d / name, "{}");
  }
  fs::create_directories(d / "emptydir");
  auto expanded = expandInputs({d});
  ASSERT_TRUE(expanded) << expanded.error().describe();
  EXPECT_EQ(relative(*expanded, d),
            (std::vector<std::string>{"A.json", "a.json", "b.json", "b.json.d/k.json",
                                      "sub/deeper/c.ndjson", "sub/z.xml"}));
}

TEST(InputFilesTest, FilesKeepTheirOrderAndDirectoriesExpandInPlace) {
  TempDir dir;
  const fs::path& d = dir.path();
  writeFile(d / "z.json", "{}");
  writeFile(d / "dir/b.json", "{}");
  writeFile(d / "dir/a.json", "{}");
  writeFile(d / ".explicit.json", "{}");
  auto expanded = expandInputs({d / "z.json", d / "dir", d / ".explicit.json"});
  ASSERT_TRUE(expanded) << expanded.error().describe();
  EXPECT_EQ(relative(*expanded, d),
            (std::vector<std::string>{"z.json", "dir/a.json", "dir/b.json", ".explicit.json"}));
  auto none = expandInputs({});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(InputFilesTest, MissingInputIsAnError) {
  TempDir dir;
  writeFile(dir.path() / "ok.json", "{}");
  const fs::path missing = dir.path() / "nope.json";
  auto expanded = expandInputs({dir.path() / "ok.json", missing});
  ASSERT_FALSE(expanded);
  EXPECT_EQ(expanded.error(), makeError(ErrorCode::kIo, "input not found", missing.string()));
}

TEST(InputFilesTest, ReadInputFileLimits) {
  TempDir dir;
  writeFile(dir.path() / "f", "12345");
  auto ok = readInputFile(dir.path() / "f", 5);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "12345");
  auto big = readInputFile(dir.path() / "f", 4);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), makeError(ErrorCode::kLimitExceeded, "file is 5 bytes, limit 4",
                                   (dir.path() / "f").string()));
  auto missing = readInputFile(dir.path() / "g", 4);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().where, (dir.path() / "g").string());
}

}  // namespace
}  // namespace fhir837
