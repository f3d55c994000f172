#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>

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
  Status add(const RejectedRaw& raw) { return add(raw.input, raw.bytes, raw.isLine); }
  // `bytes` is a line (appended with a newline) or a whole document (kept once per input).
  Status add(const std::string& input, std::string_view bytes, bool isLine);

 private:
  std::filesystem::path dir_;
  std::set<std::string> started_;  // file names written by this run (others are truncated first)
};

}  // namespace fhir837
