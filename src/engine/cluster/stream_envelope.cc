#include "engine/cluster/stream_envelope.h"

namespace fhir837::cluster {

namespace {

constexpr std::string_view kMagic = "fhir837/1 ";

// Types and ids are the intake's (FHIR id: [A-Za-z0-9.-]{1,64}); anything else in a header is
// not ours.
bool isToken(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string encodeStreamed(const serve::ResourceWrite& write) {
  std::string payload(kMagic);
  payload += write.format == serve::BodyFormat::kXml ? "xml " : "json ";
  payload += write.type;
  payload += ' ';
  payload += write.id;
  payload += '\n';
  payload += write.body;
  return payload;
}

std::optional<StreamedResource> decodeStreamed(std::string_view payload) {
  if (!payload.starts_with(kMagic)) return std::nullopt;
  const std::size_t eol = payload.find('\n');
  if (eol == std::string_view::npos) return std::nullopt;
  std::string_view header = payload.substr(kMagic.size(), eol - kMagic.size());
  StreamedResource resource;
  const std::size_t first = header.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : header.find(' ', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::string_view format = header.substr(0, first);
  if (format == "xml") {
    resource.format = serve::BodyFormat::kXml;
  } else if (format != "json") {
    return std::nullopt;
  }
  const std::string_view type = header.substr(first + 1, second - first - 1);
  const std::string_view id = header.substr(second + 1);
  if (!isToken(type) || !isToken(id)) return std::nullopt;
  resource.type = type;
  resource.id = id;
  resource.body = payload.substr(eol + 1);
  return resource;
}

std::string messageIdOf(const serve::ResourceWrite& write, std::string_view subject) {
  return write.type + "/" + write.id + "/" + write.hash + "@" + std::string(subject);
}

}  // namespace fhir837::cluster
