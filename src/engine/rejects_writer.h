#pragma once

#include <filesystem>
#include <set>
#include <string>

#include "core/result.h"
#include "engine/input_loader.h"

namespace fhir837 {

// Writes OUTDIR/rejects/ as rejections are found, so nothing waits in memory: each rejected
// NDJSON line is appended unchanged to rejects/<input>.ndjson, each rejected document is copied
// once, whole. Fix the input there and feed it back to `convert`.
class RejectsWriter {
 public:
  explicit RejectsWriter(std::filesystem::path outputDir)
      : dir_(std::move(outputDir) / "rejects") {}
  Status add(const RejectedRaw& raw);

 private:
  std::filesystem::path dir_;
  std::set<std::string> started_;  // file names written by this run (others are truncated first)
};

}  // namespace fhir837
