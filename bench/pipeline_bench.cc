// fhir837_pipeline_bench: the stages after parsing, on the same synthetic encounters as
// fhir837_parse_bench: assembling, coding and building one claim (BM_AssembleAndCode), and
// emitting N built claims as one 837P interchange (BM_Emit837P/N), and the ledger checks of one
// claim (BM_LedgerChecks). Parsing and indexing happen once, outside the timed loops, so each
// case measures one stage.

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bulk_resources.h"
#include "encounter_coder.h"
#include "engine/claim_builder.h"
#include "engine/clock.h"
#include "engine/config/config_loader.h"
#include "engine/config/table_loader.h"
#include "engine/coverage_index.h"
#include "engine/interchange_writer.h"
#include "engine/resource_index.h"
#include "fhir_json/fhir_json_parser.h"
#include "fhir_tree/model_binder.h"
#include "store/state_store.h"

namespace {

using namespace fhir837;
using namespace fhir837::bench;

// The encounters' resources parsed and indexed as `convert` sees a bulk export (one global
// scope), with the shipped configuration and coding tables. Kept behind a unique_ptr and never
// moved: the scope's functions point into it.
struct Pipeline {
  AppConfig config;
  LoadedTables tables;
  ResourceIndex index;
  CoverageIndex coverages;
  ResourceScope scope;
  std::vector<const AnyResource*> administrations;  // one per encounter, in generation order
  std::string error;                                // why set-up failed; empty when ready

  CodingTables codingTables() const {
    return {&tables.routes, &tables.ndc, &tables.families, &tables.ncci};
  }
};

// The shipped configuration's MUE for 96370 is 3 units, which INF-D1 (the first add-on hour at
// 91 minutes, each further one 60 minutes later) passes at 271 minutes. The bulk generator plans
// infusions up to 300 minutes, and convert bills the longer ones as needs-review; the benchmarks
// measure billed claims, so their infusions are cut to this length. Only the length changes: the
// generator's random sequence, and so every other field, stays the same.
constexpr int kLongestBilledInfusionMinutes = 270;

std::vector<std::string> encounterLines(int encounters) {
  std::vector<std::string> lines;
  for (int i = 0; i < kBillingOrgs; ++i) lines.push_back(billingOrganization(i));
  for (int i = 0; i < kPayers; ++i) lines.push_back(payerOrganization(i));
  for (int i = 0; i < kPractitioners; ++i) lines.push_back(practitioner(i));
  for (int i = 0; i < kBillingOrgs; ++i) lines.push_back(location(i));
  for (int i = 0; i < kDevices; ++i) lines.push_back(device(i));
  lines.push_back(medication());
  Rng rng(42);
  for (int n = 1; n <= encounters; ++n) {  // one encounter per patient: one claim each
    PatientPlan plan = planPatient(n, rng);
    lines.push_back(patient(plan, rng));
    lines.push_back(coverage(plan, rng));
    lines.push_back(condition(plan));
    EncounterPlan visit = planEncounter(n, rng);
    visit.minutes = std::min(visit.minutes, kLongestBilledInfusionMinutes);
    lines.push_back(encounter(plan, visit));
    lines.push_back(medicationAdministration(plan, visit));
  }
  return lines;
}

std::unique_ptr<Pipeline> buildPipeline(int encounters) {
  auto p = std::make_unique<Pipeline>();
  auto config = loadConfig(FHIR837_SOURCE_DIR "/config/fhir837.toml");
  if (!config) {
    p->error = config.error().describe();
    return p;
  }
  p->config = std::move(*config);
  auto tables = loadTables(p->config);
  if (!tables) {
    p->error = tables.error().describe();
    return p;
  }
  p->tables = std::move(*tables);
  for (const std::string& line : encounterLines(encounters)) {
    auto doc = parseFhirJson(line, "bench.ndjson");
    if (!doc) {
      p->error = doc.error().describe();
      return p;
    }
    auto bound = bindResource(doc->root, "bench.ndjson");
    if (!bound) {
      p->error = bound.error().describe();
      return p;
    }
    const bool isEvent = bound->as<MedicationAdministration>() != nullptr;
    const AnyResource& stored = p->index.add(std::move(*bound));
    if (isEvent) p->administrations.push_back(&stored);
  }
  const ResourceIndex* index = &p->index;
  p->scope.resources = index->resources();
  p->scope.resolve = [index](const Reference& ref, const AnyResource& from,
                             const std::string& where) { return index->resolve(ref, from, where); };
  p->coverages.build(p->scope.resources, p->scope.resolve);
  const CoverageIndex* coverages = &p->coverages;
  p->scope.coveragesFor = [coverages](const AnyResource* patient) {
    return coverages->find(patient);
  };
  return p;
}

const Pipeline& pipelineWith(int encounters) {
  static std::map<int, std::unique_ptr<Pipeline>> built;
  auto& slot = built[encounters];
  if (!slot) slot = buildPipeline(encounters);
  return *slot;
}

// What convert does per event, for an encounter of one event: assemble, code, build the claim.
Result<Claim> assembleCodeBuild(const Pipeline& p, const AnyResource& administration) {
  auto assembled = assembleAdministration(administration, p.scope, p.config, std::nullopt);
  if (!assembled) return assembled.error();
  const PayerProfile& profile = *assembled->payerProfile;
  CodingPolicy policy;
  policy.form = assembled->header.form;
  policy.addOn = profile.addOn;
  policy.jwJzRequired = profile.jwJzRequired;
  policy.ndcRequired = profile.ndcRequired;
  policy.mueUnits = profile.mueUnits;
  policy.xModifiers = profile.xModifiers;
  policy.stoppedBillsActualTime = p.config.stoppedBillsActualTime;
  std::vector<EventCoding> codings = codeEncounter({assembled->facts}, policy, p.codingTables());
  if (codings.size() != 1 || codings.front().kind != OutcomeKind::kBilled) {
    const EventCoding& coding = codings.front();
    return makeError(ErrorCode::kRejected,
                     std::string("not billed: ") + toString(coding.kind) + " " + coding.reason,
                     coding.path, coding.rule);
  }
  BilledEvent billed{std::move(*assembled), std::move(codings.front())};
  return buildClaim({&billed}, p.config.feeCentsPerUnit, p.config.institutional);
}

void BM_AssembleAndCode(benchmark::State& state) {
  const Pipeline& p = pipelineWith(1);
  if (!p.error.empty() || p.administrations.size() != 1) {
    state.SkipWithError(("set-up failed: " + p.error).c_str());
    return;
  }
  for (auto _ : state) {
    auto claim = assembleCodeBuild(p, *p.administrations.front());
    if (!claim) {
      state.SkipWithError(claim.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(claim);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AssembleAndCode);

constexpr int kMostClaims = 5000;  // the TR3's recommended maximum per transaction set

// kMostClaims distinct 837P claims (one patient each), built once; error() says why not.
const Result<std::vector<Claim>>& builtClaims() {
  static const Result<std::vector<Claim>> claims = []() -> Result<std::vector<Claim>> {
    const Pipeline& p = pipelineWith(kMostClaims);
    if (!p.error.empty()) return makeError(ErrorCode::kConfig, "set-up failed: " + p.error);
    std::vector<Claim> out;
    for (const AnyResource* administration : p.administrations) {
      auto claim = assembleCodeBuild(p, *administration);
      if (!claim) return claim.error();
      if (claim->form != ClaimForm::k837P) {
        return makeError(ErrorCode::kUnsupported, "claim is not 837P", administration->id());
      }
      out.push_back(std::move(*claim));
    }
    return out;
  }();
  return claims;
}

void BM_Emit837P(benchmark::State& state) {
  const auto& claims = builtClaims();
  if (!claims) {
    state.SkipWithError(claims.error().describe().c_str());
    return;
  }
  const auto count = static_cast<std::size_t>(state.range(0));
  if (claims->size() < count) {
    state.SkipWithError("fewer claims were built than asked for");
    return;
  }
  const std::span<const Claim> batch(claims->data(), count);
  const FixedClock clock(1741775400);
  const Envelope envelope = envelopeFor(pipelineWith(kMostClaims).config, clock, 1);
  const Emitter& emitter = emitterFor(ClaimForm::k837P);
  std::int64_t bytes = 0;
  for (auto _ : state) {
    auto text = emitter.emit(batch, envelope);
    if (!text) {
      state.SkipWithError(text.error().describe().c_str());
      return;
    }
    bytes += static_cast<std::int64_t>(text->size());
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_Emit837P)->Arg(1)->Arg(100)->Arg(kMostClaims)->Unit(benchmark::kMicrosecond);

// A state dir whose ledger holds kMostClaims billed events (one claim each), removed at exit.
struct BilledLedger {
  std::filesystem::path dir;
  std::unique_ptr<StateStore> store;
  std::string error;  // why set-up failed; empty when ready

  BilledLedger() {
    char name[] = "/tmp/fhir837-ledger-bench-XXXXXX";
    if (mkdtemp(name) == nullptr) {
      error = "no temp dir";
      return;
    }
    dir = name;
    auto opened = StateStore::open(dir);
    if (!opened) {
      error = opened.error().describe();
      return;
    }
    store = std::move(*opened);
    std::vector<LedgerEntry> entries;
    for (int n = 0; n < kMostClaims; ++n) {
      const std::string id = std::to_string(n);
      entries.push_back({"MedicationAdministration/ma" + id, "INF" + id, "", 0,
                         "P|Encounter/enc" + id + "|60054|W" + id});
    }
    auto reserved = store->reserveInterchange(
        "bench", [this](std::uint64_t) { return (dir / "bench.837").string(); }, entries);
    if (!reserved) error = reserved.error().describe();
    if (reserved) (void)store->confirmInterchange(reserved->file);
  }
  ~BilledLedger() {
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// The ledger checks merge() makes for a claim of one event that was not billed before
// (findBilled, claimIdOfOtherEncounter, findBilledClaim), on a ledger of kMostClaims rows: each
// lookup alone (arg 0) or the claim's three in one read batch (arg 1).
void BM_LedgerChecks(benchmark::State& state) {
  static BilledLedger ledger;
  if (!ledger.error.empty()) {
    state.SkipWithError(("set-up failed: " + ledger.error).c_str());
    return;
  }
  StateStore& store = *ledger.store;
  const bool batched = state.range(0) == 1;
  int n = kMostClaims;
  for (auto _ : state) {
    const std::string id = std::to_string(n++);
    std::optional<LedgerReadBatch> reads;
    if (batched) reads.emplace(store);
    auto event = store.findBilled("MedicationAdministration/ma" + id);
    auto other = store.claimIdOfOtherEncounter("INF" + id, "Encounter/enc" + id);
    auto claim = store.findBilledClaim("P|Encounter/enc" + id + "|60054|W" + id, "INF" + id);
    if (!event || !other || !claim || *event || *other || *claim) {
      state.SkipWithError("a lookup failed or found a row");
      return;
    }
    if (reads && !reads->end()) {
      state.SkipWithError("the read batch did not end");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LedgerChecks)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
