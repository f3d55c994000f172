#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace fhir837::app {

// The on-disk size of the inputs `convert` will read (directories walked as the converter walks
// them), for the progress bar's ETA. 0 when that size would mislead: stdin (`-`) has none, and
// the converter counts gzip and zip contents uncompressed. 0 too when an input cannot be listed;
// the converter reports that itself.
std::uint64_t measurableInputBytes(const std::vector<std::filesystem::path>& inputs);

}  // namespace fhir837::app
