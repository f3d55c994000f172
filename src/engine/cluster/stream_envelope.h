#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/serve/journal.h"

namespace fhir837::cluster {

// A resource as it travels on the stream: a one-line header (format, type, id) and the body as
// the intake stored it. The receiving owner parses and analyses the body again with the same
// intake, so the stream carries nothing the journal could disagree with.
struct StreamedResource {
  serve::BodyFormat format = serve::BodyFormat::kJson;
  std::string type, id;
  std::string_view body;  // into the payload it was decoded from
};

std::string encodeStreamed(const serve::ResourceWrite& write);
// nullopt: not a fhir837 stream message (the header is missing or malformed).
std::optional<StreamedResource> decodeStreamed(std::string_view payload);

// The stream's deduplication id: the same content of the same resource for the same subject is
// one message, whoever receives it and however often it is sent.
std::string messageIdOf(const serve::ResourceWrite& write, std::string_view subject);

}  // namespace fhir837::cluster
