#include "sources/files/content_kind.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace fhir837 {

namespace {

constexpr std::size_t kFirstSniffBytes = 4u << 10;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Index just past the object/array starting at `start`, or npos when a newline comes first or
// head ends first. JSON strings cannot hold a raw newline, so a newline inside one also stops.
std::size_t endOfFirstValue(std::string_view head, std::size_t start) {
  std::size_t depth = 0;
  bool inString = false;
  bool escaped = false;
  for (std::size_t i = start; i < head.size(); ++i) {
    char c = head[i];
    if (c == '\n') return std::string_view::npos;
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return std::string_view::npos;
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

const char* toString(ContentKind kind) {
  switch (kind) {
    case ContentKind::kFhirJson:
      return "fhir-json";
    case ContentKind::kNdjson:
      return "ndjson";
    case ContentKind::kFhirXml:
      return "fhir-xml";
    case ContentKind::kUnknown:
      break;
  }
  return "unknown";
}

bool hasNdjsonName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view s(lower);
  if (endsWith(s, ".gz")) s.remove_suffix(3);
  return endsWith(s, ".ndjson") || endsWith(s, ".jsonl");
}

ContentKind sniffContent(std::string_view head, bool complete, std::string_view name) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  std::size_t i = 0;
  while (i < head.size() && isSpace(head[i])) ++i;
  if (i == head.size()) return ContentKind::kUnknown;
  if (head[i] == '<') return ContentKind::kFhirXml;
  if (head[i] != '{') return ContentKind::kUnknown;
  const ContentKind ambiguous = hasNdjsonName(name) ? ContentKind::kNdjson : ContentKind::kFhirJson;

  std::size_t end = endOfFirstValue(head, i);
  if (end == std::string_view::npos) {
    // The first object spans lines (a pretty-printed document) or runs past head.
    bool newlineSeen = head.find('\n', i) != std::string_view::npos;
    return newlineSeen || complete ? ContentKind::kFhirJson : ambiguous;
  }
  std::size_t j = end;
  while (j < head.size() && (head[j] == ' ' || head[j] == '\t' || head[j] == '\r')) ++j;
  if (j == head.size()) return ambiguous;
  if (head[j] != '\n') return ContentKind::kFhirJson;
  while (j < head.size() && isSpace(head[j])) ++j;
  if (j == head.size()) return ambiguous;
  return head[j] == '{' ? ContentKind::kNdjson : ContentKind::kFhirJson;
}

ContentKind sniffStream(PeekableStream& stream, std::string_view name) {
  std::size_t size = kFirstSniffBytes;
  while (true) {
    std::string_view head = stream.peek(size);
    bool complete = stream.peekedToEnd();
    // Enough once the first line and the start of the second are in view.
    std::size_t lf = head.find('\n');
    bool enough = lf != std::string_view::npos &&
                  head.find_first_not_of(" \t\r\n", lf) != std::string_view::npos;
    if (complete || enough || size >= kMaxSniffBytes) return sniffContent(head, complete, name);
    size = std::min(size * 4, kMaxSniffBytes);
  }
}

}  // namespace fhir837
