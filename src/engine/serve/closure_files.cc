#include "engine/serve/closure_files.h"

#include <fstream>

namespace fhir837::serve {

namespace fs = std::filesystem;

namespace {

Status writeFile(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return makeError(ErrorCode::kIo, "cannot write a billing work file", file.string());
  return Status::ok();
}

}  // namespace

Status writeClosureFiles(const fs::path& dir, const std::vector<StoredResource>& resources) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) {
    return makeError(ErrorCode::kIo, "cannot create the billing work dir: " + ec.message(),
                     dir.string());
  }
  std::string lines;
  std::size_t xmlFiles = 0;
  for (const StoredResource& resource : resources) {
    if (resource.format == BodyFormat::kXml) {
      const fs::path file = dir / ("resource-" + std::to_string(++xmlFiles) + ".xml");
      if (Status s = writeFile(file, resource.body); !s) return s;
      continue;
    }
    // JSON has no raw line breaks inside strings (they are escaped), so turning every CR/LF into
    // a space puts a pretty-printed body on one NDJSON line without changing any value.
    std::string line = resource.body;
    for (char& c : line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    lines += line;
    lines += '\n';
  }
  if (!lines.empty()) return writeFile(dir / "resources.ndjson", lines);
  return Status::ok();
}

}  // namespace fhir837::serve
