#include <string>
#include <string_view>

#include "../fuzz_targets.h"
#include "fhir_json/fhir_json_binder.h"
#include "ndjson/ndjson_reader.h"
#include "sax_parity.h"
#include "sources/files/content_kind.h"

namespace fhir837::fuzz {

namespace {

// Small limits so short inputs reach the too-long-line and parser limit paths.
ParseLimits fuzzLimits() {
  ParseLimits limits;
  limits.maxBytes = 16u << 10;
  limits.maxDepth = 24;
  limits.maxStringBytes = 256;
  return limits;
}

}  // namespace

// The first byte picks the chunk size (1..32) and line limit, so line splitting is exercised
// across every chunk boundary; the rest is the NDJSON file.
int ndjson(const std::uint8_t* data, std::size_t size) {
  static const ParseLimits limits = fuzzLimits();
  if (size == 0) return 0;
  NdjsonLimits ndjsonLimits;
  ndjsonLimits.chunkBytes = 1 + (data[0] & 0x1f);
  ndjsonLimits.maxLineBytes = (data[0] & 0x80) ? 64 : (4u << 10);
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  volatile std::size_t sink = static_cast<std::size_t>(sniffContent(bytes, true, "fuzz.ndjson"));
  MemoryByteStream stream(bytes);
  NdjsonReader reader(stream, "fuzz.ndjson", ndjsonLimits);
  while (!reader.done()) {
    auto line = reader.next();
    if (!line) {
      sink = sink + line.error().describe().size();
      continue;
    }
    if (!*line) break;
    // As the pipeline binds each line (bindFhirJson), plus the SAX-vs-tree check.
    sink = sink + checkSaxParity((*line)->text, limits);
    auto bound = bindFhirJson((*line)->text, "fuzz.ndjson", limits);
    sink = sink + (bound ? 1 : bound.error().describe().size());
  }
  (void)sink;
  return 0;
}

}  // namespace fhir837::fuzz
