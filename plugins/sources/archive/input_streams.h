#pragma once

#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "core/result.h"
#include "ndjson/byte_stream.h"

namespace fhir837 {

// Names one stream handed to a visitor.
struct InputName {
  // For people and reports: "dir/a.json", "data.ndjson.gz", "export.zip!Patient.000.ndjson",
  // "-" for stdin.
  std::string display;
  // The file on disk holding the bytes (the archive for a member); "-" for stdin.
  std::filesystem::path path;
  // The member's path inside the archive; empty for a plain or gzip-compressed file.
  std::string member;
};

struct InputStreamOptions {
  // What `-` reads; nullptr = file descriptor 0. Tests inject a std::istringstream.
  std::istream* stdinStream = nullptr;
};

using InputVisitor = std::function<Status(const InputName&, ByteStream&)>;

// Streams every input to `visit`, one at a time, in order, in 64 KiB chunks (no input is ever
// loaded whole):
// - `-` is stdin; a command-line input that is not a regular file (a FIFO, /dev/stdin, <(cmd))
//   is read once as a stream; a directory is walked recursively in sorted path order, hidden
//   files and folders skipped; a missing input is an error (kIo naming it) before anything is
//   visited. What expandInputs() lists with a problem (a FIFO, device or dangling link inside a
//   directory, a directory that cannot be listed) is visited with a stream that fails at once
//   with that error (its rule id set).
// - The container is detected by content, never by name alone: gzip (1f 8b) is decompressed
//   (its display name stays the file's); zip ("PK\3\4") and tar ("ustar" at 257), plain or
//   gzip-compressed, give each regular member in archive order as "archive!member", skipping
//   hidden members (a path part starting with '.') and __MACOSX/. A member that is itself gzip
//   is decompressed; deeper nesting is passed on as is. A link, FIFO or device member is visited
//   with a stream that fails at once (INPUT-NOT-FILE); an archive with no member to visit (an
//   empty zip, a zip of directories, a gzip of zero blocks) is visited as the archive's own name
//   with a stream that fails at once (INPUT-EMPTY).
// - A corrupt or truncated file or member still reaches the visitor: its stream's read() returns
//   the error (kSyntax for bad data, kIo for the system) at the point of corruption. Iteration
//   then goes on with the next member (a zip on disk is reopened past a member whose data broke
//   the decoder) or the next input. A broken archive header that hides the rest of the archive
//   is visited as the archive's own name with a stream that fails at once.
// - The visitor may stop reading a stream early. An error it returns stops the iteration and is
//   returned as is.
Status forEachInputStream(const std::vector<std::filesystem::path>& inputs,
                          const InputVisitor& visit, const InputStreamOptions& options = {});

}  // namespace fhir837
