#include "engine/codesets/code_tables.h"

#include <gtest/gtest.h>

#include <string>

namespace fhir837::codesets {
namespace {

TEST(CodeTablesTest, EveryTableNamesItsSourceAndVersion) {
  for (const CodeTable* table : {&stateProvinceCodes(), &countryCodes(), &placeOfServiceCodes()}) {
    EXPECT_FALSE(table->source().empty()) << table->id();
    EXPECT_FALSE(table->version().empty()) << table->id();
  }
  EXPECT_EQ(placeOfServiceCodes().version(),
            "20240502 (HL7 THO CodeSystem CMSPlaceofServiceCodes, checked 2026-12-02)");
  EXPECT_EQ(countryCodes().entries().size(), 249u);
  EXPECT_EQ(stateProvinceCodes().entries().size(), 76u);  // 63 US + 13 Canadian
}

// CMS assigns 01-99 except these; 00 is never valid (the probe's POS 00).
TEST(CodeTablesTest, PlaceOfServiceIsTheAssignedCmsCodes) {
  const std::string unassigned[] = {"28", "29", "30", "35", "36", "37", "38", "39", "40", "43",
                                    "44", "45", "46", "47", "48", "59", "63", "64", "67", "68",
                                    "69", "70", "73", "74", "75", "76", "77", "78", "79", "80"};
  int assigned = 0;
  for (int n = 1; n <= 99; ++n) {
    const std::string code = (n < 10 ? "0" : "") + std::to_string(n);
    bool isUnassigned = (n >= 82 && n <= 98);
    for (const auto& u : unassigned) isUnassigned = isUnassigned || u == code;
    EXPECT_EQ(placeOfServiceCodes().find(code) != nullptr, !isUnassigned) << code;
    assigned += isUnassigned ? 0 : 1;
  }
  EXPECT_EQ(placeOfServiceCodes().entries().size(), static_cast<std::size_t>(assigned));
  EXPECT_EQ(placeOfServiceCodes().find("00"), nullptr);
  EXPECT_EQ(placeOfServiceCodes().find("1"), nullptr);
  EXPECT_NE(placeOfServiceCodes().find("11"), nullptr);
  EXPECT_NE(placeOfServiceCodes().find("27"), nullptr);
  EXPECT_NE(placeOfServiceCodes().find("66"), nullptr);
}

TEST(CodeTablesTest, StatesAreUsStatesAndTerritoriesOrCanadianProvinces) {
  for (const char* code : {"TX", "IL", "DC", "PR", "GU", "VI", "AS", "MP", "AE", "AP", "AA"}) {
    EXPECT_TRUE(isUsStateCode(code)) << code;
  }
  for (const char* code : {"QZ", "TE", "ZZ", "NA", "Texas", "tx", "", "ON", "QC", "XX"}) {
    EXPECT_FALSE(isUsStateCode(code)) << code;
  }
  ASSERT_NE(stateProvinceCodes().find("ON"), nullptr);
  EXPECT_EQ(stateProvinceCodes().find("ON")->country, "CA");
}

TEST(CodeTablesTest, StateFoundByCodeOrFullNameInAnyCase) {
  struct Case {
    const char* text;
    const char* code;  // nullptr: not found
  };
  for (const Case& c :
       {Case{"Texas", "TX"}, Case{"TEXAS", "TX"}, Case{" texas ", "TX"}, Case{"tx", "TX"},
        Case{"District of Columbia", "DC"}, Case{"new york", "NY"}, Case{"Puerto Rico", "PR"},
        Case{"QZ", nullptr}, Case{"Tex", nullptr}, Case{"", nullptr}, Case{"New", nullptr}}) {
    const CodeEntry* entry = stateProvinceCodes().findByCodeOrName(c.text);
    if (c.code == nullptr) {
      EXPECT_EQ(entry, nullptr) << c.text;
    } else {
      ASSERT_NE(entry, nullptr) << c.text;
      EXPECT_EQ(entry->code, c.code) << c.text;
    }
  }
}

TEST(CodeTablesTest, CountriesAreIsoAlpha2) {
  for (const char* code : {"US", "CA", "MX", "DE", "NA", "SS", "XK"}) {
    EXPECT_EQ(countryCodes().find(code) != nullptr, std::string(code) != "XK") << code;
  }
  EXPECT_EQ(countryCodes().find("USA"), nullptr);
  EXPECT_EQ(countryCodes().find("us"), nullptr);
}

TEST(CodeTablesTest, MalformedTableIsAProgrammingError) {
  EXPECT_THROW(CodeTable("t", "01|a\n"), std::logic_error);  // no header
  EXPECT_THROW(CodeTable("t", "# source: s\n# version: v\n01|a\n01|b\n"), std::logic_error);
  EXPECT_THROW(CodeTable("t", "# source: s\n# version: v\n01|a|b|c\n"), std::logic_error);
  CodeTable ok("t", "# source: s\n# version: v\n01|a\n");
  EXPECT_EQ(ok.source(), "s");
  EXPECT_EQ(ok.version(), "v");
}

}  // namespace
}  // namespace fhir837::codesets
