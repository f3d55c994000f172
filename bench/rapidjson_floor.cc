// fhir837_rapidjson_floor [--sax-keys] FILE...
//
// The speed floor for NDJSON parsing: every line of the given files parsed into a bare
// rapidjson::Document (no FHIR tree, no binding), lines split by the same NdjsonReader the
// converter uses. Prints lines, bytes and MB/s (1 MB = 10^6 bytes).
//
// --sax-keys measures a key scan instead: a RapidJSON SAX Reader (no DOM) that keeps only the
// strings a first pass needs (resourceType, id and every "reference"), the lower bound for a
// first pass that indexes lines without binding them.

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ndjson/ndjson_reader.h"
#include "sources/archive/byte_streams.h"

namespace {

// Keeps resourceType and id at depth 1 and every "reference" string, copying them the way an
// index would; everything else is validated by the Reader and dropped.
class KeyScanHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, KeyScanHandler> {
 public:
  void reset() {
    depth_ = 0;
    wanted_ = Wanted::kNone;
    resourceType_.clear();
    id_.clear();
    references_.clear();
  }
  bool StartObject() {
    ++depth_;
    wanted_ = Wanted::kNone;
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    --depth_;
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    std::string_view key(text, length);
    if (depth_ == 1 && key == "resourceType") {
      wanted_ = Wanted::kResourceType;
    } else if (depth_ == 1 && key == "id") {
      wanted_ = Wanted::kId;
    } else if (key == "reference") {
      wanted_ = Wanted::kReference;
    } else {
      wanted_ = Wanted::kNone;
    }
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    switch (wanted_) {
      case Wanted::kResourceType:
        resourceType_.assign(text, length);
        break;
      case Wanted::kId:
        id_.assign(text, length);
        break;
      case Wanted::kReference:
        references_.emplace_back(text, length);
        break;
      case Wanted::kNone:
        break;
    }
    wanted_ = Wanted::kNone;
    return true;
  }
  bool Default() {
    wanted_ = Wanted::kNone;
    return true;
  }
  std::size_t kept() const {
    return (resourceType_.empty() ? 0 : 1) + (id_.empty() ? 0 : 1) + references_.size();
  }

 private:
  enum class Wanted { kNone, kResourceType, kId, kReference };
  int depth_ = 0;
  Wanted wanted_ = Wanted::kNone;
  std::string resourceType_;
  std::string id_;
  std::vector<std::string> references_;
};

}  // namespace

int main(int argc, char** argv) {
  int first = 1;
  bool saxKeys = false;
  if (argc > 1 && std::strcmp(argv[1], "--sax-keys") == 0) {
    saxKeys = true;
    first = 2;
  }
  if (argc <= first) {
    std::fprintf(stderr, "usage: fhir837_rapidjson_floor [--sax-keys] FILE...\n");
    return 2;
  }
  std::size_t lines = 0;
  std::size_t bytes = 0;
  std::size_t failures = 0;
  std::size_t kept = 0;
  int status = 0;
  rapidjson::Reader reader;
  KeyScanHandler handler;
  auto start = std::chrono::steady_clock::now();
  for (int i = first; i < argc; ++i) {
    fhir837::FileByteStream stream(argv[i], argv[i]);
    fhir837::NdjsonReader lineReader(stream, argv[i]);
    while (!lineReader.done()) {
      auto line = lineReader.next();
      if (!line) {
        std::fprintf(stderr, "%s\n", line.error().describe().c_str());
        status = 1;
        continue;
      }
      if (!*line) break;
      std::string_view text = (*line)->text;
      if (saxKeys) {
        handler.reset();
        rapidjson::MemoryStream input(text.data(), text.size());
        if (reader.Parse(input, handler).IsError()) ++failures;
        kept += handler.kept();
      } else {
        rapidjson::Document doc;
        doc.Parse(text.data(), text.size());
        if (doc.HasParseError()) ++failures;
      }
      ++lines;
      bytes += text.size() + 1;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu lines, %.1f MB, %.3f s, %.1f MB/s, %zu parse failures\n", lines, bytes / 1e6,
              seconds, seconds > 0 ? bytes / 1e6 / seconds : 0.0, failures);
  // Printed so the compiler cannot drop the kept strings as dead stores.
  if (saxKeys) std::fprintf(stderr, "key scan kept %zu values\n", kept);
  return failures > 0 ? 1 : status;
}
