#pragma once

#include <cstddef>
#include <string_view>

#include "sources/archive/byte_streams.h"

namespace fhir837 {

enum class ContentKind { kUnknown, kFhirJson, kNdjson, kFhirXml };

const char* toString(ContentKind kind);

// How far sniffStream() looks for the end of the first line before deciding on the name alone.
inline constexpr std::size_t kMaxSniffBytes = 1u << 20;

// Classifies a decompressed stream from its first bytes (a UTF-8 BOM and leading whitespace are
// skipped). It never parses: the parsers report malformed input precisely, so any doubt goes to
// the single-document parser.
// - `<` → kFhirXml.
// - `{` whose object closes on the first line (strings and nesting respected), with only
//   whitespace after it on that line, followed (after blank lines) by another `{` → kNdjson.
// - Ambiguous: the first line is the whole input (one-line NDJSON and a minified document look
//   alike) or the first line is longer than `head` → kNdjson when the name ends in .ndjson or
//   .jsonl (a trailing .gz ignored, case-insensitive), else kFhirJson.
// - A first line that is not a one-line object (a broken NDJSON line) followed by a line that is
//   one whole resource (`{"resourceType"...}` at column 0, closing on its line) → kNdjson, so that
//   only the broken line is rejected.
// - Any other `{` start (a pretty-printed document, trailing bytes) → kFhirJson.
// - Anything else, or nothing → kUnknown.
// `complete` says that head is the whole stream.
ContentKind sniffContent(std::string_view head, bool complete, std::string_view name);

// Peeks at the stream (up to kMaxSniffBytes, less when the second line ends sooner) and calls
// sniffContent(); the stream still reads from its start afterwards.
ContentKind sniffStream(PeekableStream& stream, std::string_view name);

// True when `name` ends in .ndjson or .jsonl, ignoring a trailing .gz and case.
bool hasNdjsonName(std::string_view name);

}  // namespace fhir837
