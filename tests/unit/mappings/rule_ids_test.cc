// The rule id table (mappings/rule_ids.h) and the rule catalogue of docs/coding.md name the same
// ids: a report reader looks every id up in the doc, and the doc documents nothing the code no
// longer emits.
#include "rule_ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/test_paths.h"

namespace fhir837 {
namespace {

// The ids docs/coding.md documents: the first cell of each row of the §1 catalogue tables, and
// the ids §1 lists in bold after them (**REV-R19**, **INPUT-PARSE** ...). Ids only mentioned in
// prose (sources such as PCA-1-013826, or "IV-R14 is not emitted") are not documented rules.
std::set<std::string> documentedRuleIds() {
  const std::string doc = testing::readFile(testing::sourceDir() / "docs/coding.md");
  const std::size_t begin = doc.find("\n## 1. ");
  const std::size_t end = doc.find("\n## 2. ");
  EXPECT_NE(begin, std::string::npos) << "docs/coding.md has no section 1";
  EXPECT_NE(end, std::string::npos) << "docs/coding.md has no section 2";
  const std::string catalogue = doc.substr(begin, end - begin);

  const std::regex firstCell(R"(^\| ([A-Z]+(?:-[A-Z0-9]+)*) \|)");
  const std::regex bold(R"(\*\*([A-Z]+(?:-[A-Z0-9]+)+)\*\*)");
  std::set<std::string> ids;
  std::istringstream lines(catalogue);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, firstCell)) ids.insert(match[1]);
    for (auto it = std::sregex_iterator(line.begin(), line.end(), bold);
         it != std::sregex_iterator(); ++it) {
      ids.insert((*it)[1]);
    }
  }
  return ids;
}

TEST(RuleIds, TableAndDocsCodingMdNameTheSameIds) {
  const std::set<std::string> documented = documentedRuleIds();
  ASSERT_GT(documented.size(), 50u)
      << "the catalogue parse found too little: has its form changed?";
  std::set<std::string> table;
  for (std::string_view id : rule_id::kAll) {
    EXPECT_TRUE(table.insert(std::string(id)).second) << id << " twice in rule_id::kAll";
  }
  for (const std::string& id : table) {
    EXPECT_TRUE(documented.count(id))
        << id << " is in mappings/rule_ids.h, not in docs/coding.md §1";
  }
  for (const std::string& id : documented) {
    EXPECT_TRUE(table.count(id)) << id
                                 << " is documented in docs/coding.md, not in mappings/rule_ids.h";
  }
}

TEST(RuleIds, EveryIdHasTheDocumentedShape) {
  const std::regex shape("[A-Z]+(-[A-Z0-9]+)*");
  for (std::string_view id : rule_id::kAll) {
    EXPECT_TRUE(std::regex_match(std::string(id), shape)) << id;
  }
}

}  // namespace
}  // namespace fhir837
