#include <string_view>

#include "../fuzz_targets.h"
#include "engine/cluster/stream_envelope.h"
#include "engine/serve/resource_intake.h"

namespace fhir837::fuzz {

// A message read from the cluster's stream, as a partition's owner applies it (issue 12): the
// envelope is decoded, and a decoded body goes through the intake as a PUT of its type and id.
// A message may be refused but must never crash; a decoded envelope encodes back to the same
// bytes (nothing in the header is silently normalised).
int streamMessage(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto streamed = cluster::decodeStreamed(payload);
  if (!streamed) return 0;
  serve::ResourceWrite write;
  write.format = streamed->format;
  write.type = streamed->type;
  write.id = streamed->id;
  write.body = std::string(streamed->body);
  if (cluster::encodeStreamed(write) != payload) __builtin_trap();
  ParseLimits limits;
  limits.maxBytes = 1u << 20;
  serve::Intake intake =
      serve::analyseBody(streamed->body, streamed->format, streamed->type, streamed->id, limits);
  const int set =
      intake.resource.has_value() + intake.bundle.has_value() + intake.problem.has_value();
  if (set != 1) __builtin_trap();
  return 0;
}

}  // namespace fhir837::fuzz
