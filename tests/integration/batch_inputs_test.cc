// Batch conversion of archives: bulk-data NDJSON across files, gzip, tar.gz, stdin, malformed
// lines kept in rejects/, contained Coverage, truncated archives, input order.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>

#include "support/test_paths.h"
#include "support/x12_validation.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::readFile;
using testing::sourceDir;
using testing::TempDir;
using testing::writeFile;

int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Converted {
  int exitCode = -1;
  std::string interchange;  // the single .837 written, if any
  std::string report;
  fs::path out;
};

Converted convert(const TempDir& work, const std::string& name, const std::string& inputs,
                  const std::string& stdinFrom = {}) {
  Converted c;
  c.out = work.path() / name;
  std::string command = (stdinFrom.empty() ? "" : "cat '" + stdinFrom + "' | ") +
                        "SOURCE_DATE_EPOCH=1741775400 '" + testing::fhir837Binary().string() +
                        "' convert --config '" + (sourceDir() / "config/fhir837.toml").string() +
                        "' --state-dir '" + (work.path() / (name + "-state")).string() + "' -o '" +
                        c.out.string() + "' " + inputs + " > /dev/null 2> '" +
                        (work.path() / (name + ".err")).string() + "'";
  c.exitCode = shell(command);
  if (fs::exists(c.out / "837P-RCV67890-000000001.837")) {
    c.interchange = readFile(c.out / "837P-RCV67890-000000001.837");
  }
  if (fs::exists(c.out / "report.json")) c.report = readFile(c.out / "report.json");
  if (fs::exists(c.out)) {
    for (const auto& entry : fs::directory_iterator(c.out)) {
      if (entry.path().extension() == ".837") {
        EXPECT_TRUE(testing::isValid837(readFile(entry.path()))) << entry.path();
      }
    }
  }
  return c;
}

fs::path bulkFixture() { return sourceDir() / "tests/fixtures/bulk/sample01"; }
std::string expectedSample01() {
  return readFile(sourceDir() / "samples/01-scig-95min-office/expected.837");
}

TEST(BatchInputs, BulkExportAcrossFilesGivesTheSameClaimAsTheBundle) {
  TempDir work;
  Converted c = convert(work, "bulk", "'" + bulkFixture().string() + "'");
  EXPECT_EQ(c.exitCode, 0) << c.report;
  EXPECT_EQ(c.interchange, expectedSample01());
}

TEST(BatchInputs, FileOrderDoesNotChangeTheOutput) {
  TempDir work;
  std::string reversed;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(bulkFixture())) files.push_back(entry.path());
  std::sort(files.rbegin(), files.rend());
  for (const auto& f : files) reversed += "'" + f + "' ";
  Converted c = convert(work, "reversed", reversed);
  EXPECT_EQ(c.exitCode, 0) << c.report;
  EXPECT_EQ(c.interchange, expectedSample01());
}

TEST(BatchInputs, GzipAndTarGzArchivesAreReadByContent) {
  TempDir work;
  const fs::path copy = work.path() / "export";
  fs::copy(bulkFixture(), copy);
  ASSERT_EQ(shell("cd '" + copy.string() + "' && gzip Patient.ndjson Coverage.ndjson"), 0);
  // A gzip file whose name does not say so is still detected by its magic bytes.
  fs::rename(copy / "Coverage.ndjson.gz", copy / "Coverage.data");
  Converted gz = convert(work, "gz", "'" + copy.string() + "'");
  EXPECT_EQ(gz.exitCode, 0) << gz.report;
  EXPECT_EQ(gz.interchange, expectedSample01());

  const fs::path tarball = work.path() / "export.tar.gz";
  ASSERT_EQ(shell("tar -C '" + bulkFixture().string() + "' -czf '" + tarball.string() + "' ."), 0);
  Converted tgz = convert(work, "tgz", "'" + tarball.string() + "'");
  EXPECT_EQ(tgz.exitCode, 0) << tgz.report;
  EXPECT_EQ(tgz.interchange, expectedSample01());
  EXPECT_NE(tgz.report.find("export.tar.gz!"), std::string::npos) << "members are named";
}

TEST(BatchInputs, StdinIsAnInput) {
  TempDir work;
  Converted c = convert(work, "stdin", "-",
                        (sourceDir() / "samples/01-scig-95min-office/input.json").string());
  EXPECT_EQ(c.exitCode, 0) << c.report;
  EXPECT_EQ(c.interchange, expectedSample01());
  EXPECT_NE(c.report.find("\"path\": \"-\""), std::string::npos);
}

TEST(BatchInputs, AMalformedLineRejectsThatLineOnlyAndIsKeptUnchanged) {
  TempDir work;
  const fs::path copy = work.path() / "export";
  fs::copy(bulkFixture(), copy);
  const std::string garbage = "{\"resourceType\": \"MedicationAdministration\", \"id\": ";
  std::string patients = readFile(copy / "Patient.ndjson");
  writeFile(copy / "Patient.ndjson", patients + garbage + "\n");
  Converted c = convert(work, "bad", "'" + copy.string() + "'");
  EXPECT_EQ(c.exitCode, 1);
  EXPECT_EQ(c.interchange, expectedSample01()) << "the good lines still convert";
  EXPECT_NE(c.report.find("\"rule\":\"INPUT-PARSE\""), std::string::npos) << c.report;
  EXPECT_NE(c.report.find("\"entry\":\"line 2\""), std::string::npos) << c.report;
  std::string kept;
  for (const auto& entry : fs::directory_iterator(c.out / "rejects"))
    kept += readFile(entry.path());
  EXPECT_EQ(kept, garbage + "\n");
}

TEST(BatchInputs, RejectedEventKeepsItsLineForReplay) {
  TempDir work;
  const fs::path copy = work.path() / "export";
  fs::copy(bulkFixture(), copy);
  fs::remove(copy / "Coverage.ndjson");
  Converted c = convert(work, "nocov", "'" + copy.string() + "'");
  EXPECT_EQ(c.exitCode, 1);
  EXPECT_NE(c.report.find("\"rule\":\"CTX-COVERAGE\""), std::string::npos) << c.report;
  const std::string original = readFile(copy / "MedicationAdministration.ndjson");
  std::string kept;
  for (const auto& entry : fs::directory_iterator(c.out / "rejects"))
    kept += readFile(entry.path());
  EXPECT_EQ(kept, original);
  // Fixed and fed back, the same line converts.
  fs::copy(bulkFixture() / "Coverage.ndjson", copy / "Coverage.ndjson");
  fs::remove(copy / "MedicationAdministration.ndjson");
  Converted replay =
      convert(work, "replay", "'" + copy.string() + "' '" + (c.out / "rejects").string() + "'");
  EXPECT_EQ(replay.exitCode, 0) << replay.report;
  EXPECT_EQ(replay.interchange, expectedSample01());
}

TEST(BatchInputs, CoverageContainedInAClaimIsUsedWhenNoneStandsAlone) {
  TempDir work;
  const fs::path copy = work.path() / "export";
  fs::copy(bulkFixture(), copy);
  std::string coverage = readFile(copy / "Coverage.ndjson");
  coverage.pop_back();  // newline
  fs::remove(copy / "Coverage.ndjson");
  writeFile(copy / "Claim.ndjson",
            "{\"resourceType\":\"Claim\",\"id\":\"claim-1\",\"contained\":[" + coverage +
                "],\"patient\":{\"reference\":\"Patient/pat-01\"}}\n");
  Converted c = convert(work, "contained", "'" + copy.string() + "'");
  EXPECT_EQ(c.exitCode, 0) << c.report;
  EXPECT_EQ(c.interchange, expectedSample01());
  EXPECT_NE(c.report.find("used the one contained in Claim/claim-1"), std::string::npos)
      << c.report;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// 400 encounters with one infusion each: enough lines for several parsing threads.
fs::path manyEncounters(const TempDir& work) {
  const fs::path dir = work.path() / "many";
  fs::copy(bulkFixture(), dir);
  const std::string encounter = readFile(dir / "Encounter.ndjson");
  const std::string administration = readFile(dir / "MedicationAdministration.ndjson");
  std::string encounters, administrations;
  for (int i = 0; i < 400; ++i) {
    const std::string n = std::to_string(1000 + i);
    encounters += replaceAll(replaceAll(encounter, "\"enc-01\"", "\"enc-" + n + "\""),
                             "INF20250310001", "INF2025031" + n);
    administrations += replaceAll(replaceAll(administration, "\"ma-01\"", "\"ma-" + n + "\""),
                                  "Encounter/enc-01", "Encounter/enc-" + n);
  }
  writeFile(dir / "Encounter.ndjson", encounters);
  writeFile(dir / "MedicationAdministration.ndjson", administrations);
  return dir;
}

TEST(BatchInputs, OutputIsTheSameForAnyNumberOfJobs) {
  TempDir work;
  const fs::path dir = manyEncounters(work);
  Converted one = convert(work, "jobs1", "--jobs 1 '" + dir.string() + "'");
  Converted four = convert(work, "jobs4", "--jobs 4 '" + dir.string() + "'");
  ASSERT_EQ(one.exitCode, 0) << one.report;
  ASSERT_EQ(four.exitCode, 0) << four.report;
  EXPECT_NE(one.report.find("\"claims\": 400"), std::string::npos);
  EXPECT_EQ(one.report, four.report);
  const std::string name = "837P-RCV67890-000000001.837";
  EXPECT_EQ(readFile(one.out / name), readFile(four.out / name));
}

// Regular files are read back where they lie; what cannot be read twice (a pipe, a FIFO, gzip) is
// spilled. Either way the claim, the report and the rejected lines are the same.
TEST(BatchInputs, NdjsonThroughStdinAFifoAndGzipConvertsLikeRegularFiles) {
  TempDir work;
  const fs::path all = work.path() / "all.ndjson";
  ASSERT_EQ(shell("cat '" + bulkFixture().string() + "'/*.ndjson > '" + all.string() + "'"), 0);
  Converted file = convert(work, "file", "'" + all.string() + "'");
  EXPECT_EQ(file.exitCode, 0) << file.report;
  EXPECT_EQ(file.interchange, expectedSample01());
  Converted piped = convert(work, "stdin", "-", all.string());
  EXPECT_EQ(piped.exitCode, 0) << piped.report;
  EXPECT_EQ(piped.interchange, expectedSample01());
  const fs::path fifo = work.path() / "export.pipe";
  ASSERT_EQ(shell("mkfifo '" + fifo.string() + "'"), 0);
  // The writer waits for the reader to open the FIFO (and gives up after a minute without one).
  ASSERT_EQ(shell("(timeout 60 cat '" + all.string() + "' > '" + fifo.string() + "' &)"), 0);
  Converted fromFifo = convert(work, "fifo", "'" + fifo.string() + "'");
  EXPECT_EQ(fromFifo.exitCode, 0) << fromFifo.report;
  EXPECT_EQ(fromFifo.interchange, expectedSample01());
  ASSERT_EQ(shell("gzip -k '" + all.string() + "'"), 0);
  Converted gz = convert(work, "gz", "'" + all.string() + ".gz'");
  EXPECT_EQ(gz.exitCode, 0) << gz.report;
  EXPECT_EQ(gz.interchange, expectedSample01());
}

TEST(BatchInputs, ARejectedEventReadFromStdinKeepsItsLine) {
  TempDir work;
  const fs::path copy = work.path() / "export";
  fs::copy(bulkFixture(), copy);
  fs::remove(copy / "Coverage.ndjson");
  const fs::path all = work.path() / "all.ndjson";
  ASSERT_EQ(shell("cat '" + copy.string() + "'/*.ndjson > '" + all.string() + "'"), 0);
  Converted c = convert(work, "nocov", "-", all.string());
  EXPECT_EQ(c.exitCode, 1);
  EXPECT_NE(c.report.find("\"rule\":\"CTX-COVERAGE\""), std::string::npos) << c.report;
  std::string kept;
  for (const auto& entry : fs::directory_iterator(c.out / "rejects")) {
    kept += readFile(entry.path());
  }
  EXPECT_EQ(kept, readFile(copy / "MedicationAdministration.ndjson"));
}

TEST(BatchInputs, ATruncatedArchiveIsAnErrorForThatFileAndTheRestGoesOn) {
  TempDir work;
  const fs::path tarball = work.path() / "broken.tar.gz";
  ASSERT_EQ(shell("tar -C '" + bulkFixture().string() + "' -czf '" + tarball.string() + "' ."), 0);
  std::string bytes = readFile(tarball);
  writeFile(tarball, bytes.substr(0, bytes.size() / 2));
  Converted c =
      convert(work, "trunc",
              "'" + tarball.string() + "' '" +
                  (sourceDir() / "samples/02-scig-16min-cigna/input.json").string() + "'");
  EXPECT_EQ(c.exitCode, 1) << c.report;
  EXPECT_NE(c.report.find("broken.tar.gz"), std::string::npos) << c.report;
  EXPECT_NE(c.report.find("\"claims\": 1"), std::string::npos) << "sample 02 still converts";
}

}  // namespace
}  // namespace fhir837

namespace fhir837 {
namespace {

// Sample 14 (two pumps, one encounter) as NDJSON, with the second administration naming the
// Encounter by a conditional reference: both are still coded together into sample 14's claim.
TEST(BatchInputs, EventsNamingOneEncounterDifferentlyAreCodedTogether) {
  TempDir work;
  const fs::path out = work.path() / "export.ndjson";
  const std::string script =
      "import json,sys\n"
      "b=json.load(open(sys.argv[1]))\n"
      "urls={e['fullUrl']:e['resource']['resourceType']+'/'+e['resource']['id'] for e in "
      "b['entry']}\n"
      "lines=[]\n"
      "for e in b['entry']:\n"
      "  r=e['resource']\n"
      "  if r['id']=='ma-second-site-14':\n"
      "    r['context']={'reference':'Encounter?identifier=urn:example:prairie:visit|"
      "INF20250310014'}\n"
      "  t=json.dumps(r)\n"
      "  for u,k in urls.items(): t=t.replace(u,k)\n"
      "  lines.append(t)\n"
      "open(sys.argv[2],'w').write('\\n'.join(lines)+'\\n')\n";
  writeFile(work.path() / "split.py", script);
  ASSERT_EQ(shell("python3 '" + (work.path() / "split.py").string() + "' '" +
                  (sourceDir() / "samples/14-second-pump-new-site-96371/input.json").string() +
                  "' '" + out.string() + "'"),
            0);
  Converted c = convert(work, "cond", "'" + out.string() + "'");
  EXPECT_EQ(c.exitCode, 0) << c.report;
  EXPECT_EQ(c.report.find("CLM-GROUP"), std::string::npos) << c.report;
  EXPECT_EQ(c.interchange,
            readFile(sourceDir() / "samples/14-second-pump-new-site-96371/expected.837"));
}

}  // namespace
}  // namespace fhir837
