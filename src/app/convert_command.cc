#include <cstdlib>
#include <iostream>

#include "app/commands.h"
#include "engine/config/config_loader.h"
#include "engine/config/table_loader.h"
#include "engine/converter.h"

namespace fhir837::app {

namespace {
constexpr int kExitOk = 0;
constexpr int kExitProblems = 1;
constexpr int kExitUsage = 2;

int fail(const Error& error) {
  std::cerr << "fhir837: " << error.describe() << "\n";
  return kExitUsage;
}

// SOURCE_DATE_EPOCH (reproducible-builds.org) pins every timestamp the emitter writes.
std::unique_ptr<Clock> makeClock(std::string& problem) {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (!epoch || !*epoch) return std::make_unique<SystemClock>();
  char* end = nullptr;
  long long value = std::strtoll(epoch, &end, 10);
  if (*end != '\0' || value < 0) {
    problem = "SOURCE_DATE_EPOCH must be a non-negative integer";
    return nullptr;
  }
  return std::make_unique<FixedClock>(value);
}
}  // namespace

void addConvertCommand(CLI::App& app, ConvertArgs& args) {
  CLI::App* convert = app.add_subcommand(
      "convert", "Convert FHIR R4 Bundles/resources (JSON or XML) into X12 837 interchanges");
  convert->add_option("--config", args.config, "Configuration file (default: config/fhir837.toml)");
  convert->add_option("--state-dir", args.stateDir,
                      "Control numbers and billed-event ledger (default: engine.state_dir)");
  convert->add_option("-o,--output", args.outputDir, "Directory for .837 files and report.json")
      ->required();
  convert->add_option("--form", args.form, "Claim form: 837P (837I comes later)")
      ->check(CLI::IsMember({"837P", "837I"}));
  convert->add_option("inputs", args.inputs, "Input files or directories")->required();
}

int runConvert(const ConvertArgs& args) {
  auto config = loadConfig(args.config.empty() ? defaultConfigPath() : std::filesystem::path(args.config));
  if (!config) return fail(config.error());
  auto tables = loadTables(*config);
  if (!tables) return fail(tables.error());
  std::string clockProblem;
  auto clock = makeClock(clockProblem);
  if (!clock) return fail(makeError(ErrorCode::kConfig, clockProblem, "SOURCE_DATE_EPOCH"));
  auto store = StateStore::open(args.stateDir.empty() ? config->stateDir : std::filesystem::path(args.stateDir));
  if (!store) return fail(store.error());

  ConvertOptions options;
  for (const auto& input : args.inputs) options.inputs.emplace_back(input);
  options.outputDir = args.outputDir;
  if (args.form == "837I") options.form = ClaimForm::k837I;
  if (args.form == "837P") options.form = ClaimForm::k837P;
  CodingTables codingTables{&tables->routes, &tables->ndc};
  auto report = convertInputs(*config, codingTables, options, *clock, **store);
  if (!report) return fail(report.error());

  std::size_t notBilled = report->outcomes.size();
  std::cerr << "fhir837: " << report->claims.size() << " claim(s) in "
            << report->interchanges.size() << " interchange(s), " << notBilled
            << " event(s) not billed; wrote " << args.outputDir << "/report.json\n";
  for (const auto& ic : report->interchanges) {
    std::cout << (std::filesystem::path(args.outputDir) / ic.file).string() << "\n";
  }
  return report->hasProblems() ? kExitProblems : kExitOk;
}

int runSelected(CLI::App& app, const ConvertArgs& convertArgs) {
  if (app.got_subcommand("convert")) return runConvert(convertArgs);
  return kExitUsage;
}

}  // namespace fhir837::app
