// Procedure events through the real binary (issue 9 §3): a Procedure and the administration that
// is partOf it are one event, billed once in one run and across runs, whether they come in one
// Bundle or as NDJSON files.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/wait.h>

#include <filesystem>
#include <map>
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

int run(const std::string& args, const fs::path& work) {
  std::string command = "SOURCE_DATE_EPOCH=1741775400 '" + testing::fhir837Binary().string() +
                        "' " + args + " > '" + (work / "stdout.txt").string() + "' 2> '" +
                        (work / "stderr.txt").string() + "'";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string convert(const TempDir& work, const std::string& out, const std::string& inputs) {
  return "convert --config '" + (sourceDir() / "config/fhir837.toml").string() + "' --state-dir '" +
         (work.path() / "state").string() + "' -o '" + (work.path() / out).string() + "' " + inputs;
}

const char* kLinked = "21-procedure-and-administration-billed-once";

rapidjson::Document sampleBundle(const std::string& name) {
  rapidjson::Document doc;
  doc.Parse(readFile(sourceDir() / "samples" / name / "input.json").c_str());
  return doc;
}

std::string text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// Sample 21 without its MedicationAdministration: the same Procedure, alone.
std::string procedureAlone() {
  rapidjson::Document doc = sampleBundle(kLinked);
  auto& entries = doc["entry"];
  for (auto it = entries.Begin(); it != entries.End(); ++it) {
    if (std::string((*it)["resource"]["resourceType"].GetString()) == "MedicationAdministration") {
      entries.Erase(it);
      break;
    }
  }
  return text(doc);
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::size_t interchanges(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".837") {
      ++n;
      EXPECT_TRUE(testing::isValid837(readFile(entry.path()))) << entry.path();
    }
  }
  return n;
}

TEST(ProcedureEvents, AdministrationBilledFirstThenTheProcedureAloneIsNotBilledAgain) {
  TempDir work;
  ASSERT_EQ(run(convert(work, "a", (sourceDir() / "samples" / kLinked / "input.json").string()),
                work.path()),
            0);
  EXPECT_EQ(interchanges(work.path() / "a"), 1u);
  const fs::path alone = work.path() / "procedure-alone.json";
  writeFile(alone, procedureAlone());
  EXPECT_EQ(run(convert(work, "b", alone.string()), work.path()), 0);
  const std::string report = readFile(work.path() / "b/report.json");
  EXPECT_NE(report.find("\"event\":\"Procedure/proc-21\""), std::string::npos) << report;
  EXPECT_NE(report.find("\"rule\":\"LEDGER-1\""), std::string::npos) << report;
  EXPECT_NE(report.find("already billed on claim INF20250310021 (interchange 1)"),
            std::string::npos)
      << report;
  EXPECT_EQ(interchanges(work.path() / "b"), 0u);
}

TEST(ProcedureEvents, ProcedureBilledFirstThenItsAdministrationIsNotBilledAgain) {
  TempDir work;
  const fs::path alone = work.path() / "procedure-alone.json";
  writeFile(alone, procedureAlone());
  ASSERT_EQ(run(convert(work, "a", alone.string()), work.path()), 0);
  EXPECT_EQ(interchanges(work.path() / "a"), 1u);
  EXPECT_NE(readFile(work.path() / "a/837P-RCV67890-000000001.837").find("HC:96369"),
            std::string::npos);
  EXPECT_EQ(run(convert(work, "b", (sourceDir() / "samples" / kLinked / "input.json").string()),
                work.path()),
            0);
  const std::string report = readFile(work.path() / "b/report.json");
  EXPECT_NE(report.find("its Procedure Procedure/proc-21 (partOf) was already billed on claim "
                        "INF20250310021 (interchange 1)"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("\"rule\":\"PROC-PARTOF\""), std::string::npos) << report;
  EXPECT_EQ(interchanges(work.path() / "b"), 0u);
}

// The export form: each resource on its own NDJSON line, relative references, the Procedure in
// another file than the administration that is partOf it.
TEST(ProcedureEvents, NdjsonAdministrationAndProcedureInTwoFilesAreBilledOnce) {
  TempDir work;
  rapidjson::Document doc = sampleBundle(kLinked);
  std::map<std::string, std::string> relative;  // urn:uuid -> Type/id
  for (const auto& entry : doc["entry"].GetArray()) {
    relative[entry["fullUrl"].GetString()] =
        std::string(entry["resource"]["resourceType"].GetString()) + "/" +
        entry["resource"]["id"].GetString();
  }
  std::string procedures, others;
  for (const auto& entry : doc["entry"].GetArray()) {
    std::string line = text(entry["resource"]);
    for (const auto& [urn, ref] : relative) {
      for (std::size_t at = line.find(urn); at != std::string::npos; at = line.find(urn, at)) {
        line.replace(at, urn.size(), ref);
      }
    }
    (std::string(entry["resource"]["resourceType"].GetString()) == "Procedure" ? procedures
                                                                               : others) +=
        line + "\n";
  }
  writeFile(work.path() / "Procedure.ndjson", procedures);
  writeFile(work.path() / "Other.ndjson", others);
  ASSERT_EQ(run(convert(work, "a",
                        "'" + (work.path() / "Procedure.ndjson").string() + "' '" +
                            (work.path() / "Other.ndjson").string() + "'"),
                work.path()),
            0)
      << readFile(work.path() / "stderr.txt");
  const std::string report = readFile(work.path() / "a/report.json");
  EXPECT_NE(report.find("\"rule\":\"PROC-PARTOF\""), std::string::npos) << report;
  ASSERT_EQ(interchanges(work.path() / "a"), 1u);
  const std::string x12 = readFile(work.path() / "a/837P-RCV67890-000000001.837");
  EXPECT_EQ(count(x12, "HC:96369"), 1u) << x12;
  EXPECT_EQ(count(x12, "CLM*"), 1u) << x12;
}

}  // namespace
}  // namespace fhir837

namespace fhir837 {
namespace {

TEST(ProcedureEvents, ExplainShowsTheProcedureTrailAndWhyTheTimeWon) {
  TempDir work;
  const std::string input =
      (sourceDir() / "samples/22-procedure-96369-10min-is-96372/input.json").string();
  ASSERT_EQ(
      run("explain --config '" + (sourceDir() / "config/fhir837.toml").string() + "' " + input,
          work.path()),
      0);
  const std::string out = readFile(work.path() / "stdout.txt");
  EXPECT_NE(out.find("line 1: 96372 x1  charge 40  date 20250310  from Procedure/proc-22"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("PROC-CODE Procedure.code 96369 says SC infusion; the codes billed follow "
                     "performedPeriod, not the code  <- Procedure/proc-22.code"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("INF-D1    10 min <= 15 min -> injection 96372 x1  <- "
                     "Procedure/proc-22.performedPeriod"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace fhir837
