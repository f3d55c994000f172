#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace fhir837 {

// Where one NDJSON line's bytes sit for the second pass: in the spill file, or in the input file
// itself when it is a regular file.
struct SpillSpan {
  std::uint64_t offset = 0;
  std::uint32_t length = 0;
};

// Gives back, in the second pass, the NDJSON lines the first pass read: events, referenced
// resources and lines copied to rejects/. A regular file is read again where it lies
// (InputFileLines); what cannot be read twice (stdin, FIFOs, gzip, archive members) was copied to
// the SpillFile. Reads may come from any thread.
class LineStore {
 public:
  virtual ~LineStore() = default;
  // Replaces `into` with the bytes of the line of input `input` (an index into the run's input
  // names) at `span`. Errors are kIo: the run cannot go on without a line it already read once.
  virtual Status read(std::uint32_t input, SpillSpan span, std::string& into) const = 0;
};

}  // namespace fhir837
