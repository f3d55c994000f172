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

// True when the first non-blank line after the line holding `start` is a whole one-line resource
// as bulk exports write them: `{` at column 0, `"resourceType"` as its first member, the object
// closing on that line with only blanks after it. The line at `start` is then a broken NDJSON
// line, not the start of a document (a document's second line never looks like that).
bool nextLineIsResource(std::string_view head, std::size_t start) {
  std::size_t lf = head.find('\n', start);
  while (lf != std::string_view::npos) {
    const std::size_t begin = lf + 1;
    const std::size_t end = head.find('\n', begin);
    if (end == std::string_view::npos) return false;  // not whole in head
    std::string_view line = head.substr(begin, end - begin);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      lf = end;
      continue;
    }
    if (line[0] != '{') return false;
    std::size_t member = line.find_first_not_of(" \t", 1);
    if (member == std::string_view::npos || line.substr(member, 14) != "\"resourceType\"") {
      return false;
    }
    const std::size_t close = endOfFirstValue(head, begin);
    if (close == std::string_view::npos || close > end) return false;
    return head.substr(close, end - close).find_first_not_of(" \t\r") == std::string_view::npos;
  }
  return false;
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
  if (head[i] != '{') {
    return nextLineIsResource(head, i) ? ContentKind::kNdjson : ContentKind::kUnknown;
  }
  const ContentKind ambiguous = hasNdjsonName(name) ? ContentKind::kNdjson : ContentKind::kFhirJson;

  std::size_t end = endOfFirstValue(head, i);
  if (end == std::string_view::npos) {
    // The first object spans lines (a pretty-printed document) or runs past head.
    bool newlineSeen = head.find('\n', i) != std::string_view::npos;
    if (newlineSeen && nextLineIsResource(head, i)) return ContentKind::kNdjson;
    return newlineSeen || complete ? ContentKind::kFhirJson : ambiguous;
  }
  std::size_t j = end;
  while (j < head.size() && (head[j] == ' ' || head[j] == '\t' || head[j] == '\r')) ++j;
  if (j == head.size()) return ambiguous;
  if (head[j] != '\n') {
    return nextLineIsResource(head, j) ? ContentKind::kNdjson : ContentKind::kFhirJson;
  }
  while (j < head.size() && isSpace(head[j])) ++j;
  if (j == head.size()) return ambiguous;
  return head[j] == '{' ? ContentKind::kNdjson : ContentKind::kFhirJson;
}

ContentKind sniffStream(PeekableStream& stream, std::string_view name) {
  std::size_t size = kFirstSniffBytes;
  while (true) {
    std::string_view head = stream.peek(size);
    bool complete = stream.peekedToEnd();
    // Enough once the first line and the whole second (non-blank) line are in view.
    std::size_t lf = head.find('\n');
    std::size_t second = lf == std::string_view::npos ? lf : head.find_first_not_of(" \t\r\n", lf);
    bool enough =
        second != std::string_view::npos && head.find('\n', second) != std::string_view::npos;
    if (complete || enough || size >= kMaxSniffBytes) return sniffContent(head, complete, name);
    size = std::min(size * 4, kMaxSniffBytes);
  }
}

}  // namespace fhir837
