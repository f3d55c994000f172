#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "support/test_paths.h"

namespace fhir837 {
namespace {

struct CliRun {
  int exitCode;
  std::string out;
};

CliRun run(const std::string& arguments) {
  const std::string command = testing::fhir837Binary().string() + " " + arguments + " 2>&1";
  CliRun result{-1, {}};
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    result.out.append(buffer.data(), n);
  }
  int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string fixture(const std::string& name) {
  return (testing::sourceDir() / "tests/fixtures/x12" / name).string();
}

// The subcommand is registered by the lead in src/app/main.cc; until then there is nothing to run.
bool validateRegistered() { return run("--help").out.find("\n  validate ") != std::string::npos; }

TEST(ValidateCli, ValidFilesExitZero) {
  if (!validateRegistered()) GTEST_SKIP() << "`fhir837 validate` is not registered in main.cc yet";
  CliRun r =
      run("validate " + fixture("valid/837p_scig.x12") + " " + fixture("valid/837i_scig.x12"));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find("837p_scig.x12: VALID (1 transaction set(s), 1 claim(s), 0 error(s)"),
            std::string::npos)
      << r.out;
}

TEST(ValidateCli, InvalidFileExitsOneAndListsTheFinding) {
  if (!validateRegistered()) GTEST_SKIP() << "`fhir837 validate` is not registered in main.cc yet";
  CliRun r = run("validate " + fixture("valid/837p_scig.x12") + " " +
                 fixture("invalid/se01_off_by_one.x12"));
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_NE(r.out.find("se01_off_by_one.x12: INVALID"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nerror seg 34 SE loop ST SE01: count is 34, SE01 says 35\n"),
            std::string::npos)
      << r.out;
}

TEST(ValidateCli, MissingOrNonX12FileExitsTwo) {
  if (!validateRegistered()) GTEST_SKIP() << "`fhir837 validate` is not registered in main.cc yet";
  testing::TempDir dir;
  testing::writeFile(dir.path() / "bundle.json", "{\"resourceType\":\"Bundle\"}");
  CliRun missing = run("validate " + (dir.path() / "nope.x12").string());
  EXPECT_EQ(missing.exitCode, 2) << missing.out;
  EXPECT_NE(missing.out.find("UNREADABLE (cannot open file)"), std::string::npos) << missing.out;
  CliRun json = run("validate " + fixture("invalid/clm02_not_sum.x12") + " " +
                    (dir.path() / "bundle.json").string());
  EXPECT_EQ(json.exitCode, 2) << json.out;
  EXPECT_NE(json.out.find("no ISA header"), std::string::npos) << json.out;
}

TEST(ValidateCli, JsonGivesOneObjectPerFile) {
  if (!validateRegistered()) GTEST_SKIP() << "`fhir837 validate` is not registered in main.cc yet";
  CliRun r = run("validate --json " + fixture("invalid/clm02_not_sum.x12") + " " +
                 fixture("valid/837p_scig.x12"));
  EXPECT_EQ(r.exitCode, 1) << r.out;
  const std::string invalid =
      "{\"file\":\"" + fixture("invalid/clm02_not_sum.x12") +
      "\",\"valid\":false,\"interchanges\":1,\"transactions\":1,\"claims\":1,"
      "\"segments\":38,\"errors\":1,\"warnings\":0,\"findingsOmitted\":0,"
      "\"findings\":[{\"severity\":\"error\",\"segment\":19,\"segmentId\":"
      "\"CLM\",\"loop\":\"2300\",\"element\":\"CLM02\",\"message\":\"total "
      "8826.00 differs from the sum of SV102 8825.00\"}]}\n";
  EXPECT_EQ(r.out.substr(0, invalid.size()), invalid);
  EXPECT_NE(r.out.find("\"valid\":true", invalid.size()), std::string::npos) << r.out;
}

}  // namespace
}  // namespace fhir837
