#include "tables/ndc_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/test_paths.h"

namespace fhir837 {
namespace {

constexpr const char* kHeader =
    "ndc11,hcpcs,mg_per_unit,valid_from,valid_to,single_dose,description\n";

TEST(NormalizeNdcTest, PadsTheShortSegment) {
  struct Case {
    const char* in;
    const char* out;
  };
  const std::vector<Case> cases = {
      {"1234-5678-90", "01234567890"},   // 4-4-2
      {"12345-678-90", "12345067890"},   // 5-3-2
      {"12345-6789-0", "12345678900"},   // 5-4-1
      {"12345-6789-01", "12345678901"},  // 5-4-2
      {"12345678901", "12345678901"},    // 11 plain digits
      {"00000-0000-00", "00000000000"},
  };
  for (const auto& c : cases) {
    auto result = normalizeNdc(c.in);
    ASSERT_TRUE(result) << c.in << ": " << result.error().describe();
    EXPECT_EQ(*result, c.out) << c.in;
  }
}

TEST(NormalizeNdcTest, RejectsWithExactMessages) {
  struct Case {
    const char* in;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"1234567890", "NDC of 10 digits without hyphens is ambiguous"},
      {"123456789", "NDC must have 10 or 11 digits"},
      {"123456789012", "NDC must have 10 or 11 digits"},
      {"1234A-6789-01", "NDC must contain only digits and hyphens"},
      {"abcdefghijk", "NDC must contain only digits and hyphens"},
      {"", "NDC must contain only digits and hyphens"},
      {"12345--01", "NDC must contain only digits and hyphens"},
      {" 12345678901", "NDC must contain only digits and hyphens"},
      {"12345-6789-01-", "NDC must contain only digits and hyphens"},
      {"12345-678901", "NDC must have three hyphen-separated segments"},
      {"1-2-3-4", "NDC must have three hyphen-separated segments"},
      {"123-4567-890", "NDC segments must be 4-4-2, 5-3-2, 5-4-1 or 5-4-2"},
      {"1234-567-89", "NDC segments must be 4-4-2, 5-3-2, 5-4-1 or 5-4-2"},
      {"12345-6789-012", "NDC segments must be 4-4-2, 5-3-2, 5-4-1 or 5-4-2"},
      {"123456-789-01", "NDC segments must be 4-4-2, 5-3-2, 5-4-1 or 5-4-2"},
  };
  for (const auto& c : cases) {
    auto result = normalizeNdc(c.in);
    ASSERT_FALSE(result) << c.in;
    EXPECT_EQ(result.error(), makeError(ErrorCode::kInvalidValue, c.message, c.in)) << c.in;
  }
}

TEST(NdcTableParseTest, ReadsRowsAndSkipsCommentsAndBlankLines) {
  std::string csv = std::string("# comment\n\n") + kHeader +
                    "12345678901,J1559,100,20110101,,Y,HIZENTRA\r\n"
                    "# another comment\n"
                    "12345678903,J1569,0.5,,20201231,N,GAMMAGARD\n";
  auto table = NdcTable::parse(csv, "t.csv");
  ASSERT_TRUE(table) << table.error().describe();
  const NdcHcpcsEntry* hizentra = table->find("12345678901", "20240101");
  ASSERT_NE(hizentra, nullptr);
  EXPECT_EQ(hizentra->hcpcs, "J1559");
  EXPECT_EQ(hizentra->microgramsPerUnit, 100000);
  EXPECT_EQ(hizentra->validFrom, "20110101");
  EXPECT_EQ(hizentra->validTo, "");
  EXPECT_TRUE(hizentra->singleDose);
  EXPECT_EQ(hizentra->description, "HIZENTRA");
  const NdcHcpcsEntry* gammagard = table->find("12345678903", "19990101");
  ASSERT_NE(gammagard, nullptr);
  EXPECT_EQ(gammagard->microgramsPerUnit, 500);
  EXPECT_FALSE(gammagard->singleDose);
  EXPECT_EQ(table->find("12345678903", "20210101"), nullptr);
}

TEST(NdcTableParseTest, RowErrorsNameTheLine) {
  struct Case {
    std::string row;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"12345678901,J1559,100,20110101,,Y", "expected 7 fields"},
      {"12345678901,J1559,100,20110101,,Y,desc,extra", "expected 7 fields"},
      {"1234567890,J1559,100,20110101,,Y,d", "ndc11 must be 11 digits"},
      {"1234567890A,J1559,100,20110101,,Y,d", "ndc11 must be 11 digits"},
      {"12345-678-01,J1559,100,20110101,,Y,d", "ndc11 must be 11 digits"},
      {"12345678901,J155,100,20110101,,Y,d", "hcpcs must be 5 characters"},
      {"12345678901,J1559,abc,20110101,,Y,d", "mg_per_unit must be a positive number"},
      {"12345678901,J1559,0,20110101,,Y,d", "mg_per_unit must be a positive number"},
      {"12345678901,J1559,-5,20110101,,Y,d", "mg_per_unit must be a positive number"},
      {"12345678901,J1559,0.0001,20110101,,Y,d", "mg_per_unit supports at most 3 decimals"},
      {"12345678901,J1559,100,2011-01-01,,Y,d", "valid_from/valid_to must be CCYYMMDD"},
      {"12345678901,J1559,100,20110101,2011123,Y,d", "valid_from/valid_to must be CCYYMMDD"},
      {"12345678901,J1559,100,20110101,,y,d", "single_dose must be Y or N"},
      {"12345678901,J1559,100,20110101,,,d", "single_dose must be Y or N"},
  };
  for (const auto& c : cases) {
    // Lines 1-2 are a comment and a good row, so the bad row is line 4 after a blank line.
    std::string csv = std::string(kHeader) + "12345678902,J1555,100,,,Y,ok\n\n" + c.row + "\n";
    auto table = NdcTable::parse(csv, "tables/ndc.csv");
    ASSERT_FALSE(table) << c.row;
    EXPECT_EQ(table.error(), makeError(ErrorCode::kConfig, c.message, "tables/ndc.csv:4")) << c.row;
  }
}

TEST(NdcTableParseTest, HeaderErrors) {
  const std::string message =
      "header must be ndc11,hcpcs,mg_per_unit,valid_from,valid_to,single_dose,description";
  for (std::string csv : {std::string(""), std::string("# only a comment\n"),
                          std::string("ndc,hcpcs,mg_per_unit,valid_from,valid_to,single_dose,d\n"),
                          std::string("ndc11,hcpcs,mg_per_unit\n")}) {
    auto table = NdcTable::parse(csv, "x.csv");
    ASSERT_FALSE(table) << csv;
    EXPECT_EQ(table.error(), makeError(ErrorCode::kConfig, message, "x.csv")) << csv;
  }
}

TEST(NdcTableFindTest, VersionedByDateWithInclusiveBounds) {
  auto table = NdcTable::parse(std::string(kHeader) +
                                   "12345678901,J7799,1000,20100301,20101231,Y,before\n"
                                   "12345678901,J1559,100,20110101,,Y,after\n",
                               "t.csv");
  ASSERT_TRUE(table);
  struct Case {
    const char* date;
    const char* hcpcs;  // nullptr: no row
  };
  for (const Case& c : std::vector<Case>{{"20100228", nullptr},
                                         {"20100301", "J7799"},
                                         {"20100715", "J7799"},
                                         {"20101231", "J7799"},
                                         {"20110101", "J1559"},
                                         {"20991231", "J1559"}}) {
    const NdcHcpcsEntry* entry = table->find("12345678901", c.date);
    if (!c.hcpcs) {
      EXPECT_EQ(entry, nullptr) << c.date;
      continue;
    }
    ASSERT_NE(entry, nullptr) << c.date;
    EXPECT_EQ(entry->hcpcs, c.hcpcs) << c.date;
  }
  EXPECT_EQ(table->find("12345678909", "20240101"), nullptr);
  EXPECT_EQ(table->findHcpcs("J1559", "20101231"), nullptr);
  ASSERT_NE(table->findHcpcs("J1559", "20110101"), nullptr);
  EXPECT_EQ(table->findHcpcs("J1559", "20110101")->microgramsPerUnit, 100000);
  ASSERT_NE(table->findHcpcs("J7799", "20100301"), nullptr);
  EXPECT_EQ(table->findHcpcs("J7799", "20110101"), nullptr);
}

TEST(NdcTableShippedTest, ShippedCrosswalkParses) {
  auto path = testing::sourceDir() / "mappings/tables/ndc_hcpcs.csv";
  auto table = NdcTable::parse(testing::readFile(path), path.string());
  ASSERT_TRUE(table) << table.error().describe();
  struct Case {
    const char* ndc;
    const char* date;
    const char* hcpcs;
    std::int64_t micrograms;
  };
  for (const Case& c : std::vector<Case>{{"12345678901", "20240305", "J1559", 100000},
                                         {"12345678901", "20100601", "J7799", 1000000},
                                         {"12345678902", "20240305", "J1555", 100000},
                                         {"12345678903", "20240305", "J1569", 500000},
                                         {"12345678904", "20240305", "J1575", 100000},
                                         {"12345678905", "20240305", "J1558", 100000}}) {
    const NdcHcpcsEntry* entry = table->find(c.ndc, c.date);
    ASSERT_NE(entry, nullptr) << c.ndc;
    EXPECT_EQ(entry->hcpcs, c.hcpcs) << c.ndc;
    EXPECT_EQ(entry->microgramsPerUnit, c.micrograms) << c.ndc;
    EXPECT_TRUE(entry->singleDose) << c.ndc;
  }
  EXPECT_EQ(table->find("12345678905", "20191231"), nullptr);  // Xembify code from 2020
}

}  // namespace
}  // namespace fhir837
