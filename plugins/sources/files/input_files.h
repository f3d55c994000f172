#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace fhir837 {

// Expands command-line inputs: a file stays itself; a directory becomes its regular files
// (recursively, sorted by path so the output order never depends on the file system), skipping
// hidden files. A missing input is an error naming it.
Result<std::vector<std::filesystem::path>> expandInputs(
    const std::vector<std::filesystem::path>& inputs);

// Reads a whole file, refusing files larger than maxBytes (kLimitExceeded).
Result<std::string> readInputFile(const std::filesystem::path& path, std::size_t maxBytes);

}  // namespace fhir837
