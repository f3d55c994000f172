#include <string_view>

#include "../fuzz_targets.h"
#include "engine/serve/resource_intake.h"

namespace fhir837::fuzz {

// The daemon's request bodies: whatever an engine POSTs to /fhir (a resource or any kind of
// Bundle, JSON or XML, the first byte choosing) through the intake that parses, binds, cuts
// Bundle entries and rewrites their urn:uuid references. Any body may be refused (an
// IntakeProblem) but none may crash, and exactly one of resource / bundle / problem is set.
int serveIntake(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const serve::BodyFormat format = data[0] & 1 ? serve::BodyFormat::kXml : serve::BodyFormat::kJson;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  ParseLimits limits;
  limits.maxBytes = 1u << 20;
  serve::Intake intake = serve::analyseBody(body, format, "", "", limits);
  const int set =
      intake.resource.has_value() + intake.bundle.has_value() + intake.problem.has_value();
  if (set != 1) __builtin_trap();
  return 0;
}

}  // namespace fhir837::fuzz
