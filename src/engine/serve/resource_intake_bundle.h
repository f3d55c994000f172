#pragma once

#include <string_view>

#include "engine/serve/resource_intake.h"

namespace fhir837::serve {

// The Bundle part of analyseBody (resource_intake_bundle.cc): `root` is the parsed Bundle of
// `body`. Each entry's resource is cut out in the Bundle's format, its urn:uuid references
// rewritten, and analysed as if it had been sent alone; an entry's problem names the entry
// ("Bundle.entry[3].resource.subject").
Intake analyseBundle(std::string_view body, BodyFormat format, const FhirNode& root,
                     const ParseLimits& limits, const BundleOptions& options);

}  // namespace fhir837::serve
