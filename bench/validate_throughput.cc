// fhir837_validate_bench: writes an N-claim 837P file (default 100,000 claims) to a temp file,
// validates it with the streaming validator and reports MB/s and peak RSS, to show that memory
// does not grow with file size. Usage: fhir837_validate_bench [claims] [file]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../tests/unit/validation/synthetic_837.h"
#include "engine/validation/x12_validator.h"

namespace {

long peakRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t claims = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  const std::filesystem::path path =
      argc > 2 ? std::filesystem::path(argv[2])
               : std::filesystem::temp_directory_path() / "fhir837_validate_bench.x12";
  {
    std::ofstream out(path, std::ios::binary);
    fhir837::testing::writeSynthetic837P(out, claims);
  }
  const long rssBefore = peakRssKib();
  const auto bytes = std::filesystem::file_size(path);
  std::ifstream in(path, std::ios::binary);
  fhir837::validation::CollectingSink sink;
  const auto start = std::chrono::steady_clock::now();
  auto summary = fhir837::validation::validateStream(in, sink);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!summary) {
    std::fprintf(stderr, "unreadable: %s\n", summary.error().describe().c_str());
    return 2;
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("claims=%llu bytes=%llu segments=%llu errors=%llu\n",
              static_cast<unsigned long long>(summary->claims),
              static_cast<unsigned long long>(bytes),
              static_cast<unsigned long long>(summary->segments),
              static_cast<unsigned long long>(sink.errors()));
  std::printf("seconds=%.3f MB/s=%.1f peak_rss_kib_before=%ld peak_rss_kib_after=%ld\n", seconds,
              mb / seconds, rssBefore, peakRssKib());
  if (argc <= 2) std::filesystem::remove(path);
  return sink.errors() == 0 ? 0 : 1;
}
