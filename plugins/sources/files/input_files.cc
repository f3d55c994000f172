#include "sources/files/input_files.h"

#include <algorithm>
#include <fstream>
#include "rule_ids.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

const char* kindOf(fs::file_type type) {
  switch (type) {
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

InputEntry problemEntry(const fs::path& path, ErrorCode code, const std::string& message,
                        const char* rule) {
  return InputEntry{path, false, makeError(code, message, path.string(), rule)};
}

// Everything under `dir` except hidden names, unsorted. A FIFO in a directory is not opened: with
// no writer, reading it would wait for ever.
void walk(const fs::path& dir, std::vector<InputEntry>& found) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (!name.empty() && name[0] == '.') continue;
    std::error_code statError;
    const fs::file_status linked = it->symlink_status(statError);
    const fs::file_status target = it->status(statError);
    if (fs::is_directory(target)) {
      if (fs::is_symlink(linked)) {
        found.push_back(problemEntry(path, ErrorCode::kUnsupported,
                                     "symbolic link to a directory: not followed",
                                     rule_id::kInputNotFile));
      } else {
        walk(path, found);
      }
    } else if (fs::is_regular_file(target)) {
      found.push_back(InputEntry{path, true, std::nullopt});
    } else if (fs::is_symlink(linked) && !fs::exists(target)) {
      found.push_back(problemEntry(path, ErrorCode::kIo, "dangling symbolic link: not read",
                                   rule_id::kInputNotFile));
    } else {
      found.push_back(problemEntry(
          path, ErrorCode::kUnsupported,
          std::string(kindOf(target.type())) +
              " in a directory: not read (give it on the command line to read it as a stream)",
          rule_id::kInputNotFile));
    }
  }
  if (ec) {
    found.push_back(problemEntry(dir, ErrorCode::kIo, "cannot list directory: " + ec.message(),
                                 rule_id::kInputRead));
  }
}

}  // namespace

Result<std::vector<InputEntry>> expandInputs(const std::vector<fs::path>& inputs) {
  std::vector<InputEntry> out;
  for (const auto& input : inputs) {
    std::error_code ec;
    const fs::file_status status = fs::status(input, ec);
    if (fs::is_directory(status)) {
      std::vector<InputEntry> found;
      walk(input, found);
      std::sort(found.begin(), found.end(),
                [](const InputEntry& a, const InputEntry& b) { return a.path < b.path; });
      if (found.empty()) {
        found.push_back(problemEntry(input, ErrorCode::kInvalidValue,
                                     "directory holds no input files", rule_id::kInputEmpty));
      }
      out.insert(out.end(), std::make_move_iterator(found.begin()),
                 std::make_move_iterator(found.end()));
    } else if (fs::is_regular_file(status)) {
      out.push_back(InputEntry{input, true, std::nullopt});
    } else if (fs::exists(status)) {
      out.push_back(InputEntry{input, false, std::nullopt});
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
