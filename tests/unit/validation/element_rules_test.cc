#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "engine/validation/element_rules.h"

namespace fhir837::validation {
namespace {

using Found = std::vector<std::pair<std::string, std::string>>;

Found check(const std::string& text, const std::string& spec) {
  x12::X12Segment segment;
  segment.assign(text, x12::X12Delimiters{}, 0);
  Found found;
  checkElements(segment, parseSegmentRule(spec),
                [&](const std::string& element, const std::string& message) {
                  found.emplace_back(element, message);
                });
  return found;
}

TEST(ElementRules, ParsesUsageTypesLengthsCodesAndComposites) {
  SegmentRule rule = parseSegmentRule("R ID 1 @SBR01|S AN 1-50|N|R{R ID 2 HC;S AN 2}|S $ 1-18");
  ASSERT_EQ(rule.elements.size(), 5u);
  EXPECT_EQ(rule.elements[0].usage, Usage::kRequired);
  EXPECT_EQ(rule.elements[0].codes.size(), 12u);
  EXPECT_EQ(rule.elements[1].maxLength, 50);
  EXPECT_EQ(rule.elements[2].usage, Usage::kNotUsed);
  EXPECT_EQ(rule.elements[3].type, DataType::kComposite);
  EXPECT_EQ(rule.elements[3].components.size(), 2u);
  EXPECT_EQ(rule.elements[4].type, DataType::kAmount);
  EXPECT_THROW(parseSegmentRule("R XX 1"), std::logic_error);
  EXPECT_THROW(parseSegmentRule("R ID 1 @NOPE"), std::logic_error);
  EXPECT_THROW(parseSegmentRule("R{R ID 2"), std::logic_error);
}

TEST(ElementRules, ReportsEachKindOfElementProblem) {
  struct Case {
    std::string text, spec;
    Found expected;
  };
  const std::vector<Case> cases = {
      {"X*A", "R ID 1 A,B|S AN 1-5", {}},
      {"X*C", "R ID 1 A,B", {{"X01", "code 'C' is not in the guide's code list"}}},
      {"X**B", "R ID 1 A,B|S ID 1 A,B", {{"X01", "required element is missing"}}},
      {"X*A*B", "R ID 1 A,B|N", {{"X02", "element is not used in this guide but has a value"}}},
      {"X*A*B", "R ID 1 A,B", {{"X02", "element not defined for this segment"}}},
      {"X*ABCDEF", "R AN 1-5", {{"X01", "length 6 outside 1-5"}}},
      {"X*   ", "R AN 1-5", {{"X01", "is only spaces"}}},
      {"X*12A", "R N0 1-6", {{"X01", "is not an integer"}}},
      {"X*1.5", "R R 1-6", {}},
      {"X*1.2.3", "R R 1-6", {{"X01", "is not a decimal number"}}},
      {"X*1.234", "R $ 1-18", {{"X01", "amount has more than 2 decimals"}}},
      {"X*12345678901", "R $ 1-18", {{"X01", "amount has more than 10 digits"}}},
      {"X*20250230", "R DT 8", {{"X01", "is not a valid date"}}},
      {"X*2460", "R TM 4-8", {{"X01", "is not a valid time"}}},
      {"X*A^B", "R AN 1-5", {{"X01", "repetition separator in a non-repeating element"}}},
      {"X*A:B", "R AN 1-5", {{"X01", "component separator in a simple element"}}},
      {"X*HC:J1559:JZ", "R{R ID 2 HC;R AN 1-48;S AN 2}", {}},
      {"X*HC:J1559:", "R{R ID 2 HC;R AN 1-48;S AN 2}", {{"X01", "trailing component separator"}}},
      {"X*HC::JZ", "R{R ID 2 HC;R AN 1-48;S AN 2}", {{"X01-2", "required component is missing"}}},
      {"X*HC:A:B:C", "R{R ID 2 HC;R AN 1-48;S AN 1}", {{"X01-4", "too many components"}}},
      {"X*ABK:D801:Y",
       "R{R ID 3 ABK;R AN 1-30;N}",
       {{"X01-3", "component is not used in this guide but has a value"}}},
  };
  for (const Case& c : cases)
    EXPECT_EQ(check(c.text, c.spec), c.expected) << c.text << " / " << c.spec;
}

TEST(ElementRules, ElementNames) {
  EXPECT_EQ(elementName("CLM", 5, 2), "CLM05-2");
  EXPECT_EQ(elementName("HI", 12), "HI12");
}

}  // namespace
}  // namespace fhir837::validation
