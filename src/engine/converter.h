#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "coding_types.h"
#include "core/result.h"
#include "engine/clock.h"
#include "engine/config/app_config.h"
#include "engine/report/convert_report.h"
#include "fhir_tree/fhir_node.h"
#include "store/state_store.h"

namespace fhir837 {

struct ConvertOptions {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path outputDir;
  std::optional<ClaimForm> form;  // --form; default 837P until billing profiles land
  ParseLimits limits;
  bool writeFiles = true;  // false for `explain`: code and report, write nothing, bill nothing
  unsigned jobs = 1;       // threads for parsing (--jobs); the output never depends on it
};

// The batch driver of the pipeline: sources -> parser -> assembler -> coder -> claim builder ->
// emitter -> sink, plus the report. Input problems become report entries, never exceptions;
// only usage/config/state-store failures return an Error.
Result<ConvertReport> convertInputs(const AppConfig& config, const CodingTables& tables,
                                    const ConvertOptions& options, const Clock& clock,
                                    StateStore& store);

}  // namespace fhir837
