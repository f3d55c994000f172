#include "sources/files/input_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::writeFile;

std::vector<std::string> relative(const std::vector<InputEntry>& entries, const fs::path& base) {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    out.push_back(e.path.lexically_relative(base).string() +
                  (e.problem ? " [" + e.problem->rule + "]" : ""));
  }
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

// What a walk cannot read as a file is listed, in its sorted place, with why; a FIFO, device or
// process substitution given on the command line is a stream input.
TEST(InputFilesTest, SpecialEntriesInADirectoryAreListedWithTheirProblem) {
  TempDir dir;
  const fs::path& d = dir.path();
  writeFile(d / "b.json", "{}");
  ASSERT_EQ(::mkfifo((d / "a.fifo").c_str(), 0600), 0);
  fs::create_symlink(d / "missing.json", d / "c-dangling.json");
  fs::create_symlink("/dev/null", d / "d-device");
  fs::create_directories(d / "sub");
  writeFile(d / "sub/x.json", "{}");
  fs::create_directory_symlink(d / "sub", d / "e-linked-dir");
  fs::create_symlink(d / "b.json", d / "f-link.json");
  auto expanded = expandInputs({d});
  ASSERT_TRUE(expanded) << expanded.error().describe();
  EXPECT_EQ(
      relative(*expanded, d),
      (std::vector<std::string>{"a.fifo [INPUT-NOT-FILE]", "b.json",
                                "c-dangling.json [INPUT-NOT-FILE]", "d-device [INPUT-NOT-FILE]",
                                "e-linked-dir [INPUT-NOT-FILE]", "f-link.json", "sub/x.json"}));
  EXPECT_EQ((*expanded)[0].problem->message,
            "a FIFO in a directory: not read (give it on the command line to read it as a stream)");
  EXPECT_EQ((*expanded)[2].problem->message, "dangling symbolic link: not read");
  EXPECT_EQ((*expanded)[3].problem->message,
            "a character device in a directory: not read (give it on the command line to read "
            "it as a stream)");

  auto direct = expandInputs({d / "a.fifo", "/dev/null"});
  ASSERT_TRUE(direct) << direct.error().describe();
  ASSERT_EQ(direct->size(), 2u);
  EXPECT_FALSE((*direct)[0].regular);
  EXPECT_FALSE((*direct)[0].problem);
  EXPECT_FALSE((*direct)[1].regular);
  EXPECT_FALSE((*direct)[1].problem);
}

TEST(InputFilesTest, AnEmptyOrUnlistableDirectoryIsAnEntryWithItsProblem) {
  TempDir dir;
  fs::create_directories(dir.path() / "empty/.hidden");
  auto empty = expandInputs({dir.path() / "empty"});
  ASSERT_TRUE(empty);
  ASSERT_EQ(empty->size(), 1u);
  EXPECT_EQ((*empty)[0].problem,
            makeError(ErrorCode::kInvalidValue, "directory holds no input files",
                      (dir.path() / "empty").string(), "INPUT-EMPTY"));
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any directory";
  fs::create_directories(dir.path() / "locked");
  writeFile(dir.path() / "locked/a.json", "{}");
  fs::permissions(dir.path() / "locked", fs::perms::none);
  auto locked = expandInputs({dir.path() / "locked"});
  fs::permissions(dir.path() / "locked", fs::perms::owner_all);
  ASSERT_TRUE(locked);
  ASSERT_EQ(locked->size(), 1u);
  ASSERT_TRUE((*locked)[0].problem);
  EXPECT_EQ((*locked)[0].problem->rule, "INPUT-READ");
  EXPECT_EQ((*locked)[0].problem->message, "cannot list directory: Permission denied");
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
