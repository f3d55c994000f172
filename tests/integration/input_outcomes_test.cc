// Hostile inputs through the real `fhir837 convert` (issue 9, section 2 and the input items of
// section 5): nothing is dropped silently, one bad input never stops the run, every rejected
// input is kept in rejects/ under a short name listed in report.json, and what is not a regular
// file on the command line (a FIFO, /dev/stdin, <(cmd)) is read. Fixtures are built at run time.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/test_paths.h"
#include "support/x12_validation.h"
#include "unit/sources/archive_fixtures.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::ArchiveKind;
using testing::ArchiveMember;
using testing::readFile;
using testing::sourceDir;
using testing::TempDir;
using testing::writeFile;

int runBash(const fs::path& script) {
  int status = std::system(("bash '" + script.string() + "'").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct ConvertRun {
  int exitCode = -1;
  fs::path out;
  rapidjson::Document report;
  std::size_t claims = 0;

  // inputs[] by path.
  std::map<std::string, const rapidjson::Value*> inputs() const {
    std::map<std::string, const rapidjson::Value*> out;
    for (const auto& input : report["inputs"].GetArray()) out[input["path"].GetString()] = &input;
    return out;
  }
  std::string field(const std::string& path, const char* name) const {
    auto all = inputs();
    auto found = all.find(path);
    if (found == all.end()) return "(no input " + path + ")";
    const rapidjson::Value& input = *found->second;
    return input.HasMember(name) ? input[name].GetString() : "";
  }
  // "entry rule" of every not-billed record of `input`.
  std::vector<std::string> outcomes(const std::string& input) const {
    std::vector<std::string> out;
    for (const auto& o : report["not_billed"].GetArray()) {
      if (input == o["input"].GetString()) {
        out.push_back(std::string(o["entry"].GetString()) + " " + o["rule"].GetString());
      }
    }
    return out;
  }
  std::string kept(const std::string& input) const {
    const std::string file = field(input, "rejects");
    return file.empty() ? "(not kept)" : readFile(out / file);
  }
};

// Runs `convert ARGS` from WORK (so inputs can be named relative to it) with `prefix` before it
// on the bash command line (a FIFO writer, a redirection).
ConvertRun convert(const TempDir& work, const std::string& name, const std::string& args,
                   const std::string& prefix = {}, const std::string& launcher = {}) {
  ConvertRun run;
  run.out = work.path() / name;
  const fs::path script = work.path() / (name + ".sh");
  writeFile(script,
            "cd '" + work.path().string() + "'\n" + prefix + "SOURCE_DATE_EPOCH=1741775400 " +
                launcher + " '" + testing::fhir837Binary().string() + "' convert --config '" +
                (sourceDir() / "config/fhir837.toml").string() + "' --state-dir '" +
                (work.path() / (name + "-state")).string() + "' -o '" + run.out.string() + "' " +
                args + " > /dev/null 2> '" + (work.path() / (name + ".err")).string() + "'\n");
  run.exitCode = runBash(script);
  if (fs::exists(run.out / "report.json")) {
    const std::string text = readFile(run.out / "report.json");
    run.report.Parse(text.c_str());
    EXPECT_FALSE(run.report.HasParseError()) << text;
    run.claims = run.report["summary"]["claims"].GetUint64();
  } else {
    run.report.Parse(R"({"inputs":[],"not_billed":[]})");
    ADD_FAILURE() << "no report.json; stderr: " << readFile(work.path() / (name + ".err"));
  }
  if (fs::exists(run.out)) {
    for (const auto& entry : fs::directory_iterator(run.out)) {
      if (entry.path().extension() == ".837") {
        EXPECT_TRUE(testing::isValid837(readFile(entry.path()))) << entry.path();
      }
    }
  }
  return run;
}

fs::path sample(const char* name) { return sourceDir() / "samples" / name / "input.json"; }
const char* kSample01 = "01-scig-95min-office";
const char* kSample02 = "02-scig-16min-cigna";

TEST(InputOutcomes, SpecialFilesInADirectoryAreEachReportedAndTheRestConverts) {
  TempDir work;
  const fs::path dir = work.path() / "in";
  fs::create_directories(dir);
  fs::copy(sample(kSample02), dir / "good.json");
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  fs::create_symlink(dir / "gone.json", dir / "dangling.json");
  fs::create_symlink("/dev/null", dir / "device");
  ConvertRun run = convert(work, "special", "in");
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_EQ(run.claims, 1u) << "good.json still converts";
  EXPECT_EQ(run.field("in/pipe", "rule"), "INPUT-NOT-FILE");
  EXPECT_EQ(run.field("in/pipe", "error"),
            "in/pipe: a FIFO in a directory: not read (give it on the command line to read it as "
            "a stream) [INPUT-NOT-FILE]");
  EXPECT_EQ(run.field("in/dangling.json", "error"),
            "in/dangling.json: dangling symbolic link: not read [INPUT-NOT-FILE]");
  EXPECT_EQ(run.field("in/device", "rule"), "INPUT-NOT-FILE");
  EXPECT_EQ(run.field("in/good.json", "error"), "");
}

TEST(InputOutcomes, ArchivesWithNothingToReadAndLinkMembersAreReported) {
  TempDir work;
  const fs::path dir = work.path() / "in";
  fs::create_directories(dir);
  writeFile(dir / "empty.zip", testing::makeArchive(ArchiveKind::kZip, {}));
  writeFile(dir / "dirs.zip",
            testing::makeArchive(ArchiveKind::kZip, {{"a/", "", true}, {"a/b/", "", true}}));
  writeFile(dir / "zeros.gz", testing::gzip(std::string(10240, '\0')));
  const std::string bundle = readFile(sample(kSample02));
  ArchiveMember symlink{"sym.json", "", false, 0, "good.json"};
  ArchiveMember hardlink{"hard.json", "", false, 0, "", "good.json"};
  ArchiveMember fifo{"pipe", "", false, AE_IFIFO};
  ArchiveMember device{"null", "", false, AE_IFCHR};
  writeFile(dir / "links.tar",
            testing::makeArchive(ArchiveKind::kTar,
                                 {{"good.json", bundle}, symlink, hardlink, fifo, device}));
  ConvertRun run = convert(work, "archives", "in");
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_EQ(run.claims, 1u) << "links.tar!good.json still converts";
  EXPECT_EQ(run.field("in/empty.zip", "error"),
            "in/empty.zip: archive holds no files [INPUT-EMPTY]");
  EXPECT_EQ(run.field("in/dirs.zip", "error"),
            "in/dirs.zip: archive holds no files (only 2 directories or hidden members) "
            "[INPUT-EMPTY]");
  EXPECT_EQ(run.field("in/zeros.gz", "rule"), "INPUT-EMPTY");
  EXPECT_EQ(run.field("in/links.tar!sym.json", "error"),
            "in/links.tar!sym.json: archive member is a symbolic link: not read [INPUT-NOT-FILE]");
  EXPECT_EQ(run.field("in/links.tar!hard.json", "error"),
            "in/links.tar!hard.json: archive member is a hard link: not read [INPUT-NOT-FILE]");
  EXPECT_EQ(run.field("in/links.tar!pipe", "error"),
            "in/links.tar!pipe: archive member is a FIFO: not read [INPUT-NOT-FILE]");
  EXPECT_EQ(run.field("in/links.tar!null", "error"),
            "in/links.tar!null: archive member is a character device: not read [INPUT-NOT-FILE]");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(InputOutcomes, UnknownResourceTypesAndMisplacedBundlesAreRejectedByName) {
  TempDir work;
  const fs::path dir = work.path() / "in";
  fs::create_directories(dir);
  const std::string bundle = readFile(sample(kSample01));
  // A misspelt event: once silently ignored, now the whole document is rejected and kept.
  writeFile(dir / "lower.json",
            replaced(bundle, "\"resourceType\": \"Bundle\"", "\"resourceType\": \"bundle\""));
  // Sample 02 with a Bundle and a misspelt MedicationAdministration among its entries.
  std::string entries = readFile(sample(kSample02));
  entries = replaced(entries, "\"entry\": [",
                     "\"entry\": [{\"resource\": {\"resourceType\": \"Bundle\", \"type\": "
                     "\"collection\"}}, {\"resource\": {\"resourceType\": "
                     "\"medicationAdministration\", \"id\": \"ma-lower\"}},");
  writeFile(dir / "nested.json", entries);
  writeFile(dir / "lines.ndjson",
            "{\"resourceType\":\"Observaton\",\"id\":\"o1\"}\n"
            "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}\n"
            "{\"resourceType\":\"Observation\",\"id\":\"o2\",\"status\":\"final\"}\n");
  ConvertRun run = convert(work, "types", "in");
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_EQ(run.claims, 1u) << "sample 02's own event is still billed";
  EXPECT_EQ(run.field("in/lower.json", "error"),
            "in/lower.json: resourceType 'bundle' is not a FHIR R4 resource type (misspelt, or "
            "from another FHIR version): not read [INPUT-TYPE]");
  EXPECT_EQ(run.kept("in/lower.json"), readFile(dir / "lower.json"));
  EXPECT_EQ(
      run.outcomes("in/nested.json"),
      (std::vector<std::string>{"Bundle.entry[0] INPUT-BUNDLE", "Bundle.entry[1] INPUT-TYPE"}));
  EXPECT_EQ(run.kept("in/nested.json"), entries);
  EXPECT_EQ(run.outcomes("in/lines.ndjson"),
            (std::vector<std::string>{"line 1 INPUT-TYPE", "line 2 INPUT-BUNDLE"}));
  EXPECT_EQ(run.kept("in/lines.ndjson"),
            "{\"resourceType\":\"Observaton\",\"id\":\"o1\"}\n"
            "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}\n");
  EXPECT_EQ(run.field("in/lines.ndjson", "note"),
            "no billable event in this input; its resources serve as context");
}

TEST(InputOutcomes, AFifoDevStdinAndAProcessSubstitutionAreRead) {
  TempDir work;
  const fs::path input = sample(kSample01);
  ASSERT_EQ(::mkfifo((work.path() / "pipe").c_str(), 0600), 0);
  ConvertRun fifo = convert(work, "fifo", "pipe", "cat '" + input.string() + "' > pipe &\n");
  EXPECT_EQ(fifo.exitCode, 0);
  EXPECT_EQ(fifo.claims, 1u);
  ConvertRun devStdin = convert(work, "devstdin", "/dev/stdin < '" + input.string() + "'");
  EXPECT_EQ(devStdin.exitCode, 0);
  EXPECT_EQ(devStdin.claims, 1u);
  ConvertRun substituted = convert(work, "subst", "<(cat '" + input.string() + "')");
  EXPECT_EQ(substituted.exitCode, 0);
  EXPECT_EQ(substituted.claims, 1u);
  // A zip through a pipe cannot be reopened past a broken member, but a sound one is read.
  writeFile(work.path() / "export.zip",
            testing::makeArchive(ArchiveKind::kZip, {{"b.json", readFile(input)}}));
  ConvertRun zipped = convert(work, "zipsubst", "<(cat export.zip)");
  EXPECT_EQ(zipped.exitCode, 0);
  EXPECT_EQ(zipped.claims, 1u);
}

TEST(InputOutcomes, RejectNamesNeverCollideNorPassNameMax) {
  TempDir work;
  // "a/b.json" and "a_b.json" once both became rejects/a_b.json, and one copy was lost.
  writeFile(work.path() / "a/b.json", "{\"resourceType\": \"Patient\",");
  writeFile(work.path() / "a_b.json", "[\"not a resource\"]");
  // A path far longer than NAME_MAX once aborted the whole run.
  fs::path deep = work.path();
  std::string deepName;
  for (int i = 0; i < 3; ++i) {
    deep /= std::string(200, static_cast<char>('k' + i));
    deepName += std::string(200, static_cast<char>('k' + i)) + "/";
  }
  writeFile(deep / "broken.ndjson", "{\"resourceType\":\"Patient\",\"id\":\n");
  deepName += "broken.ndjson";
  fs::copy(sample(kSample02), work.path() / "good.json");
  ConvertRun run = convert(work, "names", "a a_b.json '" + deepName + "' good.json");
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_EQ(run.claims, 1u);
  EXPECT_EQ(run.field("a/b.json", "rejects"), "rejects/1-b.json");
  EXPECT_EQ(run.field("a_b.json", "rejects"), "rejects/2-a_b.json");
  EXPECT_EQ(run.field(deepName, "rejects"), "rejects/3-broken.ndjson");
  EXPECT_EQ(run.kept("a/b.json"), "{\"resourceType\": \"Patient\",");
  EXPECT_EQ(run.kept("a_b.json"), "[\"not a resource\"]");
  EXPECT_EQ(run.kept(deepName), "{\"resourceType\":\"Patient\",\"id\":\n");
  EXPECT_EQ(run.field("good.json", "rejects"), "");
}

TEST(InputOutcomes, AnUnreadableDirectoryIsReportedAndTheRunGoesOn) {
  TempDir work;
  fs::create_directories(work.path() / "locked");
  fs::copy(sample(kSample01), work.path() / "locked/a.json");
  fs::copy(sample(kSample02), work.path() / "good.json");
  ::chmod((work.path() / "locked").c_str(), 0);
  // Root reads any directory: drop the capabilities that let it, when there is a way to.
  std::string launcher;
  if (::geteuid() == 0) {
    if (std::system("setpriv --inh-caps=-dac_override,-dac_read_search "
                    "--bounding-set=-dac_override,-dac_read_search true 2>/dev/null") != 0) {
      ::chmod((work.path() / "locked").c_str(), 0700);
      GTEST_SKIP() << "running as root without setpriv: every directory is readable";
    }
    launcher =
        "setpriv --inh-caps=-dac_override,-dac_read_search "
        "--bounding-set=-dac_override,-dac_read_search";
  }
  ConvertRun run = convert(work, "locked-run", "locked good.json", {}, launcher);
  ::chmod((work.path() / "locked").c_str(), 0700);
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_EQ(run.claims, 1u);
  EXPECT_EQ(run.field("locked", "error"),
            "locked: cannot list directory: Permission denied [INPUT-READ]");
}

TEST(InputOutcomes, EveryDocumentThatFailsToParseIsKeptUnchanged) {
  TempDir work;
  const fs::path dir = work.path() / "in";
  fs::create_directories(dir);
  const std::string bundle = readFile(sample(kSample01));
  writeFile(dir / "truncated.json", bundle.substr(0, bundle.size() / 2));
  writeFile(dir / "array.json", "[" + bundle + "]");
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("{\"resourceType\":\"Patient\"}")) utf16 += std::string{c, '\0'};
  writeFile(dir / "utf16.json", utf16);
  writeFile(dir / "latin1.xml",
            "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"caf\xE9\"/></Patient>");
  writeFile(dir / "blank.json", "  \n\n ");
  ConvertRun run = convert(work, "unparsable", "in");
  EXPECT_EQ(run.exitCode, 1);
  for (const char* name :
       {"truncated.json", "array.json", "utf16.json", "latin1.xml", "blank.json"}) {
    SCOPED_TRACE(name);
    const std::string input = std::string("in/") + name;
    EXPECT_NE(run.field(input, "error"), "");
    EXPECT_EQ(run.kept(input), readFile(dir / name));
  }
  EXPECT_EQ(run.field("in/truncated.json", "rule"), "INPUT-PARSE");
  EXPECT_EQ(run.field("in/array.json", "rule"), "INPUT-PARSE");
  EXPECT_EQ(run.field("in/utf16.json", "rule"), "INPUT-PARSE");
  EXPECT_EQ(run.field("in/latin1.xml", "rule"), "INPUT-PARSE");
  EXPECT_EQ(run.field("in/blank.json", "rule"), "INPUT-EMPTY");
}

// Past the 64 MiB per-document limit a document is not held: it is copied to rejects/ as it is
// read and rejected naming the limit; the same for whitespace.
TEST(InputOutcomes, AnOversizedDocumentIsRejectedNamingTheLimitAndKept) {
  TempDir work;
  const std::string head = "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": []";
  std::string big = head + std::string((64u << 20) + 10, ' ') + "}";
  writeFile(work.path() / "big.json", big);
  writeFile(work.path() / "spaces.json", std::string((64u << 20) + 10, ' '));
  fs::copy(sample(kSample02), work.path() / "good.json");
  ConvertRun run = convert(work, "big", "big.json spaces.json good.json");
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_EQ(run.claims, 1u);
  EXPECT_EQ(run.field("big.json", "error"),
            "big.json: document of " + std::to_string(big.size()) +
                " bytes is larger than the limit of 67108864 bytes (64 MiB) per document; split "
                "it, or export it as NDJSON [INPUT-LIMIT]");
  EXPECT_EQ(run.field("big.json", "rule"), "INPUT-LIMIT");
  EXPECT_TRUE(run.kept("big.json") == big) << "kept byte for byte";
  EXPECT_EQ(run.field("spaces.json", "rule"), "INPUT-EMPTY");
  EXPECT_EQ(fs::file_size(run.out / run.field("spaces.json", "rejects")), (64u << 20) + 10);
}

TEST(InputOutcomes, ABrokenFirstNdjsonLineRejectsThatLineOnly) {
  TempDir work;
  const fs::path copy = work.path() / "export";
  fs::copy(sourceDir() / "tests/fixtures/bulk/sample01", copy);
  const std::string broken = "{\"resourceType\": \"Patient\", \"id\": ";
  writeFile(copy / "Patient.ndjson", broken + "\n" + readFile(copy / "Patient.ndjson"));
  ConvertRun run = convert(work, "firstline", "export");
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_EQ(run.claims, 1u) << "the good lines still convert";
  EXPECT_EQ(run.outcomes("export/Patient.ndjson"), std::vector<std::string>{"line 1 INPUT-PARSE"});
  EXPECT_EQ(run.kept("export/Patient.ndjson"), broken + "\n");
}

}  // namespace
}  // namespace fhir837
