#include "engine/rejects_writer.h"

#include <cctype>
#include <fstream>

#include "sources/files/content_kind.h"

namespace fhir837 {

namespace {

// Well under NAME_MAX (255 on every file system fhir837 runs on), room left for ".ndjson".
constexpr std::size_t kMaxNameBytes = 200;

std::string baseOf(const std::string& input) {
  const std::size_t cut = input.find_last_of("/!");
  std::string base;
  for (char c : cut == std::string::npos ? input : input.substr(cut + 1)) {
    base.push_back((std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
                       ? c
                       : '_');
  }
  if (base.empty() || base == "_") return "stdin";  // "-", or a name that is all separators
  return base;
}

std::string rejectFileName(std::size_t number, const std::string& input, bool isLine) {
  std::string base = baseOf(input);
  if (isLine && !hasNdjsonName(base)) base += ".ndjson";
  std::string prefix = std::to_string(number) + "-";
  if (prefix.size() + base.size() > kMaxNameBytes) {
    base.erase(0, prefix.size() + base.size() - kMaxNameBytes);  // keep the extension
  }
  return prefix + base;
}

}  // namespace

Status RejectsWriter::add(const std::string& input, std::string_view bytes, bool isLine) {
  return write(input, bytes, isLine ? Kind::kLine : Kind::kDocument);
}

Status RejectsWriter::addPart(const std::string& input, std::string_view bytes) {
  return write(input, bytes, Kind::kPart);
}

Status RejectsWriter::write(const std::string& input, std::string_view bytes, Kind kind) {
  auto found = files_.find(input);
  const bool first = found == files_.end();
  if (!first && kind == Kind::kDocument && !documents_.insert(input).second) {
    return Status::ok();  // a document is kept once, whole
  }
  if (first) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return makeError(ErrorCode::kIo, "cannot create: " + ec.message(), dir_.string());
    found =
        files_.emplace(input, rejectFileName(files_.size() + 1, input, kind == Kind::kLine)).first;
    if (kind == Kind::kDocument) documents_.insert(input);
  }
  const std::filesystem::path file = dir_ / found->second;
  std::ofstream out(file,
                    first ? std::ios::binary | std::ios::trunc : std::ios::binary | std::ios::app);
  out << bytes;
  if (kind == Kind::kLine) out << '\n';
  if (!out) return makeError(ErrorCode::kIo, "cannot write", file.string());
  return Status::ok();
}

std::string RejectsWriter::fileOf(const std::string& input) const {
  auto found = files_.find(input);
  return found == files_.end() ? std::string() : "rejects/" + found->second;
}

void RejectsWriter::nameInputs(std::vector<InputRecord>& inputs) const {
  for (auto& input : inputs) input.rejectFile = fileOf(input.path);
}

}  // namespace fhir837
