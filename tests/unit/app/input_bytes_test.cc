#include "app/input_bytes.h"

#include <gtest/gtest.h>

#include <string>

#include "support/test_paths.h"

namespace fhir837::app {
namespace {

namespace fs = std::filesystem;
using fhir837::testing::TempDir;
using fhir837::testing::writeFile;

TEST(InputBytes, SumsFilesAndDirectoriesAsTheConverterWalksThem) {
  TempDir dir;
  writeFile(dir.path() / "a.json", "{}\n");
  writeFile(dir.path() / "export/Patient.ndjson", "{}\n{}");
  writeFile(dir.path() / "export/.hidden.ndjson", std::string(100, 'x'));
  EXPECT_EQ(measurableInputBytes({dir.path() / "a.json", dir.path() / "export"}), 8u);
}

TEST(InputBytes, UnknownForStdinCompressedOrMissingInputs) {
  TempDir dir;
  writeFile(dir.path() / "a.json", "{}\n");
  writeFile(dir.path() / "data.json", std::string("\x1f\x8b\x08\x00", 4));
  writeFile(dir.path() / "export.bin", std::string("PK\x03\x04", 4));
  const fs::path plain = dir.path() / "a.json";
  EXPECT_EQ(measurableInputBytes({plain, "-"}), 0u);
  EXPECT_EQ(measurableInputBytes({plain, dir.path() / "data.json"}), 0u);
  EXPECT_EQ(measurableInputBytes({plain, dir.path() / "export.bin"}), 0u);
  EXPECT_EQ(measurableInputBytes({plain, dir.path() / "missing.json"}), 0u);
}

}  // namespace
}  // namespace fhir837::app
