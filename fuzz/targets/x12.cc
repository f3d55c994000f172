#include <sstream>
#include <string>

#include "../fuzz_targets.h"
#include "engine/validation/x12_validator.h"

namespace fhir837::fuzz {

// Reader + validator over arbitrary bytes. A small chunk size and segment limit make the fuzzer
// reach chunk-boundary and limit paths with short inputs; findings are rendered so a dangling
// string in one shows up under ASan.
int x12(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  validation::CollectingSink sink(64);
  validation::ValidateStreamOptions options;
  options.reader.chunkSize = 7;
  options.reader.maxSegment = 4096;
  auto summary = validation::validateStream(in, sink, options);
  std::size_t bytes = summary ? summary->segments : summary.error().describe().size();
  for (const auto& finding : sink.findings()) bytes += finding.describe().size();
  volatile std::size_t keep = bytes;
  (void)keep;
  return 0;
}

}  // namespace fhir837::fuzz
