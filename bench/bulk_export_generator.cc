// fhir837_bulk_generator OUTDIR --size-mib N [--seed S]
//
// Writes a synthetic FHIR bulk-data export (one NDJSON file per resource type) of SC
// immune-globulin infusion encounters, about N MiB in total, for throughput benchmarks of
// `fhir837 convert`. Ids are unique and the output is byte-for-byte the same for a given seed.
// All people, organisations and identifiers are fictitious (NPIs carry a valid check digit).

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "bulk_resources.h"

namespace {

namespace fs = std::filesystem;
using namespace fhir837::bench;

class Export {
 public:
  explicit Export(fs::path dir) : dir_(std::move(dir)) {}

  bool write(const std::string& type, const std::string& line) {
    auto& file = files_[type];
    if (!file.out.is_open()) {
      file.out.open(dir_ / (type + ".ndjson"), std::ios::binary | std::ios::trunc);
      if (!file.out) return false;
    }
    file.out << line << '\n';
    file.bytes += line.size() + 1;
    ++file.lines;
    total_ += line.size() + 1;
    return static_cast<bool>(file.out);
  }

  bool close() {
    bool ok = true;
    for (auto& [type, file] : files_) {
      file.out.close();
      ok = ok && !file.out.fail();
      std::printf("%-26s %9zu lines %12zu bytes\n", (type + ".ndjson").c_str(), file.lines,
                  file.bytes);
    }
    std::printf("%-26s %9s       %12zu bytes\n", "total", "", total_);
    return ok;
  }

  std::size_t total() const { return total_; }

 private:
  struct File {
    std::ofstream out;
    std::size_t lines = 0;
    std::size_t bytes = 0;
  };
  fs::path dir_;
  std::map<std::string, File> files_;
  std::size_t total_ = 0;
};

int usage() {
  std::fprintf(stderr, "usage: fhir837_bulk_generator OUTDIR --size-mib N [--seed S]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path outDir;
  double sizeMib = -1;
  unsigned long long seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--size-mib" && i + 1 < argc) {
      sizeMib = std::strtod(argv[++i], nullptr);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (!arg.empty() && arg[0] != '-' && outDir.empty()) {
      outDir = arg;
    } else {
      return usage();
    }
  }
  if (outDir.empty() || !(sizeMib > 0)) return usage();
  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) {
    std::fprintf(stderr, "cannot create %s: %s\n", outDir.c_str(), ec.message().c_str());
    return 1;
  }

  Export out(outDir);
  bool ok = true;
  for (int i = 0; i < kBillingOrgs; ++i)
    ok = ok && out.write("Organization", billingOrganization(i));
  for (int i = 0; i < kPayers; ++i) ok = ok && out.write("Organization", payerOrganization(i));
  for (int i = 0; i < kPractitioners; ++i) ok = ok && out.write("Practitioner", practitioner(i));
  for (int i = 0; i < kBillingOrgs; ++i) ok = ok && out.write("Location", location(i));
  for (int i = 0; i < kDevices; ++i) ok = ok && out.write("Device", device(i));
  ok = ok && out.write("Medication", medication());

  const auto target = static_cast<std::size_t>(sizeMib * 1024 * 1024);
  Rng rng(seed);
  int encounterNumber = 0;
  for (int n = 1; ok && out.total() < target; ++n) {
    PatientPlan plan = planPatient(n, rng);
    ok = out.write("Patient", patient(plan, rng)) && out.write("Coverage", coverage(plan, rng)) &&
         out.write("Condition", condition(plan));
    int encounters = rng.between(1, 5);
    for (int k = 0; ok && k < encounters; ++k) {
      EncounterPlan visit = planEncounter(++encounterNumber, rng);
      ok = out.write("Encounter", encounter(plan, visit)) &&
           out.write("MedicationAdministration", medicationAdministration(plan, visit));
    }
  }
  if (!out.close() || !ok) {
    std::fprintf(stderr, "write failed in %s\n", outDir.c_str());
    return 1;
  }
  return 0;
}
