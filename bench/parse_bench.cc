// fhir837_parse_bench: parseFhirJson + bindResource on one generated NDJSON line of each of the
// two resource types that dominate a bulk export, to compare with fhir837_rapidjson_floor.

#include <benchmark/benchmark.h>

#include <string>

#include "bulk_resources.h"
#include "fhir_json/fhir_json_parser.h"
#include "fhir_tree/model_binder.h"

namespace {

using namespace fhir837;
using namespace fhir837::bench;

struct Lines {
  std::string medicationAdministration;
  std::string encounter;
};

const Lines& lines() {
  static const Lines all = [] {
    Rng rng(42);
    PatientPlan patient = planPatient(1, rng);
    EncounterPlan visit = planEncounter(1, rng);
    visit.withDevice = true;
    return Lines{medicationAdministration(patient, visit), encounter(patient, visit)};
  }();
  return all;
}

void parseAndBind(benchmark::State& state, const std::string& line) {
  for (auto _ : state) {
    auto doc = parseFhirJson(line, "bench.ndjson");
    if (!doc) {
      state.SkipWithError(doc.error().describe().c_str());
      return;
    }
    auto bound = bindResource(doc->root, "bench.ndjson");
    if (!bound) {
      state.SkipWithError(bound.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(bound);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}

void BM_MedicationAdministrationLine(benchmark::State& state) {
  parseAndBind(state, lines().medicationAdministration);
}
BENCHMARK(BM_MedicationAdministrationLine);

void BM_EncounterLine(benchmark::State& state) { parseAndBind(state, lines().encounter); }
BENCHMARK(BM_EncounterLine);

void BM_MedicationAdministrationParseOnly(benchmark::State& state) {
  const std::string& line = lines().medicationAdministration;
  for (auto _ : state) {
    auto doc = parseFhirJson(line, "bench.ndjson");
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_MedicationAdministrationParseOnly);

}  // namespace

BENCHMARK_MAIN();
