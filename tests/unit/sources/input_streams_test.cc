#include "sources/archive/input_streams.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_paths.h"
#include "unit/sources/archive_fixtures.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::ArchiveKind;
using ::testing::ElementsAre;
using testing::gzip;
using ::testing::HasSubstr;
using testing::makeArchive;
using testing::writeFile;

struct Seen {
  std::string display;
  std::string path;
  std::string member;
  std::string content;  // bytes read before the end or the error
  std::optional<Error> error;
};

// Reads every stream to its end (or error) in odd-sized chunks.
std::vector<Seen> visitAll(const std::vector<fs::path>& inputs,
                           const InputStreamOptions& options = {}, Status* status = nullptr) {
  std::vector<Seen> seen;
  Status s = forEachInputStream(
      inputs,
      [&](const InputName& name, ByteStream& stream) {
        Seen item{name.display, name.path.string(), name.member, {}, {}};
        char buffer[777];
        while (true) {
          auto got = stream.read(buffer, sizeof buffer);
          if (!got) {
            item.error = got.error();
            // Sticky: the same error again.
            auto again = stream.read(buffer, sizeof buffer);
            EXPECT_FALSE(again.has_value());
            if (!again.has_value()) {
              EXPECT_EQ(again.error(), got.error());
            }
            break;
          }
          if (*got == 0) break;
          item.content.append(buffer, *got);
        }
        seen.push_back(std::move(item));
        return Status::ok();
      },
      options);
  if (status != nullptr) {
    *status = s;
  } else {
    EXPECT_TRUE(s) << s.error().describe();
  }
  return seen;
}

// "display=content" for the streams that read cleanly, "display!" for errors.
std::vector<std::string> summary(const std::vector<Seen>& seen) {
  std::vector<std::string> out;
  for (const auto& s : seen) out.push_back(s.display + (s.error ? "!" : "=" + s.content));
  return out;
}

class InputStreamsTest : public ::testing::Test {
 protected:
  fs::path file(const std::string& rel, const std::string& bytes) {
    fs::path p = dir_.path() / rel;
    fs::create_directories(p.parent_path());
    writeFile(p, bytes);
    return p;
  }
  std::string rel(const std::string& s) { return (dir_.path() / s).string(); }

  testing::TempDir dir_;
};

TEST_F(InputStreamsTest, WalksDirectoriesSortedSkippingHiddenFiles) {
  file("in/b.json", "B");
  file("in/a/c.json", "C");
  file("in/.hidden.json", "H");
  file("in/.git/x.json", "X");
  file("in/z.ndjson", "Z");
  file("single.json", "S");
  auto seen = visitAll({dir_.path() / "single.json", dir_.path() / "in"});
  EXPECT_THAT(summary(seen), ElementsAre(rel("single.json") + "=S", rel("in/a/c.json") + "=C",
                                         rel("in/b.json") + "=B", rel("in/z.ndjson") + "=Z"));
  EXPECT_EQ(seen[1].path, rel("in/a/c.json"));
  EXPECT_EQ(seen[1].member, "");
}

TEST_F(InputStreamsTest, MissingInputFailsBeforeAnythingIsVisited) {
  file("a.json", "A");
  Status status;
  auto seen = visitAll({dir_.path() / "a.json", dir_.path() / "nope"}, {}, &status);
  EXPECT_TRUE(seen.empty());
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_EQ(status.error().where, rel("nope"));
  EXPECT_EQ(status.error().message, "input not found");
}

TEST_F(InputStreamsTest, VisitorErrorStopsIteration) {
  file("a.json", "A");
  file("b.json", "B");
  int calls = 0;
  Status s = forEachInputStream({dir_.path()}, [&](const InputName&, ByteStream&) -> Status {
    ++calls;
    return makeError(ErrorCode::kConfig, "stop here", "visitor");
  });
  EXPECT_EQ(calls, 1);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), makeError(ErrorCode::kConfig, "stop here", "visitor"));
}

TEST_F(InputStreamsTest, ZipTarAndTarGzYieldRegularMembersInArchiveOrder) {
  const std::vector<testing::ArchiveMember> members = {
      {"z/", "", true},           {"z/Patient.000.ndjson", "P0"}, {"a.json", "A"},
      {".DS_Store", "junk"},      {"__MACOSX/._a.json", "junk"},  {"d/.hidden/x.json", "junk"},
      {"./Coverage.ndjson", "C"}, {"empty.ndjson", ""},
  };
  struct Case {
    ArchiveKind kind;
    const char* name;
  };
  for (Case c : {Case{ArchiveKind::kZip, "export.zip"}, Case{ArchiveKind::kZipStored, "s.zip"},
                 Case{ArchiveKind::kTar, "export.tar"}, Case{ArchiveKind::kTarGz, "export.tgz"}}) {
    fs::path archive = file(c.name, makeArchive(c.kind, members));
    auto seen = visitAll({archive});
    std::string base = archive.string() + "!";
    EXPECT_THAT(summary(seen), ElementsAre(base + "z/Patient.000.ndjson=P0", base + "a.json=A",
                                           base + "./Coverage.ndjson=C", base + "empty.ndjson="))
        << c.name;
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[0].path, archive.string());
    EXPECT_EQ(seen[0].member, "z/Patient.000.ndjson");
  }
}

TEST_F(InputStreamsTest, GzipFilesAreDecompressedUnderTheirOwnName) {
  std::string big;
  for (int i = 0; i < 20000; ++i)
    big += "{\"resourceType\":\"Patient\",\"id\":\"p" + std::to_string(i) + "\"}\n";
  fs::path gz = file("Patient.ndjson.gz", gzip(big));
  fs::path empty = file("empty.ndjson.gz", gzip(""));
  auto seen = visitAll({gz, empty});
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].display, gz.string());
  EXPECT_EQ(seen[0].member, "");
  EXPECT_FALSE(seen[0].error);
  EXPECT_EQ(seen[0].content, big);
  EXPECT_THAT(summary({seen[1]}), ElementsAre(empty.string() + "="));
}

TEST_F(InputStreamsTest, ContainersAreDetectedByContentNotName) {
  fs::path gzAsJson = file("looks-plain.json", gzip("{\"resourceType\":\"Bundle\"}"));
  fs::path zipAsJson = file("bundle.json", makeArchive(ArchiveKind::kZip, {{"m.json", "M"}}));
  fs::path tarAsBin = file("data.bin", makeArchive(ArchiveKind::kTar, {{"t.json", "T"}}));
  fs::path plainAsZip = file("notreally.zip", "PK but not a zip");
  fs::path plainAsGz = file("notreally.gz", "plain");
  auto seen = visitAll({gzAsJson, zipAsJson, tarAsBin, plainAsZip, plainAsGz});
  EXPECT_THAT(
      summary(seen),
      ElementsAre(gzAsJson.string() + "={\"resourceType\":\"Bundle\"}",
                  zipAsJson.string() + "!m.json=M", tarAsBin.string() + "!t.json=T",
                  plainAsZip.string() + "=PK but not a zip", plainAsGz.string() + "=plain"));
}

TEST_F(InputStreamsTest, GzipMemberInsideAnArchiveIsDecompressed) {
  fs::path zip =
      file("bulk.zip", makeArchive(ArchiveKind::kZip, {{"Patient.ndjson.gz", gzip("{}\n{}\n")},
                                                       {"Encounter.ndjson", "{}\n"}}));
  EXPECT_THAT(summary(visitAll({zip})), ElementsAre(zip.string() + "!Patient.ndjson.gz={}\n{}\n",
                                                    zip.string() + "!Encounter.ndjson={}\n"));
}

// Replaces bytes in the middle of the first occurrence of `needle`'s compressed data: the local
// header of the first zip member is 30 bytes + name, then its data.
std::string corruptFirstZipMember(std::string zip, const std::string& memberName) {
  std::size_t data = 30 + memberName.size();
  EXPECT_EQ(zip.compare(30, memberName.size(), memberName), 0);
  for (std::size_t i = data + 20; i < data + 60; ++i) zip[i] = static_cast<char>(0xff);
  return zip;
}

TEST_F(InputStreamsTest, CorruptZipMemberIsReportedAndTheNextMemberStillRead) {
  std::string payload;
  for (int i = 0; i < 3000; ++i) payload += "{\"id\":\"e" + std::to_string(i % 97) + "\"}\n";
  for (ArchiveKind kind : {ArchiveKind::kZip, ArchiveKind::kZipStored}) {
    std::string zip =
        makeArchive(kind, {{"Encounter.ndjson", payload}, {"Patient.ndjson", "{}\n"}});
    fs::path bad = file(kind == ArchiveKind::kZip ? "deflated.zip" : "stored.zip",
                        corruptFirstZipMember(zip, "Encounter.ndjson"));
    fs::path next = file("after.json", "{}");
    auto seen = visitAll({bad, next});
    ASSERT_EQ(seen.size(), 3u);
    const std::string member = bad.string() + "!Encounter.ndjson";
    EXPECT_EQ(seen[0].display, member);
    ASSERT_TRUE(seen[0].error);
    EXPECT_EQ(seen[0].error->code, ErrorCode::kSyntax);
    EXPECT_EQ(seen[0].error->where, member);
    EXPECT_THAT(seen[0].error->message, HasSubstr("cannot read " + member + " after "));
    EXPECT_THAT(seen[0].error->message,
                HasSubstr(kind == ArchiveKind::kZip ? "decompression failed" : "bad CRC"));
    EXPECT_THAT(summary({seen[1], seen[2]}),
                ElementsAre(bad.string() + "!Patient.ndjson={}\n", next.string() + "={}"));
  }
}

TEST_F(InputStreamsTest, TruncatedGzipIsAnErrorAtTheCutThenTheNextFile) {
  std::string big;
  for (int i = 0; i < 50000; ++i) big += "{\"id\":\"" + std::to_string(i * 7919) + "\"}\n";
  std::string gz = gzip(big);
  fs::path cut = file("cut.ndjson.gz", gz.substr(0, gz.size() / 2));
  fs::path headerOnly = file("stub.gz", gz.substr(0, 5));
  fs::path next = file("next.ndjson", "{}\n");
  auto seen = visitAll({cut, headerOnly, next});
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].display, cut.string());
  ASSERT_TRUE(seen[0].error);
  EXPECT_EQ(seen[0].error->code, ErrorCode::kSyntax);
  EXPECT_EQ(seen[0].error->where, cut.string());
  EXPECT_THAT(seen[0].error->message, HasSubstr("cannot read " + cut.string() + " after "));
  EXPECT_THAT(seen[0].error->message, HasSubstr("truncated gzip input"));
  // Everything delivered before the cut is a true prefix of the data.
  EXPECT_GT(seen[0].content.size(), 0u);
  EXPECT_EQ(big.compare(0, seen[0].content.size(), seen[0].content), 0);
  EXPECT_EQ(seen[1].display, headerOnly.string());
  ASSERT_TRUE(seen[1].error);
  EXPECT_EQ(seen[1].error->code, ErrorCode::kSyntax);
  EXPECT_EQ(seen[1].error->where, headerOnly.string());
  EXPECT_EQ(seen[1].error->message,
            "cannot read " + headerOnly.string() + ": truncated or invalid gzip header");
  EXPECT_THAT(summary({seen[2]}), ElementsAre(next.string() + "={}\n"));
}

TEST_F(InputStreamsTest, TruncatedTarGzMemberIsAnError) {
  std::string big;
  for (int i = 0; i < 50000; ++i) big += "{\"id\":\"" + std::to_string(i * 7919) + "\"}\n";
  std::string tgz = makeArchive(ArchiveKind::kTarGz, {{"a.ndjson", "{}\n"}, {"b.ndjson", big}});
  fs::path cut = file("cut.tar.gz", tgz.substr(0, tgz.size() / 2));
  auto seen = visitAll({cut});
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_THAT(summary({seen[0]}), ElementsAre(cut.string() + "!a.ndjson={}\n"));
  ASSERT_TRUE(seen[1].error);
  EXPECT_EQ(seen[1].display, cut.string() + "!b.ndjson");
  EXPECT_EQ(seen[1].error->code, ErrorCode::kSyntax);
  EXPECT_THAT(seen[1].error->message, HasSubstr("truncated"));
}

TEST_F(InputStreamsTest, DamagedTarHeaderIsReportedAndLaterMembersRead) {
  std::string tar =
      makeArchive(ArchiveKind::kTar, {{"a.json", "A"}, {"b.json", "B"}, {"c.json", "C"}});
  // Each member: a 512-byte header and one 512-byte data block; pax_restricted adds no extras for
  // short ASCII names. Break b's header checksum.
  ASSERT_EQ(tar.compare(1024, 6, "b.json"), 0);
  tar[1024 + 148] = 'x';
  fs::path damaged = file("damaged.tar", tar);
  auto seen = visitAll({damaged});
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_THAT(summary({seen[0], seen[2]}),
              ElementsAre(damaged.string() + "!a.json=A", damaged.string() + "!c.json=C"));
  EXPECT_EQ(seen[1].display, damaged.string());
  EXPECT_EQ(seen[1].member, "");
  ASSERT_TRUE(seen[1].error);
  EXPECT_EQ(seen[1].error->code, ErrorCode::kSyntax);
  EXPECT_EQ(seen[1].error->message,
            "cannot read " + damaged.string() + " after 1 members: Damaged tar archive");
}

TEST(InputStreamsStdin, InjectedStreamIsReadAsDashAndDecompressed) {
  std::istringstream in(gzip("{}\n{}\n"));
  InputStreamOptions options;
  options.stdinStream = &in;
  auto seen = visitAll({"-"}, options);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_THAT(summary(seen), ElementsAre("-={}\n{}\n"));
  EXPECT_EQ(seen[0].path, "-");
  std::istringstream tar(makeArchive(ArchiveKind::kTarGz, {{"x.json", "X"}, {"y.json", "Y"}}));
  options.stdinStream = &tar;
  EXPECT_THAT(summary(visitAll({"-"}, options)), ElementsAre("-!x.json=X", "-!y.json=Y"));
}

TEST(InputStreamsStdin, DefaultReadsFileDescriptorZero) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  // A zip arriving on a pipe cannot seek: libarchive's streaming zip reader handles it.
  std::string bytes = makeArchive(ArchiveKind::kZip, {{"p.ndjson", "{\"a\":1}\n"}});
  ASSERT_LT(bytes.size(), 60000u);  // fits the pipe buffer, so no writer thread is needed
  ASSERT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fds[1]);
  int savedStdin = ::dup(0);
  ASSERT_GE(savedStdin, 0);
  ::dup2(fds[0], 0);
  ::close(fds[0]);
  auto seen = visitAll({"-"});
  ::dup2(savedStdin, 0);
  ::close(savedStdin);
  EXPECT_THAT(summary(seen), ElementsAre("-!p.ndjson={\"a\":1}\n"));
}

}  // namespace
}  // namespace fhir837
