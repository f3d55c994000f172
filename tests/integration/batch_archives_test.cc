// Batch conversion of archives and mixed inputs: zip and plain tar exports, directory trees of
// Bundles detected by content, several kinds of input in one run, NDJSON with every resource type
// in one file, a zip with one corrupt member, the billed-event ledger across runs, determinism
// over input order and --jobs, and rejects/ replay of a large export.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_paths.h"
#include "support/x12_validation.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::readFile;
using testing::sourceDir;
using testing::TempDir;
using testing::writeFile;

constexpr const char* kP1 = "837P-RCV67890-000000001.837";

int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "' "; }

struct Converted {
  int exitCode = -1;
  fs::path out;
  std::string report;                               // report.json bytes
  std::map<std::string, std::string> interchanges;  // every .837 written: name -> bytes
  std::set<std::string> entries;                    // every name directly in the output dir
};

// Runs `fhir837 convert` with a fixed clock; the state dir is WORK/NAME-state unless given.
Converted convert(const TempDir& work, const std::string& name, const std::string& inputs,
                  const fs::path& stateDir = {}) {
  Converted c;
  c.out = work.path() / name;
  const fs::path state = stateDir.empty() ? work.path() / (name + "-state") : stateDir;
  const std::string command = "SOURCE_DATE_EPOCH=1741775400 '" + testing::fhir837Binary().string() +
                              "' convert --config '" +
                              (sourceDir() / "config/fhir837.toml").string() + "' --state-dir '" +
                              state.string() + "' -o '" + c.out.string() + "' " + inputs +
                              " > /dev/null 2> '" + (work.path() / (name + ".err")).string() + "'";
  c.exitCode = shell(command);
  if (fs::exists(c.out / "report.json")) c.report = readFile(c.out / "report.json");
  if (fs::exists(c.out)) {
    for (const auto& entry : fs::directory_iterator(c.out)) {
      const std::string file = entry.path().filename().string();
      c.entries.insert(file);
      if (entry.path().extension() == ".837") {
        c.interchanges[file] = readFile(entry.path());
        EXPECT_TRUE(testing::isValid837(c.interchanges[file])) << entry.path();
      }
    }
  }
  return c;
}

// report.json, parsed.
struct Report {
  explicit Report(const std::string& text) {
    doc.Parse(text.c_str());
    EXPECT_FALSE(doc.HasParseError()) << text;
    EXPECT_TRUE(doc.IsObject()) << text;
  }
  // summary.<key>, or summary.outcomes.<kind> when key is "outcomes.<kind>"; -1 when absent.
  long long summary(const std::string& key) const {
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("summary")) return -1;
    const rapidjson::Value* object = &doc["summary"];
    std::string name = key;
    if (key.starts_with("outcomes.")) {
      object = &(*object)["outcomes"];
      name = key.substr(9);
    }
    if (!object->HasMember(name.c_str())) return -1;
    return static_cast<long long>((*object)[name.c_str()].GetUint64());
  }
  struct Input {
    std::string path, error, errorCode;
    long long resources = 0, events = 0;
  };
  std::vector<Input> inputs() const {
    std::vector<Input> out;
    if (doc.HasParseError() || !doc.IsObject()) return out;
    for (const auto& v : doc["inputs"].GetArray()) {
      out.push_back({v["path"].GetString(), v.HasMember("error") ? v["error"].GetString() : "",
                     v.HasMember("error_code") ? v["error_code"].GetString() : "",
                     static_cast<long long>(v["resources"].GetUint64()),
                     static_cast<long long>(v["events"].GetUint64())});
    }
    return out;
  }
  struct NotBilled {
    std::string input, entry, event, outcome, rule;
  };
  std::vector<NotBilled> notBilled() const {
    std::vector<NotBilled> out;
    if (doc.HasParseError() || !doc.IsObject()) return out;
    for (const auto& v : doc["not_billed"].GetArray()) {
      out.push_back({v["input"].GetString(), v["entry"].GetString(), v["event"].GetString(),
                     v["outcome"].GetString(), v["rule"].GetString()});
    }
    return out;
  }
  std::set<std::string> claimIds() const {
    std::set<std::string> out;
    if (doc.HasParseError() || !doc.IsObject()) return out;
    for (const auto& v : doc["claims"].GetArray()) out.insert(v["claim_id"].GetString());
    return out;
  }
  rapidjson::Document doc;
};

fs::path bulkFixture() { return sourceDir() / "tests/fixtures/bulk/sample01"; }
fs::path sample(const std::string& dir) { return sourceDir() / "samples" / dir; }
std::string expectedSample01() { return readFile(sample("01-scig-95min-office") / "expected.837"); }

std::vector<fs::path> sortedFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// Zips every file of `dir` (flat, sorted) into `zip`: with the zip tool when there is one.
void zipDirectory(const fs::path& dir, const fs::path& zip) {
  if (shell("command -v zip > /dev/null 2>&1") == 0) {
    ASSERT_EQ(shell("cd '" + dir.string() + "' && zip -q -X '" + zip.string() + "' *"), 0);
  } else {
    ASSERT_EQ(shell("python3 -c 'import os, sys, zipfile\n"
                    "z = zipfile.ZipFile(sys.argv[2], \"w\", zipfile.ZIP_DEFLATED)\n"
                    "for n in sorted(os.listdir(sys.argv[1])): z.write(os.path.join(sys.argv[1], "
                    "n), n)\n"
                    "z.close()' '" +
                    dir.string() + "' '" + zip.string() + "'"),
              0);
  }
}

// The sample 01 claim, whatever container holds the export.
void expectSample01From(const Converted& c, std::size_t inputs, const std::string& memberPrefix) {
  EXPECT_EQ(c.exitCode, 0) << c.report;
  EXPECT_EQ(c.entries, (std::set<std::string>{kP1, "report.json"}));
  ASSERT_EQ(c.interchanges.count(kP1), 1u);
  EXPECT_EQ(c.interchanges.at(kP1), expectedSample01());
  Report r(c.report);
  EXPECT_EQ(r.summary("inputs"), static_cast<long long>(inputs));
  EXPECT_EQ(r.summary("rejected_inputs"), 0);
  EXPECT_EQ(r.summary("events"), 1);
  EXPECT_EQ(r.summary("claims"), 1);
  EXPECT_EQ(r.summary("interchanges"), 1);
  EXPECT_TRUE(r.notBilled().empty()) << c.report;
  for (const auto& input : r.inputs()) {
    EXPECT_TRUE(input.path.starts_with(memberPrefix)) << input.path;
    EXPECT_EQ(input.error, "") << input.path;
  }
}

TEST(BatchArchives, ZipOfTheBulkExportGivesSample01) {
  TempDir work;
  const fs::path zip = work.path() / "export.zip";
  zipDirectory(bulkFixture(), zip);
  ASSERT_EQ(readFile(zip).substr(0, 4), std::string("PK\x03\x04", 4));
  Converted c = convert(work, "zip", quoted(zip));
  expectSample01From(c, 10, zip.string() + "!");
  Report r(c.report);
  const auto inputs = r.inputs();
  ASSERT_EQ(inputs.size(), 10u);
  EXPECT_EQ(inputs[6].path, zip.string() + "!MedicationAdministration.ndjson");
  EXPECT_EQ(inputs[6].events, 1);
}

TEST(BatchArchives, UncompressedTarOfTheBulkExportGivesSample01) {
  TempDir work;
  const fs::path tar = work.path() / "export.tar";
  ASSERT_EQ(shell("tar -C '" + bulkFixture().string() + "' -cf '" + tar.string() + "' ."), 0);
  ASSERT_EQ(readFile(tar).substr(257, 5), "ustar") << "a plain tar, not compressed";
  Converted c = convert(work, "tar", quoted(tar));
  expectSample01From(c, 10, tar.string() + "!");
}

// Sample Bundles in a tree: JSON and XML, some with names that say nothing of their content.
struct TreeFile {
  std::string sample, source, target;
};
const std::vector<TreeFile> kTree = {
    {"01-scig-95min-office", "input.json", "a/b/01.json"},
    {"02-scig-16min-cigna", "input.xml", "c/02.xml"},
    {"05-scig-151min-bcbs", "input.json", "a/b/c/05-bundle"},
    {"07-two-diagnoses", "input.xml", "d/07.data"},
    {"10-unknown-payer-rejected", "input.json", "a/10.txt"},
    {"17-hospital-outpatient-837i", "input.json", "c/d/e/17"},
};

TEST(BatchArchives, DirectoryTreeOfBundlesEqualsTheSameFilesListedOneByOne) {
  TempDir work;
  const fs::path tree = work.path() / "tree";
  for (const auto& file : kTree) {
    fs::create_directories((tree / file.target).parent_path());
    fs::copy_file(sample(file.sample) / file.source, tree / file.target);
  }
  Converted walked = convert(work, "walked", quoted(tree));
  std::string listed;
  for (auto it = kTree.rbegin(); it != kTree.rend(); ++it) listed += quoted(tree / it->target);
  Converted oneByOne = convert(work, "listed", listed);

  for (const Converted* c : {&walked, &oneByOne}) {
    EXPECT_EQ(c->exitCode, 1) << "sample 10 is rejected" << c->report;
    Report r(c->report);
    EXPECT_EQ(r.summary("inputs"), 6);
    EXPECT_EQ(r.summary("rejected_inputs"), 0) << "every file is detected by its content";
    EXPECT_EQ(r.summary("events"), 6);
    EXPECT_EQ(r.summary("claims"), 5);
    EXPECT_EQ(r.summary("interchanges"), 2);
    EXPECT_EQ(r.summary("outcomes.rejected"), 1);
    const auto notBilled = r.notBilled();
    ASSERT_EQ(notBilled.size(), 1u) << c->report;
    EXPECT_EQ(notBilled[0].input, (tree / "a/10.txt").string());
    EXPECT_EQ(notBilled[0].event, "MedicationAdministration/ma-10");
    EXPECT_EQ(notBilled[0].rule, "PAY-D12");
    for (const auto& input : r.inputs()) {
      EXPECT_EQ(input.error, "") << input.path;
      EXPECT_EQ(input.events, 1) << input.path;
    }
    EXPECT_EQ(r.claimIds(),
              (std::set<std::string>{"INF20250310001", "INF20250310002", "INF20250310005",
                                     "INF20250310007", "INF20250310017"}));
  }
  // The walk is in sorted path order.
  Report walkedReport(walked.report);
  std::vector<std::string> walkOrder;
  for (const auto& input : walkedReport.inputs()) walkOrder.push_back(input.path);
  std::vector<std::string> sortedOrder;
  for (const auto& file : kTree) sortedOrder.push_back((tree / file.target).string());
  std::sort(sortedOrder.begin(), sortedOrder.end());
  EXPECT_EQ(walkOrder, sortedOrder);

  EXPECT_EQ(walked.interchanges.size(), 2u);
  EXPECT_EQ(walked.interchanges, oneByOne.interchanges) << "same files, same claims, same bytes";
  std::set<std::string> names;
  for (const auto& [name, bytes] : walked.interchanges) names.insert(name);
  EXPECT_EQ(names, (std::set<std::string>{kP1, "837I-RCV67890-000000002.837"}));
}

TEST(BatchArchives, BundleExportDirectoryAndGzipNdjsonInOneRun) {
  TempDir work;
  // A second encounter of the export's patient, in a gzip-compressed NDJSON file.
  const std::string encounter = readFile(bulkFixture() / "Encounter.ndjson");
  const std::string administration = readFile(bulkFixture() / "MedicationAdministration.ndjson");
  const fs::path extra = work.path() / "extra" / "more.ndjson";
  writeFile(extra, replaceAll(replaceAll(encounter, "\"enc-01\"", "\"enc-77\""), "INF20250310001",
                              "INF20250310077") +
                       replaceAll(replaceAll(administration, "\"ma-01\"", "\"ma-77\""),
                                  "Encounter/enc-01", "Encounter/enc-77"));
  ASSERT_EQ(shell("gzip '" + extra.string() + "'"), 0);
  const fs::path gz = work.path() / "extra" / "more.ndjson.gz";
  ASSERT_TRUE(fs::exists(gz));

  const fs::path bundle = sample("02-scig-16min-cigna") / "input.json";
  Converted c = convert(work, "mixed", quoted(bundle) + quoted(bulkFixture()) + quoted(gz));
  EXPECT_EQ(c.exitCode, 0) << c.report;
  EXPECT_EQ(c.entries, (std::set<std::string>{kP1, "report.json"}));
  Report r(c.report);
  EXPECT_EQ(r.summary("inputs"), 1 + 10 + 1);
  EXPECT_EQ(r.summary("rejected_inputs"), 0);
  EXPECT_EQ(r.summary("events"), 3);
  EXPECT_EQ(r.summary("claims"), 3);
  EXPECT_EQ(r.summary("outcomes.claim"), 3);
  EXPECT_EQ(r.summary("interchanges"), 1);
  EXPECT_TRUE(r.notBilled().empty()) << c.report;
  EXPECT_EQ(r.claimIds(),
            (std::set<std::string>{"INF20250310001", "INF20250310002", "INF20250310077"}));
  const auto inputs = r.inputs();
  ASSERT_EQ(inputs.size(), 12u);
  EXPECT_EQ(inputs.front().path, bundle.string());
  EXPECT_EQ(inputs.front().events, 1);
  EXPECT_EQ(inputs.back().path, gz.string());
  EXPECT_EQ(inputs.back().resources, 2);
  EXPECT_EQ(inputs.back().events, 1);
  const std::string& x12 = c.interchanges[kP1];
  for (const char* id : {"CLM*INF20250310001*", "CLM*INF20250310002*", "CLM*INF20250310077*"}) {
    EXPECT_NE(x12.find(id), std::string::npos) << id;
  }
}

TEST(BatchArchives, EveryResourceTypeInOneNdjsonFileGivesSample01) {
  TempDir work;
  // The event first, the resources it references after it, in reverse name order.
  std::vector<fs::path> files = sortedFiles(bulkFixture());
  std::string all = readFile(bulkFixture() / "MedicationAdministration.ndjson");
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    if (it->filename() != "MedicationAdministration.ndjson") all += readFile(*it);
  }
  ASSERT_EQ(linesOf(all).size(), 11u);
  const fs::path file = work.path() / "all.ndjson";
  writeFile(file, all);
  Converted c = convert(work, "all", quoted(file));
  expectSample01From(c, 1, file.string());
  Report r(c.report);
  ASSERT_EQ(r.inputs().size(), 1u);
  EXPECT_EQ(r.inputs()[0].resources, 11);
  EXPECT_EQ(r.inputs()[0].events, 1);
}

// Writes a deflated zip of `dir` plus Extra.ndjson, then makes Extra.ndjson's compressed data
// undecodable (its first deflate block gets the reserved block type 11).
const char* kCorruptZipScript = R"(import os, sys, zipfile
src, extra, out = sys.argv[1:4]
names = sorted(os.listdir(src) + ["Extra.ndjson"])
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name in names:
        z.write(extra if name == "Extra.ndjson" else os.path.join(src, name), name)
with zipfile.ZipFile(out) as z:
    info = z.getinfo("Extra.ndjson")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert names.index("Extra.ndjson") not in (0, len(names) - 1)
data = bytearray(open(out, "rb").read())
at = info.header_offset
assert data[at:at + 4] == b"PK\x03\x04"
start = at + 30 + int.from_bytes(data[at + 26:at + 28], "little") + int.from_bytes(data[at + 28:at + 30], "little")
for i in range(8):
    data[start + i] = 0xFF
open(out, "wb").write(data)
)";

TEST(BatchArchives, ACorruptZipMemberIsRejectedAndTheOtherMembersStillConvert) {
  TempDir work;
  std::string practitioners;
  const std::string practitioner = readFile(bulkFixture() / "Practitioner.ndjson");
  for (int i = 0; i < 40; ++i) {
    practitioners +=
        replaceAll(practitioner, "\"prac-smith\"", "\"prac-extra-" + std::to_string(i) + "\"");
  }
  const fs::path extra = work.path() / "Extra.ndjson";
  writeFile(extra, practitioners);
  const fs::path script = work.path() / "corrupt_zip.py";
  writeFile(script, kCorruptZipScript);
  const fs::path zip = work.path() / "damaged.zip";
  ASSERT_EQ(
      shell("python3 " + quoted(script) + quoted(bulkFixture()) + quoted(extra) + quoted(zip)), 0);

  Converted c = convert(work, "damaged", quoted(zip));
  EXPECT_EQ(c.exitCode, 1) << c.report;
  ASSERT_EQ(c.interchanges.count(kP1), 1u) << c.report;
  EXPECT_EQ(c.interchanges.at(kP1), expectedSample01());
  EXPECT_EQ(c.interchanges.size(), 1u);
  Report r(c.report);
  EXPECT_EQ(r.summary("inputs"), 11);
  EXPECT_EQ(r.summary("rejected_inputs"), 1);
  EXPECT_EQ(r.summary("claims"), 1);
  EXPECT_EQ(r.summary("events"), 1);
  EXPECT_TRUE(r.notBilled().empty()) << c.report;
  std::size_t damaged = 0;
  for (const auto& input : r.inputs()) {
    EXPECT_TRUE(input.path.starts_with(zip.string() + "!")) << input.path;
    if (input.path == zip.string() + "!Extra.ndjson") {
      ++damaged;
      EXPECT_EQ(input.errorCode, "syntax") << input.error;
      EXPECT_NE(input.error.find("after 0 bytes"), std::string::npos)
          << "the damage is at the member's first byte: " << input.error;
      EXPECT_EQ(input.resources, 0);
    } else {
      EXPECT_EQ(input.error, "") << input.path;
    }
  }
  EXPECT_EQ(damaged, 1u) << c.report;
  EXPECT_NE(c.report.find(zip.string() + "!Extra.ndjson"), std::string::npos);
}

TEST(BatchArchives, TheSameExportTwiceIsBilledOnceAndAFreshStateBillsAgain) {
  TempDir work;
  const fs::path state = work.path() / "shared-state";
  Converted first = convert(work, "first", quoted(bulkFixture()), state);
  EXPECT_EQ(first.exitCode, 0) << first.report;
  ASSERT_EQ(first.interchanges.count(kP1), 1u);
  EXPECT_EQ(first.interchanges.at(kP1), expectedSample01());

  Converted second = convert(work, "second", quoted(bulkFixture()), state);
  EXPECT_EQ(second.exitCode, 0) << "already billed is not a problem" << second.report;
  EXPECT_TRUE(second.interchanges.empty());
  EXPECT_EQ(second.entries, (std::set<std::string>{"report.json"}));
  Report r(second.report);
  EXPECT_EQ(r.summary("events"), 1);
  EXPECT_EQ(r.summary("claims"), 0);
  EXPECT_EQ(r.summary("interchanges"), 0);
  EXPECT_EQ(r.summary("outcomes.not-billable"), 1);
  EXPECT_EQ(r.summary("outcomes.claim"), 0);
  const auto notBilled = r.notBilled();
  ASSERT_EQ(notBilled.size(), 1u) << second.report;
  EXPECT_EQ(notBilled[0].event, "MedicationAdministration/ma-01");
  EXPECT_EQ(notBilled[0].outcome, "not-billable");
  EXPECT_EQ(notBilled[0].rule, "LEDGER-1");
  EXPECT_EQ(notBilled[0].input, (bulkFixture() / "MedicationAdministration.ndjson").string());
  EXPECT_EQ(notBilled[0].entry, "line 1");

  Converted third = convert(work, "third", quoted(bulkFixture()));
  EXPECT_EQ(third.exitCode, 0) << third.report;
  EXPECT_EQ(third.entries, (std::set<std::string>{kP1, "report.json"}));
  EXPECT_EQ(third.interchanges[kP1], expectedSample01());
}

// A bulk export of `count` encounters with one infusion each; the administrations are split over
// MedicationAdministration-part-1.ndjson (the first half) and -part-2.ndjson (the rest).
fs::path manyEncounters(const TempDir& work, int count) {
  const fs::path dir = work.path() / "many";
  fs::copy(bulkFixture(), dir);
  const std::string encounter = readFile(dir / "Encounter.ndjson");
  const std::string administration = readFile(dir / "MedicationAdministration.ndjson");
  fs::remove(dir / "MedicationAdministration.ndjson");
  std::string encounters, part1, part2;
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(1000 + i);
    encounters += replaceAll(replaceAll(encounter, "\"enc-01\"", "\"enc-" + n + "\""),
                             "INF20250310001", "INF2025031" + n);
    (i < count / 2 ? part1 : part2) +=
        replaceAll(replaceAll(administration, "\"ma-01\"", "\"ma-" + n + "\""), "Encounter/enc-01",
                   "Encounter/enc-" + n);
  }
  writeFile(dir / "Encounter.ndjson", encounters);
  writeFile(dir / "MedicationAdministration-part-1.ndjson", part1);
  writeFile(dir / "MedicationAdministration-part-2.ndjson", part2);
  return dir;
}

// report.json without its "inputs" array, which lists the inputs in command-line order.
std::string withoutInputs(const std::string& report) {
  const std::size_t begin = report.find("\n  \"inputs\": [");
  const std::size_t end = report.find("\n  \"interchanges\": [");
  if (begin == std::string::npos || end == std::string::npos || end < begin) return report;
  return report.substr(0, begin) + report.substr(end);
}

TEST(BatchArchives, OutputIsIdenticalForAnyInputOrderAndJobCount) {
  TempDir work;
  const fs::path dir = manyEncounters(work, 300);
  const std::vector<fs::path> files = sortedFiles(dir);
  ASSERT_EQ(files.size(), 11u);
  std::string forward, backward;
  for (const auto& f : files) forward += quoted(f);
  for (auto it = files.rbegin(); it != files.rend(); ++it) backward += quoted(*it);

  std::vector<Converted> runs;
  for (const std::string* order : {&forward, &backward}) {
    for (int jobs : {1, 2, 3}) {
      const std::string name =
          std::string(order == &forward ? "fwd" : "bwd") + "-j" + std::to_string(jobs);
      runs.push_back(convert(work, name, "--jobs " + std::to_string(jobs) + " " + *order));
    }
  }
  const Converted& base = runs[0];
  ASSERT_EQ(base.exitCode, 0) << base.report;
  Report r(base.report);
  EXPECT_EQ(r.summary("inputs"), 11);
  EXPECT_EQ(r.summary("events"), 300);
  EXPECT_EQ(r.summary("claims"), 300);
  EXPECT_EQ(r.summary("interchanges"), 1);
  EXPECT_EQ(base.entries, (std::set<std::string>{kP1, "report.json"}));
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const Converted& run = runs[i];
    EXPECT_EQ(run.exitCode, 0) << run.out;
    EXPECT_EQ(run.entries, base.entries) << run.out;
    EXPECT_TRUE(run.interchanges == base.interchanges) << run.out << ": .837 bytes differ";
    if (i < 3) {
      EXPECT_TRUE(run.report == base.report) << run.out << ": report.json differs";
    } else {
      EXPECT_TRUE(withoutInputs(run.report) == withoutInputs(base.report))
          << run.out << ": report.json differs beyond the list of inputs";
      EXPECT_TRUE(run.report == runs[3].report) << run.out << ": report.json differs";
    }
  }
  // The one difference between the orders: "inputs" lists the files as they were given.
  std::vector<std::string> forwardPaths, backwardPaths;
  for (const auto& input : Report(base.report).inputs()) forwardPaths.push_back(input.path);
  for (const auto& input : Report(runs[3].report).inputs()) backwardPaths.push_back(input.path);
  std::reverse(backwardPaths.begin(), backwardPaths.end());
  EXPECT_EQ(forwardPaths, backwardPaths);
  EXPECT_NE(base.report, runs[3].report) << "the inputs are listed in command-line order";
}

// The rejects/ file report.json names for `input` (inputs[].rejects), or empty.
std::string rejectsFileOf(const std::string& report, const std::string& input) {
  Report parsed(report);
  for (const auto& entry : parsed.doc["inputs"].GetArray()) {
    if (input == entry["path"].GetString() && entry.HasMember("rejects")) {
      return entry["rejects"].GetString();
    }
  }
  return {};
}

TEST(BatchArchives, RejectedLinesOfALargeExportAreKeptAndBillOnceWhenFedBack) {
  TempDir work;
  const fs::path dir = manyEncounters(work, 300);
  // A second patient with no coverage at all.
  const std::string patient = readFile(dir / "Patient.ndjson");
  writeFile(dir / "Patient.ndjson", patient + replaceAll(patient, "\"pat-01\"", "\"pat-02\""));

  const fs::path part2 = dir / "MedicationAdministration-part-2.ndjson";
  std::vector<std::string> lines = linesOf(readFile(part2));
  ASSERT_EQ(lines.size(), 150u);
  // Line numbers in part-2 (1-based) and the encounters they bill.
  const std::size_t malformed = 10, uncovered = 50, wrongType = 120;
  const std::vector<std::string> originals = {lines[malformed - 1], lines[uncovered - 1],
                                              lines[wrongType - 1]};
  const std::vector<std::string> claimIds = {"INF20250311159", "INF20250311199", "INF20250311269"};
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_NE(originals[i].find("enc-" + claimIds[i].substr(10)), std::string::npos);
  }
  lines[malformed - 1] = originals[0].substr(0, originals[0].size() / 2);
  lines[uncovered - 1] = replaceAll(originals[1], "Patient/pat-01", "Patient/pat-02");
  lines[wrongType - 1] = replaceAll(originals[2], "\"status\":\"completed\"", "\"status\":5");
  ASSERT_NE(lines[uncovered - 1], originals[1]);
  ASSERT_NE(lines[wrongType - 1], originals[2]);
  const std::vector<std::string> broken = {lines[malformed - 1], lines[uncovered - 1],
                                           lines[wrongType - 1]};
  writeFile(part2, joinLines(lines));

  const fs::path state = work.path() / "state";
  Converted first = convert(work, "first", quoted(dir), state);
  EXPECT_EQ(first.exitCode, 1) << first.report;
  EXPECT_EQ(first.entries, (std::set<std::string>{kP1, "report.json", "rejects"}));
  Report r(first.report);
  EXPECT_EQ(r.summary("claims"), 297);
  EXPECT_EQ(r.summary("outcomes.claim"), 297);
  EXPECT_EQ(r.summary("outcomes.rejected"), 3);
  EXPECT_EQ(r.summary("rejected_inputs"), 0);
  const std::set<std::string> firstIds = r.claimIds();
  EXPECT_EQ(firstIds.size(), 297u);
  for (const auto& id : claimIds) EXPECT_EQ(firstIds.count(id), 0u) << id;

  std::map<std::string, std::string> ruleAt;  // "line N" -> rule
  for (const auto& o : r.notBilled()) {
    EXPECT_EQ(o.input, part2.string());
    EXPECT_EQ(o.outcome, "rejected") << o.entry;
    ruleAt[o.entry] = o.rule;
  }
  EXPECT_EQ(ruleAt, (std::map<std::string, std::string>{
                        {"line " + std::to_string(malformed), "INPUT-PARSE"},
                        {"line " + std::to_string(uncovered), "CTX-COVERAGE"},
                        {"line " + std::to_string(wrongType), "INPUT-PARSE"}}))
      << first.report;

  // rejects/ holds one file, for part-2 (report.json names it), with exactly the three lines as
  // they were.
  const std::string rejectsName = rejectsFileOf(first.report, part2.string());
  EXPECT_EQ(rejectsName, "rejects/1-" + part2.filename().string());
  ASSERT_EQ(sortedFiles(first.out / "rejects"), std::vector<fs::path>{first.out / rejectsName});
  const fs::path rejects = first.out / rejectsName;
  std::vector<std::string> kept = linesOf(readFile(rejects));
  std::vector<std::string> expectedKept = broken;
  std::sort(kept.begin(), kept.end());
  std::sort(expectedKept.begin(), expectedKept.end());
  EXPECT_EQ(kept, expectedKept);
  EXPECT_EQ(readFile(rejects).back(), '\n');

  // Fixed in place and fed back with the resources, without the administrations already billed.
  std::vector<std::string> fixedLines = linesOf(readFile(rejects));
  for (auto& line : fixedLines) {
    const auto at = std::find(broken.begin(), broken.end(), line);
    ASSERT_NE(at, broken.end());
    line = originals[static_cast<std::size_t>(at - broken.begin())];
  }
  writeFile(rejects, joinLines(fixedLines));
  std::string inputs;
  for (const auto& f : sortedFiles(dir)) {
    if (!f.filename().string().starts_with("MedicationAdministration")) inputs += quoted(f);
  }
  Converted replay = convert(work, "replay", inputs + quoted(rejects), state);
  EXPECT_EQ(replay.exitCode, 0) << replay.report;
  EXPECT_EQ(replay.entries, (std::set<std::string>{"837P-RCV67890-000000002.837", "report.json"}))
      << "the shared state dir numbers the next interchange 2";
  Report again(replay.report);
  EXPECT_EQ(again.summary("events"), 3);
  EXPECT_EQ(again.summary("claims"), 3);
  EXPECT_EQ(again.summary("outcomes.not-billable"), 0);
  EXPECT_TRUE(again.notBilled().empty()) << replay.report;
  EXPECT_EQ(again.claimIds(), std::set<std::string>(claimIds.begin(), claimIds.end()));
  std::set<std::string> all = firstIds;
  for (const auto& id : again.claimIds())
    EXPECT_TRUE(all.insert(id).second) << "billed twice: " << id;
  EXPECT_EQ(all.size(), 300u);
}

}  // namespace
}  // namespace fhir837
