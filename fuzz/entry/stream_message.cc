#include <cstddef>
#include <cstdint>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) {
  return fhir837::fuzz::streamMessage(d, n);
}
