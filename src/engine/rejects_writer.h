#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/input_loader.h"

namespace fhir837 {

// Writes OUTDIR/rejects/ as rejections are found, so nothing waits in memory: each rejected
// NDJSON line is appended unchanged to that input's file, each rejected document is copied
// once, whole (a document too large to hold arrives in parts). Fix the input there and feed it
// back to `convert`.
//
// One file per input, named `<n>-<base>`: n counts the inputs with rejects in this run (in the
// order they are rejected, which does not depend on --jobs), base is the last part of the input's
// name (after the last '/' or '!'), with every character but [A-Za-z0-9._-] made '_', cut from the
// front to fit a file name; NDJSON lines get `.ndjson` appended unless the name says so. Names
// never collide and never pass NAME_MAX, however deep or long the input's path; inputsWithFiles()
// gives the mapping that report.json lists.
class RejectsWriter {
 public:
  explicit RejectsWriter(std::filesystem::path outputDir)
      : dir_(std::move(outputDir) / "rejects") {}
  Status add(const RejectedRaw& raw) {
    return raw.isPart ? addPart(raw.input, raw.bytes) : add(raw.input, raw.bytes, raw.isLine);
  }
  // `bytes` is a line (appended with a newline) or a whole document (kept once per input).
  Status add(const std::string& input, std::string_view bytes, bool isLine);
  // Appends the next part of a document that is copied as it is read.
  Status addPart(const std::string& input, std::string_view bytes);

  // The reject file of `input` ("rejects/3-Patient.ndjson"), or empty.
  std::string fileOf(const std::string& input) const;
  // Sets InputRecord::rejectFile of every input that has one.
  void nameInputs(std::vector<InputRecord>& inputs) const;

 private:
  enum class Kind { kLine, kDocument, kPart };
  Status write(const std::string& input, std::string_view bytes, Kind kind);

  std::filesystem::path dir_;
  std::map<std::string, std::string> files_;  // input display name -> file name in dir_
  std::set<std::string> documents_;           // inputs whose whole document was written
};

}  // namespace fhir837
