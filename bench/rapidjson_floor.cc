// fhir837_rapidjson_floor FILE...
//
// The speed floor for NDJSON parsing: every line of the given files parsed into a bare
// rapidjson::Document (no FHIR tree, no binding), lines split by the same NdjsonReader the
// converter uses. Prints lines, bytes and MB/s (1 MB = 10^6 bytes).

#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "ndjson/ndjson_reader.h"
#include "sources/archive/byte_streams.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fhir837_rapidjson_floor FILE...\n");
    return 2;
  }
  std::size_t lines = 0;
  std::size_t bytes = 0;
  std::size_t failures = 0;
  int status = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 1; i < argc; ++i) {
    fhir837::FileByteStream stream(argv[i], argv[i]);
    fhir837::NdjsonReader reader(stream, argv[i]);
    while (!reader.done()) {
      auto line = reader.next();
      if (!line) {
        std::fprintf(stderr, "%s\n", line.error().describe().c_str());
        status = 1;
        continue;
      }
      if (!*line) break;
      rapidjson::Document doc;
      doc.Parse((*line)->text.data(), (*line)->text.size());
      if (doc.HasParseError()) ++failures;
      ++lines;
      bytes += (*line)->text.size() + 1;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu lines, %.1f MB, %.3f s, %.1f MB/s, %zu parse failures\n", lines, bytes / 1e6,
              seconds, seconds > 0 ? bytes / 1e6 / seconds : 0.0, failures);
  return failures > 0 ? 1 : status;
}
