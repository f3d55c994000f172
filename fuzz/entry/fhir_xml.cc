#include <cstddef>
#include <cstdint>

#include "../fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fhir837::fuzz::fhirXml(data, size);
}
