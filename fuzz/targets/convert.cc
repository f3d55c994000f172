#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "../fuzz_targets.h"
#include "engine/config/config_loader.h"
#include "engine/config/table_loader.h"
#include "engine/converter.h"
#include "store/state_store.h"

namespace fhir837::fuzz {

namespace {

namespace fs = std::filesystem;

// Loaded once per process: the shipped config and tables, as `fhir837 explain` uses them.
struct Pipeline {
  AppConfig config;
  LoadedTables tables;
  FixedClock clock{1700000000};
  fs::path input;

  static Pipeline& instance() {
    static Pipeline* pipeline = [] {
      auto* p = new Pipeline;
      auto config = loadConfig(fs::path(FHIR837_SOURCE_DIR) / "config" / "fhir837.toml");
      if (!config) std::abort();  // a broken checkout, not a finding
      p->config = std::move(*config);
      auto tables = loadTables(p->config);
      if (!tables) std::abort();
      p->tables = std::move(*tables);
      p->input = fs::temp_directory_path() / ("fhir837-fuzz-" + std::to_string(::getpid()));
      return p;
    }();
    return *pipeline;
  }
};

}  // namespace

// One FHIR document (Bundle, resource or NDJSON, JSON or XML: the content decides) through the
// whole of `explain`: source sniffing, parser, binder, index, assembler, coder, claim builder
// and the one-claim emitter check. The assembler is where real data crashed convert (issue 9),
// and no parser-level target reaches it. A run may end in any outcome but must not crash.
int convert(const std::uint8_t* data, std::size_t size) {
  Pipeline& p = Pipeline::instance();
  {
    std::ofstream out(p.input, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto store = StateStore::openInMemory();
  if (!store) std::abort();
  ConvertOptions options;
  options.inputs = {p.input};
  options.writeFiles = false;
  options.limits.maxBytes = 1u << 20;
  CodingTables tables{&p.tables.routes, &p.tables.ndc, &p.tables.families, &p.tables.ncci};
  auto report = convertInputs(p.config, tables, options, p.clock, **store);
  volatile bool ok = static_cast<bool>(report);
  (void)ok;
  return 0;
}

}  // namespace fhir837::fuzz
