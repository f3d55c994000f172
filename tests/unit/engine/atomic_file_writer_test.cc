#include "sinks/dir/atomic_file_writer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <string>
#include <vector>

#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::vector<std::string> listDir(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

ino_t inodeOf(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_ino;
}

TEST(AtomicFileWriterTest, WritesContentAndLeavesNoTemporary) {
  TempDir dir;
  const fs::path target = dir.path() / "out.x12";
  const std::string bytes = std::string("ISA*00*~\n") + std::string(1 << 20, 'x') + '\0' + "end";
  ASSERT_TRUE(writeFileAtomically(target, bytes));
  EXPECT_EQ(testing::readFile(target), bytes);
  EXPECT_EQ(listDir(dir.path()), (std::vector<std::string>{"out.x12"}));
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::owner_read, fs::perms::owner_read);
}

TEST(AtomicFileWriterTest, EmptyContent) {
  TempDir dir;
  ASSERT_TRUE(writeFileAtomically(dir.path() / "empty", ""));
  EXPECT_EQ(fs::file_size(dir.path() / "empty"), 0u);
}

TEST(AtomicFileWriterTest, ReplacesTargetAtomically) {
  TempDir dir;
  const fs::path target = dir.path() / "out.x12";
  ASSERT_TRUE(writeFileAtomically(target, "first version, longer than the second"));
  // A reader holding the old file keeps seeing the old content: the target is a new inode.
  std::ifstream before(target);
  const ino_t oldInode = inodeOf(target);
  ASSERT_TRUE(writeFileAtomically(target, "second"));
  EXPECT_EQ(testing::readFile(target), "second");
  std::string old;
  std::getline(before, old);
  EXPECT_EQ(old, "first version, longer than the second");
  EXPECT_NE(inodeOf(target), oldInode);
  EXPECT_EQ(listDir(dir.path()), (std::vector<std::string>{"out.x12"}));
}

TEST(AtomicFileWriterTest, MissingDirectoryIsAnIoError) {
  TempDir dir;
  const fs::path target = dir.path() / "missing/out.x12";
  Status status = writeFileAtomically(target, "data");
  ASSERT_FALSE(status);
  const fs::path temp = dir.path() / ("missing/.out.x12." + std::to_string(::getpid()) + ".tmp");
  EXPECT_EQ(status.error(),
            makeError(ErrorCode::kIo, "cannot create: No such file or directory", temp.string()));
  EXPECT_FALSE(fs::exists(dir.path() / "missing"));
}

TEST(AtomicFileWriterTest, TargetThatIsADirectoryFailsAndCleansUp) {
  TempDir dir;
  fs::create_directory(dir.path() / "taken");
  fs::create_directory(dir.path() / "taken/inside");
  Status status = writeFileAtomically(dir.path() / "taken", "data");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_EQ(status.error().where, (dir.path() / "taken").string());
  EXPECT_EQ(status.error().message.rfind("rename failed: ", 0), 0u) << status.error().message;
  EXPECT_EQ(listDir(dir.path()), (std::vector<std::string>{"taken"}));
}

}  // namespace
}  // namespace fhir837
