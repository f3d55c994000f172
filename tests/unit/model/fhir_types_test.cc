#include "model/fhir_types.h"

#include <gtest/gtest.h>

namespace fhir837 {
namespace {

TEST(CodeableConceptTest, FindSystemReturnsFirstExactMatch) {
  CodeableConcept codeable;
  codeable.coding = {Coding{"http://snomed.info/sct", "", "47625008", "Intravenous"},
                     Coding{"http://www.nlm.nih.gov/research/umls/rxnorm", "", "1", "a"},
                     Coding{"http://snomed.info/sct", "", "255560000", "Intravenous"}};
  const Coding* snomed = codeable.findSystem("http://snomed.info/sct");
  ASSERT_NE(snomed, nullptr);
  EXPECT_EQ(snomed, &codeable.coding[0]);
  EXPECT_EQ(codeable.findSystem("http://www.nlm.nih.gov/research/umls/rxnorm")->code, "1");
  // Exact match only: no prefix, case or trailing-slash leniency.
  EXPECT_EQ(codeable.findSystem("http://snomed.info/sct/"), nullptr);
  EXPECT_EQ(codeable.findSystem("HTTP://SNOMED.INFO/SCT"), nullptr);
  EXPECT_EQ(codeable.findSystem(""), nullptr);
  EXPECT_EQ(CodeableConcept{}.findSystem("http://snomed.info/sct"), nullptr);
}

}  // namespace
}  // namespace fhir837
