#include "engine/rejects_writer.h"

#include <cctype>
#include <fstream>

#include "sources/files/content_kind.h"

namespace fhir837 {

namespace {

std::string rejectFileName(const std::string& input) {
  std::string name;
  for (char c : input) {
    name.push_back((std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
                       ? c
                       : '_');
  }
  while (!name.empty() && name.front() == '.') name.erase(name.begin());
  return name.empty() ? "input" : name;
}

}  // namespace

Status RejectsWriter::add(const std::string& input, std::string_view bytes, bool isLine) {
  std::string file = rejectFileName(input);
  if (isLine && !hasNdjsonName(file)) file += ".ndjson";
  const bool first = started_.insert(file).second;
  if (!first && !isLine) return Status::ok();  // a document is kept once, whole
  if (first) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return makeError(ErrorCode::kIo, "cannot create: " + ec.message(), dir_.string());
  }
  std::ofstream out(dir_ / file,
                    first ? std::ios::binary | std::ios::trunc : std::ios::binary | std::ios::app);
  out << bytes;
  if (isLine) out << '\n';
  if (!out) return makeError(ErrorCode::kIo, "cannot write", (dir_ / file).string());
  return Status::ok();
}

}  // namespace fhir837
