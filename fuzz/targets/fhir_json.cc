#include <string>
#include <string_view>

#include "../fuzz_targets.h"
#include "fhir_json/fhir_json_parser.h"
#include "sax_parity.h"

namespace fhir837::fuzz {

namespace {

// Small limits so the fuzzer reaches every limit path with short inputs.
ParseLimits fuzzLimits() {
  ParseLimits limits;
  limits.maxBytes = 64u << 10;
  limits.maxDepth = 24;
  limits.maxStringBytes = 256;
  return limits;
}

// Walks the tree so a dangling or half-built node shows up under ASan.
std::size_t visit(const FhirNode& node) {
  std::size_t count = 1 + node.value.size() + node.resourceType.size();
  for (const auto& [name, list] : node.children) {
    for (const FhirNode& child : list) count += visit(child);
  }
  return count;
}

}  // namespace

int fhirJson(const std::uint8_t* data, std::size_t size) {
  static const ParseLimits limits = fuzzLimits();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = parseFhirJson(bytes, "fuzz.json", limits);
  if (parsed) {
    volatile std::size_t sink = visit(parsed->root);
    (void)sink;
  } else {
    volatile std::size_t sink = parsed.error().describe().size();
    (void)sink;
  }
  volatile std::size_t agreed = checkSaxParity(bytes, limits);
  (void)agreed;
  return 0;
}

}  // namespace fhir837::fuzz
