#pragma once

#include <filesystem>
#include <vector>

#include "core/result.h"
#include "engine/serve/journal.h"

namespace fhir837::serve {

// Writes journaled resources as a `convert` input under `dir` (created empty): the JSON ones as
// lines of one NDJSON file, each XML one as a file of its own. The daemon codes through the batch
// pipeline, so what it bills is what `convert` would bill from the same resources.
Status writeClosureFiles(const std::filesystem::path& dir,
                         const std::vector<StoredResource>& resources);

}  // namespace fhir837::serve
