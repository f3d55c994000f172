#include "app/input_bytes.h"

#include <fstream>

#include "sources/files/input_files.h"

namespace fhir837::app {

namespace fs = std::filesystem;

namespace {

// By content, as the converter decides (a .json may be gzip, a .gz may not be).
bool isCompressed(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  unsigned char magic[4] = {};
  in.read(reinterpret_cast<char*>(magic), sizeof magic);
  const auto got = in.gcount();
  if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return true;
  return got == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

}  // namespace

std::uint64_t measurableInputBytes(const std::vector<fs::path>& inputs) {
  for (const auto& input : inputs) {
    if (input == "-") return 0;
  }
  auto files = expandInputs(inputs);
  if (!files) return 0;
  std::uint64_t total = 0;
  for (const auto& entry : *files) {
    if (entry.problem) continue;  // not read
    // A FIFO or /dev/stdin has no size, and peeking at it would eat the converter's bytes.
    if (!entry.regular) return 0;
    std::error_code ec;
    const auto size = fs::file_size(entry.path, ec);
    if (ec || isCompressed(entry.path)) return 0;
    total += size;
  }
  return total;
}

}  // namespace fhir837::app
