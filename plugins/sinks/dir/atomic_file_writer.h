#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.h"

namespace fhir837 {

// Writes `bytes` to `target` so that a reader (or a crash) sees either no file or the whole file:
// a temporary name in the same directory, fsync, rename, fsync of the directory.
Status writeFileAtomically(const std::filesystem::path& target, std::string_view bytes);

}  // namespace fhir837
