#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fhir_json/fhir_json_parser.h"
#include "fhir_xml/fhir_xml_parser.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;

struct Pair {
  const char* name;
  const char* json;
  const char* xml;
};

// Hand-written pairs for the format rules the corpus exercises only here and there.
TEST(FhirXmlJsonParityTest, FormatRulePairsGiveTheSameTree) {
  const Pair pairs[] = {
      {"primitiveIdAndExtension",
       R"({"resourceType":"Patient","birthDate":"1974","_birthDate":{"id":"x",)"
       R"("extension":[{"url":"u","valueString":"v"}]}})",
       R"(<Patient xmlns="http://hl7.org/fhir"><birthDate value="1974" id="x">)"
       R"(<extension url="u"><valueString value="v"/></extension></birthDate></Patient>)"},
      {"extensionOnlyRepeatedPrimitive",
       R"({"resourceType":"Patient","name":[{"given":["A",null],)"
       R"("_given":[null,{"extension":[{"url":"u","valueCode":"c"}]}]}]})",
       R"(<Patient xmlns="http://hl7.org/fhir"><name><given value="A"/><given>)"
       R"(<extension url="u"><valueCode value="c"/></extension></given></name></Patient>)"},
      {"narrativeAndContained",
       R"({"resourceType":"Patient","text":{"status":"generated","div":)"
       R"("<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"},)"
       R"("contained":[{"resourceType":"Practitioner","id":"pr"}]})",
       R"(<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>)"
       R"(<div xmlns="http://www.w3.org/1999/xhtml">x</div></text><contained><Practitioner>)"
       R"(<id value="pr"/></Practitioner></contained></Patient>)"},
      {"numbersAndBooleansKeepTheirLexemes",
       R"({"resourceType":"Observation","valueQuantity":{"value":1.50},"status":"final",)"
       R"("component":[{"valueBoolean":true},{"valueInteger":-0}]})",
       R"(<Observation xmlns="http://hl7.org/fhir"><status value="final"/><component>)"
       R"(<valueBoolean value="true"/></component><component><valueInteger value="-0"/>)"
       R"(</component><valueQuantity><value value="1.50"/></valueQuantity></Observation>)"},
      {"bundleEntryResourceAndOutcome",
       R"({"resourceType":"Bundle","type":"batch-response","entry":[{"resource":)"
       R"({"resourceType":"Patient","id":"a"}},{"response":{"status":"200","outcome":)"
       R"({"resourceType":"OperationOutcome","issue":[{"severity":"information"}]}}}]})",
       R"(<Bundle xmlns="http://hl7.org/fhir"><type value="batch-response"/><entry><resource>)"
       R"(<Patient><id value="a"/></Patient></resource></entry><entry><response>)"
       R"(<status value="200"/><outcome><OperationOutcome><issue>)"
       R"(<severity value="information"/></issue></OperationOutcome></outcome></response>)"
       R"(</entry></Bundle>)"},
  };
  for (const Pair& pair : pairs) {
    SCOPED_TRACE(pair.name);
    auto json = parseFhirJson(pair.json, "p.json");
    auto xml = parseFhirXml(pair.xml, "p.xml");
    ASSERT_TRUE(json.has_value()) << json.error().describe();
    ASSERT_TRUE(xml.has_value()) << xml.error().describe();
    EXPECT_TRUE(json->root.sameContent(xml->root)) << "--- json\n"
                                                   << json->root.dump() << "--- xml\n"
                                                   << xml->root.dump();
  }
}

// The XML and JSON forms of every R4 example give the same tree: the binder must not be able to
// tell which format a resource came in.
TEST(FhirXmlJsonParityTest, EveryR4ExamplePairGivesTheSameTree) {
  auto corpus = testing::corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: set FHIR837_CORPUS or FHIR837_CORPUS_DIR";
  fs::path xmlDir = *corpus / "r4-examples" / "xml";
  fs::path jsonDir = *corpus / "r4-examples" / "json";
  if (!fs::is_directory(xmlDir) || !fs::is_directory(jsonDir)) {
    GTEST_SKIP() << "corpus absent: no r4-examples/xml and r4-examples/json";
  }
  std::vector<std::string> basenames;
  for (const auto& entry : fs::directory_iterator(xmlDir)) {
    if (entry.path().extension() != ".xml") continue;
    std::string stem = entry.path().stem().string();
    if (fs::exists(jsonDir / (stem + ".json"))) basenames.push_back(stem);
  }
  std::sort(basenames.begin(), basenames.end());
  ASSERT_FALSE(basenames.empty());

  std::vector<std::string> differing;
  for (const std::string& name : basenames) {
    SCOPED_TRACE(name);
    auto json = parseFhirJson(testing::readFile(jsonDir / (name + ".json")), name + ".json");
    auto xml = parseFhirXml(testing::readFile(xmlDir / (name + ".xml")), name + ".xml");
    ASSERT_TRUE(json.has_value()) << json.error().describe();
    ASSERT_TRUE(xml.has_value()) << xml.error().describe();
    if (!json->root.sameContent(xml->root)) {
      differing.push_back(name);
      ADD_FAILURE() << "JSON and XML trees differ for " << name << "\n--- json\n"
                    << json->root.dump() << "--- xml\n"
                    << xml->root.dump();
    }
  }
  std::string list;
  for (const std::string& name : differing) list += name + " ";
  EXPECT_TRUE(differing.empty()) << differing.size() << " of " << basenames.size()
                                 << " pairs differ: " << list;
}

}  // namespace
}  // namespace fhir837
