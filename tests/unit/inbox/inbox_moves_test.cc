#include "sources/inbox/inbox_moves.h"

#include <gtest/gtest.h>

#include "support/test_paths.h"

namespace fhir837::inbox {
namespace {

namespace fs = std::filesystem;
using testing::readFile;
using testing::TempDir;
using testing::writeFile;

TEST(InboxMoves, NumberedNameKeepsEveryExtension) {
  EXPECT_EQ(numberedName("a.json", 1), "a.json");
  EXPECT_EQ(numberedName("a.json", 2), "a~2.json");
  EXPECT_EQ(numberedName("x.ndjson.gz", 3), "x~3.ndjson.gz");
  EXPECT_EQ(numberedName("data", 2), "data~2");
  EXPECT_EQ(numberedName(".hidden", 2), ".hidden~2");
}

TEST(InboxMoves, MovesUnderItsOwnNameWithoutReason) {
  TempDir dir;
  fs::create_directory(dir.path() / "done");
  writeFile(dir.path() / "a.json", "A");
  auto moved = moveWithReason(dir.path() / "a.json", dir.path() / "done", std::nullopt);
  ASSERT_TRUE(moved) << moved.error();
  EXPECT_EQ(*moved, dir.path() / "done/a.json");
  EXPECT_EQ(readFile(dir.path() / "done/a.json"), "A");
  EXPECT_FALSE(fs::exists(dir.path() / "a.json"));
  EXPECT_FALSE(fs::exists(dir.path() / "done/a.json.reason.json"));
}

TEST(InboxMoves, ACollisionGetsTheNextFreeSuffixAndNeverOverwrites) {
  TempDir dir;
  fs::create_directory(dir.path() / "done");
  writeFile(dir.path() / "done/a.json", "first");
  writeFile(dir.path() / "done/a~2.json", "second");
  writeFile(dir.path() / "a.json", "third");
  auto moved = moveWithReason(dir.path() / "a.json", dir.path() / "done", std::string("{}\n"));
  ASSERT_TRUE(moved) << moved.error();
  EXPECT_EQ(*moved, dir.path() / "done/a~3.json");
  EXPECT_EQ(readFile(dir.path() / "done/a.json"), "first");
  EXPECT_EQ(readFile(dir.path() / "done/a~2.json"), "second");
  EXPECT_EQ(readFile(dir.path() / "done/a~3.json"), "third");
  EXPECT_EQ(readFile(dir.path() / "done/a~3.json.reason.json"), "{}\n");
  EXPECT_FALSE(fs::exists(dir.path() / "done/a.json.reason.json"));
}

// A crash between writing the reason and moving the file leaves the reason alone; the file, taken
// again, goes under that name and its reason is written anew (no orphan, no second name).
TEST(InboxMoves, AReasonLeftByACrashIsOverwrittenByItsFile) {
  TempDir dir;
  fs::create_directory(dir.path() / "error");
  writeFile(dir.path() / "error/junk.bin.reason.json", "old\n");
  writeFile(dir.path() / "junk.bin", "junk");
  auto moved = moveWithReason(dir.path() / "junk.bin", dir.path() / "error", std::string("new\n"));
  ASSERT_TRUE(moved) << moved.error();
  EXPECT_EQ(*moved, dir.path() / "error/junk.bin");
  EXPECT_EQ(readFile(dir.path() / "error/junk.bin.reason.json"), "new\n");
}

TEST(InboxMoves, AMissingFileIsAnErrorAndWritesNoReason) {
  TempDir dir;
  fs::create_directory(dir.path() / "done");
  auto moved = moveWithReason(dir.path() / "gone.json", dir.path() / "done", std::nullopt);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kIo);
  EXPECT_EQ(moved.error().where, (dir.path() / "gone.json").string());
  EXPECT_TRUE(fs::is_empty(dir.path() / "done"));
}

}  // namespace
}  // namespace fhir837::inbox
