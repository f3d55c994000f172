// The second pass reads NDJSON lines back: from a regular input file where they lie (nothing is
// spilled for it), from the spill file for what cannot be read twice (gzip, stdin, archive
// members), and never from a file that changed since the first pass read it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "engine/bulk/coverage_links.h"
#include "engine/bulk/input_file_lines.h"
#include "engine/bulk/spill_file.h"
#include "engine/group_coder.h"
#include "engine/input_loader.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::readFile;
using testing::TempDir;
using testing::writeFile;

FileIdentity identityOf(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0) << path;
  auto identity = FileIdentity::of(fd, path.string());
  ::close(fd);
  EXPECT_TRUE(identity) << path;
  return *identity;
}

class InputFileLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto spill = SpillFile::create(dir_.path());
    ASSERT_TRUE(spill);
    spill_ = std::move(*spill);
  }

  // Input `input` is a regular file holding `bytes`, registered as the first pass does it.
  fs::path addFile(InputFileLines& lines, std::uint32_t input, const std::string& bytes) {
    const fs::path path = dir_.path() / ("in" + std::to_string(input) + ".ndjson");
    writeFile(path, bytes);
    lines.add(input, path, "in" + std::to_string(input) + ".ndjson", identityOf(path));
    return path;
  }
  static std::string read(const InputFileLines& lines, std::uint32_t input, SpillSpan span) {
    std::string out = "stale";
    Status s = lines.read(input, span, out);
    return s ? out : "!" + s.error().where + ": " + s.error().message;
  }

  TempDir dir_;
  std::unique_ptr<SpillFile> spill_;
};

TEST_F(InputFileLinesTest, ReadsFilesByOffsetAndEverythingElseFromTheSpill) {
  auto spilled = spill_->append("{\"from\":\"spill\"}");
  ASSERT_TRUE(spilled);
  ASSERT_TRUE(spill_->finishWriting());
  InputFileLines lines(*spill_, 2);
  // Five files through two open descriptors: every read after the second file reopens one.
  for (std::uint32_t input = 0; input < 5; input += 2) {
    addFile(lines, input,
            "{\"a\":" + std::to_string(input) + "}\r\n{\"b\":" + std::to_string(input) + "}\n");
  }
  EXPECT_FALSE(lines.holds(1));
  for (int round = 0; round < 3; ++round) {
    for (std::uint32_t input = 0; input < 5; input += 2) {
      EXPECT_EQ(read(lines, input, {9, 7}), "{\"b\":" + std::to_string(input) + "}");
      EXPECT_EQ(read(lines, input, {0, 7}), "{\"a\":" + std::to_string(input) + "}");
    }
    EXPECT_EQ(read(lines, 1, *spilled), "{\"from\":\"spill\"}");
    EXPECT_EQ(read(lines, 3, *spilled), "{\"from\":\"spill\"}");
  }
}

TEST_F(InputFileLinesTest, AFileChangedAfterTheFirstPassIsAnErrorNamingIt) {
  ASSERT_TRUE(spill_->finishWriting());
  InputFileLines lines(*spill_);
  const std::string changed =
      "!in0.ndjson: the input changed while this run used it (its size, modification time or "
      "inode differ from when it was first read): its lines cannot be read back; convert it "
      "again once nothing writes to it";
  // Appended to while open (the first read opened it).
  fs::path grown = addFile(lines, 0, "{\"a\":1}\n");
  EXPECT_EQ(read(lines, 0, {0, 7}), "{\"a\":1}");
  writeFile(grown, "{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(read(lines, 0, {0, 7}), changed);
  // Replaced by another file of the same size and content, before the first read.
  InputFileLines replacedLines(*spill_);
  fs::path replaced = addFile(replacedLines, 0, "{\"a\":1}\n");
  writeFile(dir_.path() / "other", "{\"a\":1}\n");
  fs::rename(dir_.path() / "other", replaced);
  EXPECT_EQ(read(replacedLines, 0, {0, 7}), changed);
  // Truncated: the bytes of the line are gone.
  InputFileLines truncatedLines(*spill_);
  fs::path truncated = addFile(truncatedLines, 0, "{\"a\":1}\n{\"a\":2}\n");
  fs::resize_file(truncated, 4);
  EXPECT_EQ(read(truncatedLines, 0, {8, 7}), changed);
  // Removed.
  InputFileLines removedLines(*spill_);
  fs::remove(addFile(removedLines, 0, "{}\n"));
  EXPECT_EQ(read(removedLines, 0, {0, 2}),
            "!in0.ndjson: cannot open the input again to read its lines: No such file or "
            "directory");
}

// The first pass as convert runs it, over the sample01 bulk export.
class LoadedLinesTest : public ::testing::Test {
 protected:
  Status load(const std::vector<fs::path>& inputs) {
    LoadOptions options;
    options.spillDir = dir_.path();
    options.jobs = 2;
    return loadInputs(inputs, options, loaded_, [](auto, auto) { return Status::ok(); });
  }
  fs::path copyExport() {
    const fs::path copy = dir_.path() / "export";
    fs::copy(testing::sourceDir() / "tests/fixtures/bulk/sample01", copy);
    return copy;
  }
  // Every NDJSON line the index and the events point to, read back.
  std::vector<std::string> linesReadBack() {
    std::vector<std::string> out;
    std::string line;
    for (CompactIndex::EntryId id = 0; id < loaded_.spilled.size(); ++id) {
      const CompactIndex::Entry& entry = loaded_.spilled.entry(id);
      EXPECT_TRUE(loaded_.lines->read(entry.input, entry.span(), line));
      out.push_back(line);
    }
    for (const EventRecord& event : loaded_.events) {
      EXPECT_TRUE(loaded_.lines->read(event.input, event.span(), line));
      out.push_back(line);
    }
    return out;
  }
  static std::vector<std::string> linesOf(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::istringstream bytes(readFile(entry.path()));
      for (std::string line; std::getline(bytes, line);) out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir dir_;
  LoadedInputs loaded_;
};

TEST_F(LoadedLinesTest, RegularFilesAreReadBackWhereTheyLieAndNothingIsSpilled) {
  const fs::path copy = copyExport();
  ASSERT_TRUE(load({copy}));
  EXPECT_EQ(loaded_.spill->size(), 0u);
  auto back = linesReadBack();
  std::sort(back.begin(), back.end());
  EXPECT_EQ(back, linesOf(copy));
}

TEST_F(LoadedLinesTest, GzipLinesAreSpilled) {
  const fs::path copy = copyExport();
  ASSERT_EQ(std::system(("gzip '" + (copy / "Patient.ndjson").string() + "'").c_str()), 0);
  ASSERT_TRUE(load({copy}));
  // The one line of Patient.ndjson.gz, and nothing of the plain files.
  const std::string patient =
      readFile(testing::sourceDir() / "tests/fixtures/bulk/sample01/Patient.ndjson");
  EXPECT_EQ(loaded_.spill->size(), patient.size() - 1);
  auto back = linesReadBack();
  std::sort(back.begin(), back.end());
  EXPECT_EQ(back, linesOf(testing::sourceDir() / "tests/fixtures/bulk/sample01"));
}

TEST_F(LoadedLinesTest, AnEventWhoseFileChangedBetweenThePassesStopsTheRun) {
  const fs::path copy = copyExport();
  ASSERT_TRUE(load({copy}));
  ASSERT_EQ(loaded_.events.size(), 1u);
  // Rewritten in place, one byte longer, between the first and the second pass.
  const fs::path events = copy / "MedicationAdministration.ndjson";
  writeFile(events, " " + readFile(events));
  AppConfig config;
  CodingTables tables;
  CoverageLinks links;
  GroupContext context{loaded_, links, config, tables, std::nullopt, {}, false};
  GroupCoder coder(context);
  coder.beginGroup();
  auto event = coder.eventResource(loaded_.events[0]);
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().code, ErrorCode::kIo);
  EXPECT_EQ(event.error().where, events.string());
  EXPECT_EQ(event.error().message, inputChangedError("").message);
}

}  // namespace
}  // namespace fhir837
