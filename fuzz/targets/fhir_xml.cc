#include <string>
#include <string_view>

#include "../fuzz_targets.h"
#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837::fuzz {

// Small limits so the fuzzer reaches every limit branch with short inputs; a successful parse is
// also dumped and compared with itself to walk the whole tree it built.
int fhirXml(const std::uint8_t* data, std::size_t size) {
  ParseLimits limits;
  limits.maxBytes = 64u << 10;
  limits.maxDepth = 24;
  limits.maxStringBytes = 512;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto result = parseFhirXml(bytes, "fuzz.xml", limits);
  if (result) {
    const FhirNode& root = result->root;
    if (!root.isResource() || !root.sameContent(root) || root.dump().empty()) __builtin_trap();
  } else if (result.error().where.rfind("fuzz.xml", 0) != 0) {
    __builtin_trap();  // every error must name its source
  }
  return 0;
}

}  // namespace fhir837::fuzz
