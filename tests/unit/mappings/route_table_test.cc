#include "tables/route_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coder_fixture.h"

namespace fhir837 {
namespace {

using testing::shippedRoutes;

TEST(RouteTableTest, ShippedCodes) {
  struct Case {
    const char* system;
    const char* code;
    Route route;
  };
  const std::vector<Case> cases = {
      {"http://snomed.info/sct", "34206005", Route::kSubcutaneous},
      {"http://snomed.info/sct", "263887005", Route::kSubcutaneous},
      {"http://snomed.info/sct", "47625008", Route::kIntravenous},
      {"http://snomed.info/sct", "255560000", Route::kIntravenous},
      {"http://snomed.info/sct", "78421000", Route::kIntramuscular},
      {"http://snomed.info/sct", "26643006", Route::kOther},
      {"http://terminology.hl7.org/CodeSystem/v2-0162", "SC", Route::kSubcutaneous},
      {"http://terminology.hl7.org/CodeSystem/v2-0162", "IV", Route::kIntravenous},
      {"http://terminology.hl7.org/CodeSystem/v2-0162", "IM", Route::kIntramuscular},
      {"http://terminology.hl7.org/CodeSystem/v2-0162", "PO", Route::kOther},
      {"http://ncimeta.nci.nih.gov", "C38299", Route::kSubcutaneous},
      {"http://ncit.nci.nih.gov", "C38276", Route::kIntravenous},
      {"urn:oid:2.16.840.1.113883.3.26.1.1", "C28161", Route::kIntramuscular},
      // Unknown: wrong system, wrong case, unknown code, empty.
      {"http://snomed.info/sct", "SC", Route::kUnknown},
      {"http://terminology.hl7.org/CodeSystem/v2-0162", "sc", Route::kUnknown},
      {"http://terminology.hl7.org/CodeSystem/v2-0162", "34206005", Route::kUnknown},
      {"http://snomed.info/sct", "999999", Route::kUnknown},
      {"", "", Route::kUnknown},
      {"text", "SC", Route::kUnknown},  // text aliases are not codes
  };
  for (const auto& c : cases) {
    EXPECT_EQ(shippedRoutes().lookupCode(c.system, c.code), c.route) << c.system << "|" << c.code;
  }
}

TEST(RouteTableTest, TextAliasesAreCaseInsensitiveAndTrimmed) {
  struct Case {
    const char* text;
    Route route;
  };
  const std::vector<Case> cases = {
      {"SubQ", Route::kSubcutaneous},
      {" subcutaneous route ", Route::kSubcutaneous},
      {"sq", Route::kSubcutaneous},
      {"SUBCUT", Route::kSubcutaneous},
      {"Subcutaneous", Route::kSubcutaneous},
      {"sc", Route::kSubcutaneous},
      {"Intravenous", Route::kIntravenous},
      {"intravenous route", Route::kIntravenous},
      {"iv", Route::kIntravenous},
      {"Intramuscular", Route::kIntramuscular},
      {"IM", Route::kIntramuscular},
      {"Oral", Route::kOther},
      {"po", Route::kOther},
      {"", Route::kUnknown},
      {"   ", Route::kUnknown},
      {"subcutaneously", Route::kUnknown},
      {"sub q", Route::kUnknown},
      {"topical", Route::kUnknown},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(shippedRoutes().lookupText(c.text), c.route) << "'" << c.text << "'";
  }
}

TEST(RouteTableTest, RouteNames) {
  EXPECT_STREQ(toString(Route::kSubcutaneous), "SC");
  EXPECT_STREQ(toString(Route::kIntravenous), "IV");
  EXPECT_STREQ(toString(Route::kIntramuscular), "IM");
  EXPECT_STREQ(toString(Route::kOther), "OTHER");
  EXPECT_STREQ(toString(Route::kUnknown), "UNKNOWN");
}

TEST(RouteTableTest, ParseErrorsNameTheLine) {
  for (const char* row :
       {"urn:x,1,XX", "urn:x,1", "urn:x,1,SC,extra", ",1,SC", "urn:x,,SC", "urn:x,1,sc"}) {
    std::string csv = std::string("# comment\nsystem,code,route\nurn:x,0,SC\n") + row + "\n";
    auto table = RouteTable::parse(csv, "routes.csv");
    ASSERT_FALSE(table) << row;
    EXPECT_EQ(table.error(),
              makeError(ErrorCode::kConfig, "expected system,code,SC|IV|IM|OTHER", "routes.csv:4"))
        << row;
  }
  for (const char* csv :
       {"", "system,code\n", "system,code,route,extra\n", "code,system,route\n"}) {
    auto table = RouteTable::parse(csv, "routes.csv");
    ASSERT_FALSE(table) << csv;
    EXPECT_EQ(table.error(),
              makeError(ErrorCode::kConfig, "header must be system,code,route", "routes.csv"));
  }
}

TEST(RouteTableTest, ParsedAliasesAreAddedUpperCased) {
  auto table = RouteTable::parse("system,code,route\ntext,sub-q,SC\nurn:local,abc,IM\n", "r.csv");
  ASSERT_TRUE(table) << table.error().describe();
  EXPECT_EQ(table->lookupText("SUB-Q"), Route::kSubcutaneous);
  EXPECT_EQ(table->lookupCode("urn:local", "abc"), Route::kIntramuscular);
  EXPECT_EQ(table->lookupCode("urn:local", "ABC"), Route::kUnknown);
}

}  // namespace
}  // namespace fhir837
