// Golden tests: every samples/<case>/ is converted by the real fhir837 binary with a fixed clock
// (SOURCE_DATE_EPOCH) and a fresh state dir, and the outputs are compared byte for byte with
// expected.837 and expected.report.json. The XML form of each case must give the identical 837
// and the same report (modulo the input file name), and every 837 must pass the guide validator.
// FHIR837_UPDATE_GOLDEN=1 rewrites the expected files on purpose.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

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

constexpr const char* kEpoch = "1741775400";  // 2025-03-12T10:30:00Z, as in the x12 map §6

std::vector<std::string> sampleCases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(sourceDir() / "samples")) {
    if (entry.is_directory() && fs::exists(entry.path() / "input.json")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

struct RunResult {
  int exitCode = -1;
  std::vector<fs::path> interchanges;
  std::string report;
};

RunResult convert(const fs::path& caseDir, const std::string& input, const fs::path& work) {
  fs::path out = work / ("out-" + input);
  fs::path state = work / ("state-" + input);
  std::string command = "cd '" + caseDir.string() + "' && SOURCE_DATE_EPOCH=" + kEpoch + " '" +
                        testing::fhir837Binary().string() + "' convert --config '" +
                        (sourceDir() / "config" / "fhir837.toml").string() + "' --state-dir '" +
                        state.string() + "' -o '" + out.string() + "' " + input +
                        " > /dev/null 2> '" + (work / "stderr.txt").string() + "'";
  int status = std::system(command.c_str());
  RunResult result;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (fs::exists(out)) {
    for (const auto& entry : fs::directory_iterator(out)) {
      if (entry.path().extension() == ".837") result.interchanges.push_back(entry.path());
    }
    std::sort(result.interchanges.begin(), result.interchanges.end());
    if (fs::exists(out / "report.json")) result.report = readFile(out / "report.json");
  }
  return result;
}

bool reportHasProblems(const std::string& report) {
  rapidjson::Document doc;
  doc.Parse(report.c_str());
  if (doc.HasParseError()) return true;
  const auto& summary = doc["summary"];
  return summary["rejected_inputs"].GetUint64() > 0 ||
         summary["outcomes"]["rejected"].GetUint64() > 0 ||
         summary["outcomes"]["needs-review"].GetUint64() > 0;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

class SampleGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(SampleGolden, JsonInputMatchesExpected837AndReport) {
  const fs::path caseDir = sourceDir() / "samples" / GetParam();
  TempDir work;
  RunResult run = convert(caseDir, "input.json", work.path());
  ASSERT_FALSE(run.report.empty()) << readFile(work.path() / "stderr.txt");
  ASSERT_LE(run.interchanges.size(), 1u);
  const bool update = std::getenv("FHIR837_UPDATE_GOLDEN") != nullptr;
  const fs::path expected837 = caseDir / "expected.837";
  if (update) {
    writeFile(caseDir / "expected.report.json", run.report);
    if (run.interchanges.empty()) {
      fs::remove(expected837);
    } else {
      writeFile(expected837, readFile(run.interchanges.front()));
    }
  }
  EXPECT_EQ(run.report, readFile(caseDir / "expected.report.json"));
  if (fs::exists(expected837)) {
    ASSERT_EQ(run.interchanges.size(), 1u) << "expected an interchange";
    std::string text = readFile(run.interchanges.front());
    EXPECT_EQ(text, readFile(expected837));
    Status structure = x12::checkStructure(text);
    EXPECT_TRUE(structure) << (structure ? "" : structure.error().describe());
    EXPECT_TRUE(testing::isValid837(text));
  } else {
    EXPECT_TRUE(run.interchanges.empty()) << "no expected.837, but an interchange was written";
  }
  EXPECT_EQ(run.exitCode, reportHasProblems(run.report) ? 1 : 0);
}

TEST_P(SampleGolden, XmlInputGivesIdentical837AndReport) {
  const fs::path caseDir = sourceDir() / "samples" / GetParam();
  ASSERT_TRUE(fs::exists(caseDir / "input.xml")) << "every sample has an XML form";
  TempDir work;
  RunResult run = convert(caseDir, "input.xml", work.path());
  ASSERT_FALSE(run.report.empty()) << readFile(work.path() / "stderr.txt");
  if (fs::exists(caseDir / "expected.837")) {
    ASSERT_EQ(run.interchanges.size(), 1u);
    std::string text = readFile(run.interchanges.front());
    EXPECT_EQ(text, readFile(caseDir / "expected.837"));
    EXPECT_TRUE(testing::isValid837(text));
  } else {
    EXPECT_TRUE(run.interchanges.empty());
  }
  // The input's name, and its rejects/ file ("rejects/1-input.json") when it has one.
  std::string expected = replaceAll(
      replaceAll(readFile(caseDir / "expected.report.json"), "\"input.json\"", "\"input.xml\""),
      "-input.json\"", "-input.xml\"");
  EXPECT_EQ(run.report, expected);
}

INSTANTIATE_TEST_SUITE_P(Samples, SampleGolden, ::testing::ValuesIn(sampleCases()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace fhir837
