#include "sources/files/input_files.h"

#include <algorithm>
#include <fstream>

namespace fhir837 {

namespace fs = std::filesystem;

Result<std::vector<fs::path>> expandInputs(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> out;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(input, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) found.push_back(it->path());
      }
      if (ec) return makeError(ErrorCode::kIo, "cannot list directory: " + ec.message(), input);
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(input, ec)) {
      out.push_back(input);
    } else {
      return makeError(ErrorCode::kIo, "input not found", input.string());
    }
  }
  return out;
}

Result<std::string> readInputFile(const fs::path& path, std::size_t maxBytes) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return makeError(ErrorCode::kIo, "cannot stat: " + ec.message(), path.string());
  if (size > maxBytes) {
    return makeError(
        ErrorCode::kLimitExceeded,
        "file is " + std::to_string(size) + " bytes, limit " + std::to_string(maxBytes),
        path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorCode::kIo, "cannot open", path.string());
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size) {
    return makeError(ErrorCode::kIo, "short read", path.string());
  }
  return bytes;
}

}  // namespace fhir837
