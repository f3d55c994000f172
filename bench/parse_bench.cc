// fhir837_parse_bench: parseFhirJson + bindResource (the tree path) and the SAX binder
// (trySaxBindFhirJson, no tree) on one generated NDJSON line of each of the two resource types
// that dominate a bulk export, to compare with fhir837_rapidjson_floor.

#include <benchmark/benchmark.h>

#include <string>

#include "bulk_resources.h"
#include "fhir_json/fhir_json_parser.h"
#include "fhir_json/json_model_binder.h"
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

// The tree path: parseFhirJson + bindResource. Returns whether the line bound.
bool treeBind(const std::string& line) {
  auto doc = parseFhirJson(line, "bench.ndjson");
  if (!doc) return false;
  auto bound = bindResource(doc->root, "bench.ndjson");
  benchmark::DoNotOptimize(bound);
  return bound.has_value();
}

// The SAX binder alone (no fallback): a decline is a failed run, not a slow one.
bool saxBind(const std::string& line) {
  auto bound = trySaxBindFhirJson(line);
  benchmark::DoNotOptimize(bound);
  return bound.has_value();
}

void bindLine(benchmark::State& state, const std::string& line, bool (*bind)(const std::string&)) {
  for (auto _ : state) {
    if (!bind(line)) {
      state.SkipWithError("the line did not bind");
      return;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}

void BM_MedicationAdministrationLine(benchmark::State& state) {
  bindLine(state, lines().medicationAdministration, treeBind);
}
BENCHMARK(BM_MedicationAdministrationLine);

void BM_EncounterLine(benchmark::State& state) { bindLine(state, lines().encounter, treeBind); }
BENCHMARK(BM_EncounterLine);

void BM_MedicationAdministrationLineSax(benchmark::State& state) {
  bindLine(state, lines().medicationAdministration, saxBind);
}
BENCHMARK(BM_MedicationAdministrationLineSax);

void BM_EncounterLineSax(benchmark::State& state) { bindLine(state, lines().encounter, saxBind); }
BENCHMARK(BM_EncounterLineSax);

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
