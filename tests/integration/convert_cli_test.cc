// The fhir837 binary end to end: exit codes, the ledger across runs, control numbers, bad input
// kept and reported, hostile values sanitised.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>

#include "emitters/x12_common/x12_structure_check.h"
#include "support/test_paths.h"
#include "support/x12_validation.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::readFile;
using testing::sourceDir;
using testing::TempDir;
using testing::writeFile;

struct CliRun {
  int exitCode = -1;
  std::string stdoutText, stderrText;
};

CliRun fhir837(const std::string& args, const fs::path& work) {
  const fs::path out = work / "stdout.txt";
  const fs::path err = work / "stderr.txt";
  std::string command = "SOURCE_DATE_EPOCH=1741775400 '" + testing::fhir837Binary().string() +
                        "' " + args + " > '" + out.string() + "' 2> '" + err.string() + "'";
  int status = std::system(command.c_str());
  CliRun run;
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.stdoutText = readFile(out);
  run.stderrText = readFile(err);
  return run;
}

std::string sample(const std::string& name) {
  return (sourceDir() / "samples" / name / "input.json").string();
}

std::string config() { return "--config '" + (sourceDir() / "config/fhir837.toml").string() + "'"; }

// Converts sample 01 into OUTDIR a/ with `state` (a --state-dir option): its event is then billed.
int billSample01(const TempDir& work, const std::string& state) {
  return fhir837("convert " + config() + " " + state + " -o '" + (work.path() / "a").string() +
                     "' " + sample("01-scig-95min-office"),
                 work.path())
      .exitCode;
}

// Runs every .837 under `dir` (all runs of one test write below its TempDir) through the
// guide validator; returns how many there were so a test can also insist that some exist.
int expectEvery837Valid(const fs::path& dir) {
  int count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".837") continue;
    ++count;
    EXPECT_TRUE(testing::isValid837(readFile(entry.path()))) << entry.path();
  }
  return count;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// Issue 9 §4: a second run that brings a new event of an encounter billed by the first would
// send a second original claim with the same CLM01 (96369 again where one run gives 96371);
// it needs review (LEDGER-2) instead, and no interchange is written for it.
TEST(ConvertCli, NewEventOfAnEncounterBilledEarlierNeedsReview) {
  TempDir work;
  const std::string state = "--state-dir '" + (work.path() / "state").string() + "'";
  const std::string full = readFile(sample("14-second-pump-new-site-96371"));
  // Run 1 does not bill the second administration yet (still not done at export time).
  const std::size_t second = full.find("\"id\": \"ma-second-site-14\"");
  ASSERT_NE(second, std::string::npos);
  const std::string completed = "\"status\": \"completed\"";
  const std::size_t status = full.find(completed, second);
  ASSERT_NE(status, std::string::npos);
  writeFile(work.path() / "first.json", full.substr(0, status) + "\"status\": \"not-done\"" +
                                            full.substr(status + completed.size()));
  CliRun first =
      fhir837("convert " + config() + " " + state + " -o '" + (work.path() / "a").string() + "' '" +
                  (work.path() / "first.json").string() + "'",
              work.path());
  ASSERT_EQ(first.exitCode, 0) << first.stderrText;
  ASSERT_TRUE(fs::exists(work.path() / "a/837P-RCV67890-000000001.837"));

  CliRun again =
      fhir837("convert " + config() + " " + state + " -o '" + (work.path() / "b").string() + "' " +
                  sample("14-second-pump-new-site-96371"),
              work.path());
  EXPECT_EQ(again.exitCode, 1) << again.stderrText;
  const std::string report = readFile(work.path() / "b/report.json");
  EXPECT_NE(report.find("\"rule\":\"LEDGER-1\""), std::string::npos) << report;
  EXPECT_NE(report.find("\"rule\":\"LEDGER-2\""), std::string::npos) << report;
  EXPECT_NE(report.find("encounter already billed on claim INF20250310014 (interchange 1): a new "
                        "event needs a replacement claim, which fhir837 does not build yet"),
            std::string::npos)
      << report;
  EXPECT_FALSE(fs::exists(work.path() / "b/837P-RCV67890-000000002.837"));
  EXPECT_TRUE(fs::exists(work.path() / "b/rejects")) << "the input needing review is kept";
  EXPECT_EQ(expectEvery837Valid(work.path()), 1);
}

// Issue 9 §4: two encounters whose identifiers differ only in punctuation used to share one
// CLM01 (INF20250310001); each claim now has its own, and both are valid.
TEST(ConvertCli, EncountersDifferingInPunctuationGetDistinctClaimIds) {
  TempDir work;
  const std::string one = readFile(sample("01-scig-95min-office"));
  const std::string two = readFile(sample("02-scig-16min-cigna"));
  ASSERT_NE(one.find("\"value\": \"INF20250310001\""), std::string::npos);
  ASSERT_NE(two.find("\"value\": \"INF20250310002\""), std::string::npos);
  writeFile(work.path() / "one.json",
            replaceAll(one, "\"value\": \"INF20250310001\"", "\"value\": \"INF-2025-0310-001\""));
  writeFile(work.path() / "two.json",
            replaceAll(two, "\"value\": \"INF20250310002\"", "\"value\": \"INF2025.0310.001\""));
  CliRun run = fhir837("convert " + config() + " --state-dir '" + (work.path() / "state").string() +
                           "' -o '" + (work.path() / "out").string() + "' '" +
                           (work.path() / "one.json").string() + "' '" +
                           (work.path() / "two.json").string() + "'",
                       work.path());
  ASSERT_EQ(run.exitCode, 0) << run.stderrText;
  std::string all;
  for (const auto& entry : fs::directory_iterator(work.path() / "out")) {
    if (entry.path().extension() == ".837") all += readFile(entry.path());
  }
  std::vector<std::string> ids;
  for (std::size_t at = 0; (at = all.find("CLM*", at)) != std::string::npos; ++at) {
    if (at == 0 || (all[at - 1] != '~' && all[at - 1] != '\n')) continue;
    ids.push_back(all.substr(at + 4, all.find('*', at + 4) - at - 4));
  }
  ASSERT_EQ(ids.size(), 2u) << all;
  EXPECT_NE(ids[0], ids[1]);
  for (const auto& id : ids) {
    EXPECT_EQ(id.substr(0, 15), "INF20250310001-") << id;
    EXPECT_EQ(id.size(), 20u) << id;
  }
  EXPECT_GE(expectEvery837Valid(work.path()), 1);
}

// Issue 9 §4: two encounters with the same identifier value (two systems' visit numbers) would
// share CLM01; the second claim needs review (CLM-ID), in one run and across runs.
TEST(ConvertCli, ClaimIdUsedByAnotherEncounterNeedsReview) {
  TempDir work;
  const std::string two = readFile(sample("02-scig-16min-cigna"));
  ASSERT_NE(two.find("\"value\": \"INF20250310002\""), std::string::npos);
  writeFile(work.path() / "two.json",
            replaceAll(two, "\"value\": \"INF20250310002\"", "\"value\": \"INF20250310001\""));
  const std::string reason = "claim id INF20250310001 (CLM01) is already used by the ";
  // One run: one claim goes out, the other needs review.
  CliRun run =
      fhir837("convert " + config() + " --state-dir '" + (work.path() / "s1").string() + "' -o '" +
                  (work.path() / "one").string() + "' " + sample("01-scig-95min-office") + " '" +
                  (work.path() / "two.json").string() + "'",
              work.path());
  EXPECT_EQ(run.exitCode, 1) << run.stderrText;
  std::string report = readFile(work.path() / "one/report.json");
  EXPECT_NE(report.find("\"rule\":\"CLM-ID\""), std::string::npos) << report;
  EXPECT_NE(report.find(reason + "another encounter of this run; give the encounters distinct "
                                 "identifiers"),
            std::string::npos)
      << report;
  const std::string x12 = readFile(work.path() / "one/837P-RCV67890-000000001.837");
  EXPECT_EQ(x12.find("CLM*INF20250310001*"), x12.rfind("CLM*INF20250310001*")) << x12;
  // Across runs: the ledger remembers which encounter the id belongs to.
  const std::string state = "--state-dir '" + (work.path() / "s2").string() + "'";
  ASSERT_EQ(billSample01(work, state), 0);
  CliRun later =
      fhir837("convert " + config() + " " + state + " -o '" + (work.path() / "later").string() +
                  "' '" + (work.path() / "two.json").string() + "'",
              work.path());
  EXPECT_EQ(later.exitCode, 1) << later.stderrText;
  report = readFile(work.path() / "later/report.json");
  EXPECT_NE(report.find(reason + "claim key of interchange 1 (an earlier run)"), std::string::npos)
      << report;
  EXPECT_FALSE(fs::exists(work.path() / "later/837P-RCV67890-000000002.837"));
  EXPECT_EQ(expectEvery837Valid(work.path()), 2);
}

// Issue 9 §4: POS 00 (or an unassigned code) in Location.type never reaches CLM05-1.
TEST(ConvertCli, UnassignedPlaceOfServiceNeedsReview) {
  TempDir work;
  const std::string bundle = readFile(sample("01-scig-95min-office"));
  const std::string office = "Place_of_Service_Code_Set\", \"code\": \"11\"";
  ASSERT_NE(bundle.find(office), std::string::npos);
  for (const char* code : {"00", "30"}) {
    const fs::path dir = work.path() / code;
    fs::create_directories(dir);
    writeFile(dir / "in.json",
              replaceAll(bundle, office,
                         std::string("Place_of_Service_Code_Set\", \"code\": \"") + code + "\""));
    CliRun run =
        fhir837("convert " + config() + " --state-dir '" + (dir / "state").string() + "' -o '" +
                    (dir / "out").string() + "' '" + (dir / "in.json").string() + "'",
                work.path());
    EXPECT_EQ(run.exitCode, 1) << code;
    const std::string report = readFile(dir / "out/report.json");
    EXPECT_NE(report.find("\"rule\":\"CTX-POS\""), std::string::npos) << report;
    EXPECT_NE(report.find("place of service is not an assigned CMS code (X12 code source 237, "
                          "version 20240502"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("Location/loc-office.type"), std::string::npos) << report;
    EXPECT_FALSE(fs::exists(dir / "out/837P-RCV67890-000000001.837")) << code;
  }
}

// Issue 9 §4: N402 only carries a US state code: a full state name is corrected, anything else
// needs review naming the element, never copied into the interchange.
TEST(ConvertCli, StateCodesAreCheckedAndFullNamesCorrected) {
  TempDir work;
  const std::string bundle = readFile(sample("01-scig-95min-office"));
  const std::string patientState =
      "\"city\": \"Springfield\", \"state\": \"IL\", "
      "\"postalCode\": \"62704\"";
  ASSERT_NE(bundle.find(patientState), std::string::npos);
  struct Case {
    const char* state;
    bool billed;
  };
  for (const Case& c : {Case{"Illinois", true}, Case{"illinois", true}, Case{"QZ", false},
                        Case{"TE", false}, Case{"Texas", true}, Case{"ON", false}}) {
    const fs::path dir = work.path() / c.state;
    fs::create_directories(dir);
    writeFile(dir / "in.json", replaceAll(bundle, patientState,
                                          std::string("\"city\": \"Springfield\", \"state\": \"") +
                                              c.state + "\", \"postalCode\": \"62704\""));
    CliRun run =
        fhir837("convert " + config() + " --state-dir '" + (dir / "state").string() + "' -o '" +
                    (dir / "out").string() + "' '" + (dir / "in.json").string() + "'",
                work.path());
    const std::string report = readFile(dir / "out/report.json");
    if (c.billed) {
      EXPECT_EQ(run.exitCode, 0) << c.state << run.stderrText;
      const std::string x12 = readFile(dir / "out/837P-RCV67890-000000001.837");
      const std::string expected = std::string("N4*SPRINGFIELD*") +
                                   (std::string(c.state) == "Texas" ? "TX" : "IL") + "*62704~";
      EXPECT_NE(x12.find(expected), std::string::npos) << c.state << "\n" << x12;
    } else {
      EXPECT_EQ(run.exitCode, 1) << c.state;
      EXPECT_NE(report.find("\"rule\":\"CTX-ADDRESS\""), std::string::npos) << report;
      EXPECT_NE(report.find("state is not the code or full name of a US state or territory (X12 "
                            "code source 22)"),
                std::string::npos)
          << report;
      EXPECT_NE(report.find("Patient/pat-01.address[0].state"), std::string::npos) << report;
      EXPECT_FALSE(fs::exists(dir / "out/837P-RCV67890-000000001.837")) << c.state;
    }
  }
  expectEvery837Valid(work.path());
}

TEST(ConvertCli, HelpForEverySubcommandExitsZero) {
  TempDir work;
  for (const char* sub : {"--help", "convert --help", "explain --help"}) {
    CliRun run = fhir837(sub, work.path());
    EXPECT_EQ(run.exitCode, 0) << sub;
    EXPECT_NE(run.stdoutText.find("Usage"), std::string::npos) << sub;
  }
}

TEST(ConvertCli, MissingOutputIsAUsageError) {
  TempDir work;
  CliRun run = fhir837("convert " + sample("01-scig-95min-office"), work.path());
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.stderrText.find("--output is required"), std::string::npos) << run.stderrText;
}

TEST(ConvertCli, UnknownConfigKeyStopsStartUpNamingTheKey) {
  TempDir work;
  std::string text = readFile(sourceDir() / "config/fhir837.toml");
  text = replaceAll(text, "usage = \"T\"", "usage = \"T\"\nusgae = \"P\"");
  text = replaceAll(text, "payers_dir = \"payers\"",
                    "payers_dir = \"" + (sourceDir() / "config/payers").string() + "\"");
  text = replaceAll(text, "\"../mappings", "\"" + (sourceDir() / "mappings").string());
  writeFile(work.path() / "bad.toml", text);
  CliRun run = fhir837("convert --config '" + (work.path() / "bad.toml").string() + "' -o '" +
                           (work.path() / "out").string() + "' " + sample("01-scig-95min-office"),
                       work.path());
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.stderrText.find("interchange.usgae: unknown key"), std::string::npos)
      << run.stderrText;
}

TEST(ConvertCli, SecondRunBillsNothingAndKeepsTheControlNumberSequence) {
  TempDir work;
  const std::string state = "--state-dir '" + (work.path() / "state").string() + "'";
  CliRun first = fhir837("convert " + config() + " " + state + " -o '" +
                             (work.path() / "a").string() + "' " + sample("01-scig-95min-office"),
                         work.path());
  ASSERT_EQ(first.exitCode, 0) << first.stderrText;
  EXPECT_TRUE(fs::exists(work.path() / "a/837P-RCV67890-000000001.837"));

  CliRun again = fhir837("convert " + config() + " " + state + " -o '" +
                             (work.path() / "b").string() + "' " + sample("01-scig-95min-office"),
                         work.path());
  EXPECT_EQ(again.exitCode, 0);
  std::string report = readFile(work.path() / "b/report.json");
  EXPECT_NE(report.find("\"rule\":\"LEDGER-1\""), std::string::npos);
  EXPECT_NE(report.find("already billed on claim INF20250310001 (interchange 1)"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(work.path() / "b/837P-RCV67890-000000002.837"));

  CliRun next = fhir837("convert " + config() + " " + state + " -o '" +
                            (work.path() / "b").string() + "' " + sample("02-scig-16min-cigna"),
                        work.path());
  EXPECT_EQ(next.exitCode, 0);
  EXPECT_TRUE(fs::exists(work.path() / "b/837P-RCV67890-000000002.837"))
      << "numbers continue, never reuse";
  std::string text = readFile(work.path() / "b/837P-RCV67890-000000002.837");
  EXPECT_NE(text.find("*000000002*0*T*:~"), std::string::npos);
  EXPECT_EQ(expectEvery837Valid(work.path()), 2);
}

TEST(ConvertCli, EnteredInErrorAfterBillingAsksForAVoid) {
  TempDir work;
  const std::string state = "--state-dir '" + (work.path() / "state").string() + "'";
  ASSERT_EQ(billSample01(work, state), 0);
  std::string bundle = readFile(sample("01-scig-95min-office"));
  bundle = replaceAll(bundle, "\"status\": \"completed\"", "\"status\": \"entered-in-error\"");
  writeFile(work.path() / "withdrawn.json", bundle);
  CliRun run =
      fhir837("convert " + config() + " " + state + " -o '" + (work.path() / "b").string() + "' '" +
                  (work.path() / "withdrawn.json").string() + "'",
              work.path());
  EXPECT_EQ(run.exitCode, 1);
  std::string report = readFile(work.path() / "b/report.json");
  EXPECT_NE(report.find("\"rule\":\"VOID-D6\""), std::string::npos) << report;
  EXPECT_EQ(expectEvery837Valid(work.path()), 1);
}

TEST(ConvertCli, EnteredInErrorIsVoidedOnceThePayerClaimNumberIsKnown) {
  TempDir work;
  const std::string state = "--state-dir '" + (work.path() / "state").string() + "'";
  ASSERT_EQ(billSample01(work, state), 0);
  CliRun unknownClaim =
      fhir837("record-icn " + config() + " " + state + " NOSUCHCLAIM ICN1", work.path());
  EXPECT_EQ(unknownClaim.exitCode, 2);
  EXPECT_NE(unknownClaim.stderrText.find("no billed claim with this id"), std::string::npos);
  CliRun badIcn =
      fhir837("record-icn " + config() + " " + state + " INF20250310001 'A*B'", work.path());
  EXPECT_EQ(badIcn.exitCode, 2);
  ASSERT_EQ(fhir837("record-icn " + config() + " " + state + " INF20250310001 PAYER-ICN-7788",
                    work.path())
                .exitCode,
            0);

  std::string bundle = readFile(sample("01-scig-95min-office"));
  bundle = replaceAll(bundle, "\"status\": \"completed\"", "\"status\": \"entered-in-error\"");
  writeFile(work.path() / "withdrawn.json", bundle);
  CliRun voided =
      fhir837("convert " + config() + " " + state + " -o '" + (work.path() / "b").string() + "' '" +
                  (work.path() / "withdrawn.json").string() + "'",
              work.path());
  EXPECT_EQ(voided.exitCode, 0) << voided.stderrText;
  const fs::path file = work.path() / "b/837P-RCV67890-000000002.837";
  ASSERT_TRUE(fs::exists(file)) << readFile(work.path() / "b/report.json");
  const std::string text = readFile(file);
  EXPECT_NE(text.find("CLM*INF20250310001*8825***11:B:8*Y*A*Y*Y~"), std::string::npos) << text;
  EXPECT_NE(text.find("REF*F8*PAYER-ICN-7788~"), std::string::npos) << text;
  EXPECT_TRUE(testing::isValid837(text));

  CliRun again =
      fhir837("convert " + config() + " " + state + " -o '" + (work.path() / "c").string() + "' '" +
                  (work.path() / "withdrawn.json").string() + "'",
              work.path());
  EXPECT_EQ(again.exitCode, 0);
  EXPECT_NE(readFile(work.path() / "c/report.json").find("was already voided (interchange 2)"),
            std::string::npos);
}

TEST(ConvertCli, BadInputIsReportedAndTheRestStillConverts) {
  TempDir work;
  writeFile(work.path() / "broken.json", "{\"resourceType\": \"Bundle\", \"entry\": [");
  CliRun run =
      fhir837("convert " + config() + " --state-dir '" + (work.path() / "s").string() + "' -o '" +
                  (work.path() / "o").string() + "' '" + (work.path() / "broken.json").string() +
                  "' " + sample("01-scig-95min-office"),
              work.path());
  EXPECT_EQ(run.exitCode, 1);
  std::string report = readFile(work.path() / "o/report.json");
  EXPECT_NE(report.find("\"error_code\": \"syntax\""), std::string::npos) << report;
  EXPECT_NE(report.find("\"claims\": 1"), std::string::npos);
  EXPECT_TRUE(fs::exists(work.path() / "o/837P-RCV67890-000000001.837"));
  EXPECT_EQ(expectEvery837Valid(work.path()), 1);
}

TEST(ConvertCli, FreshStateAndSameInputGiveIdenticalBytes) {
  TempDir work;
  std::string outputs[2];
  for (int i = 0; i < 2; ++i) {
    const std::string dir = (work.path() / ("r" + std::to_string(i))).string();
    ASSERT_EQ(
        fhir837("convert " + config() + " --state-dir '" + dir + "/state' -o '" + dir + "/out' " +
                    sample("07-two-diagnoses") + " " + sample("06-patient-is-not-subscriber"),
                work.path())
            .exitCode,
        0);
    outputs[i] = readFile(fs::path(dir) / "out/837P-RCV67890-000000001.837");
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(expectEvery837Valid(work.path()), 2);
}

TEST(ConvertCli, DelimitersInNamesNeverReachTheInterchange) {
  TempDir work;
  std::string bundle = readFile(sample("01-scig-95min-office"));
  bundle = replaceAll(bundle, "\"family\": \"Doe\"", "\"family\": \"O*Brien~ISA:^x\"");
  writeFile(work.path() / "hostile.json", bundle);
  CliRun run = fhir837("convert " + config() + " --state-dir '" + (work.path() / "s").string() +
                           "' -o '" + (work.path() / "o").string() + "' '" +
                           (work.path() / "hostile.json").string() + "'",
                       work.path());
  ASSERT_EQ(run.exitCode, 0) << run.stderrText;
  std::string text = readFile(work.path() / "o/837P-RCV67890-000000001.837");
  EXPECT_NE(text.find("NM1*IL*1*O BRIEN ISA X*JANE****MI*W123456789~"), std::string::npos) << text;
  Status structure = x12::checkStructure(text);
  EXPECT_TRUE(structure) << (structure ? "" : structure.error().describe());
  EXPECT_EQ(expectEvery837Valid(work.path()), 1);
}

// stderr is a file here, not a terminal: no progress bar, just the summary (nothing with --quiet).
TEST(ConvertCli, OffATerminalStderrIsOneSummaryLineAndQuietIsSilent) {
  TempDir work;
  const std::string inputs = sample("01-scig-95min-office") + " " + sample("02-scig-16min-cigna");
  CliRun run = fhir837("convert " + config() + " --state-dir '" + (work.path() / "s").string() +
                           "' -o '" + (work.path() / "o").string() + "' " + inputs,
                       work.path());
  ASSERT_EQ(run.exitCode, 0) << run.stderrText;
  EXPECT_EQ(std::count(run.stderrText.begin(), run.stderrText.end(), '\n'), 1) << run.stderrText;
  EXPECT_EQ(run.stderrText.find('\r'), std::string::npos) << run.stderrText;
  EXPECT_TRUE(run.stderrText.starts_with("fhir837: 2 input(s), ")) << run.stderrText;
  EXPECT_TRUE(run.stderrText.ends_with("/report.json\n")) << run.stderrText;

  CliRun quiet =
      fhir837("convert --quiet " + config() + " --state-dir '" + (work.path() / "q").string() +
                  "' -o '" + (work.path() / "oq").string() + "' " + inputs,
              work.path());
  EXPECT_EQ(quiet.exitCode, 0);
  EXPECT_EQ(quiet.stderrText, "");
  EXPECT_FALSE(quiet.stdoutText.empty());  // --quiet silences stderr only
}

TEST(ConvertCli, ExplainWritesNothingAndPrintsTheTrail) {
  TempDir work;
  CliRun run = fhir837("explain " + config() + " " + sample("01-scig-95min-office"), work.path());
  EXPECT_EQ(run.exitCode, 0) << run.stderrText;
  EXPECT_NE(run.stdoutText.find("line 1: 96369 x1"), std::string::npos) << run.stdoutText;
  EXPECT_NE(run.stdoutText.find("INF-D1    95 min -> 96369 x1 + 96370 x1  <- "
                                "MedicationAdministration/ma-01.effectivePeriod"),
            std::string::npos)
      << run.stdoutText;
  CliRun json = fhir837("explain --json " + config() + " " + sample("09-iv-infusion-is-96365") +
                            " " + sample("13-route-missing-needs-review"),
                        work.path());
  EXPECT_EQ(json.exitCode, 1);
  EXPECT_EQ(std::count(json.stdoutText.begin(), json.stdoutText.end(), '\n'), 2);
  EXPECT_NE(json.stdoutText.find("\"outcome\":\"needs-review\",\"rule\":\"INF-D4\""),
            std::string::npos)
      << json.stdoutText;
}

}  // namespace
}  // namespace fhir837
