#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace fhir837 {

// One input found on the command line or in a directory walk.
struct InputEntry {
  std::filesystem::path path;
  // False for what is given on the command line but is not a regular file (a FIFO, /dev/stdin, a
  // process substitution such as <(cat x)): it is read once, as a stream, never reopened.
  bool regular = true;
  // Set when the entry is not read at all; the error says why and carries its rule id
  // (INPUT-NOT-FILE, INPUT-READ, INPUT-EMPTY), so the run can report it and go on.
  std::optional<Error> problem;
};

// Expands command-line inputs: a file stays itself; a directory becomes its regular files
// (recursively, sorted by path so the output order never depends on the file system), skipping
// hidden files and folders. What a walk finds that cannot be read as a file (a FIFO, device or
// socket, a dangling symbolic link, a symbolic link to a directory, a directory that cannot be
// listed) and a directory without any file are entries with a problem, in their sorted place. A
// missing command-line input is an error naming it ("input not found").
Result<std::vector<InputEntry>> expandInputs(const std::vector<std::filesystem::path>& inputs);

// Reads a whole file, refusing files larger than maxBytes (kLimitExceeded).
Result<std::string> readInputFile(const std::filesystem::path& path, std::size_t maxBytes);

}  // namespace fhir837
