#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fhir837::inbox {

// `name` with a collision suffix: "a.json" -> "a~2.json", "x.ndjson.gz" -> "x~2.ndjson.gz" (the
// suffix goes before the first dot after the first character, so every extension stays), "data"
// -> "data~2". n = 1 is the name itself.
std::string numberedName(std::string_view name, unsigned n);

// The first numberedName() of `name` that does not exist in `dir`. Its reason file
// ("<name>.reason.json") may exist: only a crash between writing it and moving the file leaves
// one without its file, and it describes the same file, so it is overwritten.
std::filesystem::path freeNameIn(const std::filesystem::path& dir, std::string_view name);

// Moves `file` into `dir` (same file system) as freeNameIn(dir, its name), never over an existing
// file (renameat2 RENAME_NOREPLACE: a name taken meanwhile tries the next), and fsyncs both
// directories. When `reason` is set, "<final name>.reason.json" holding it is written (temporary,
// fsync, rename, directory fsync) before the file is moved, so a file in done/ or error/ always
// has its reason beside it. Returns where the file went.
Result<std::filesystem::path> moveWithReason(const std::filesystem::path& file,
                                             const std::filesystem::path& dir,
                                             const std::optional<std::string>& reason);

// fsync of a directory, so that a rename in it survives a crash.
Status syncDirectory(const std::filesystem::path& dir);

}  // namespace fhir837::inbox
