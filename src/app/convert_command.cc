#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <thread>

#include "app/app_context.h"
#include "app/commands.h"
#include "app/input_bytes.h"
#include "app/progress_bar.h"
#include "engine/converter.h"
#include "store/state_store.h"

namespace fhir837::app {

void addConvertCommand(CLI::App& app, ConvertArgs& args) {
  CLI::App* convert = app.add_subcommand(
      "convert", "Convert FHIR R4 Bundles/resources (JSON or XML) into X12 837 interchanges");
  convert->add_option("--config", args.config, "Configuration file (default: config/fhir837.toml)");
  convert->add_option("--state-dir", args.stateDir,
                      "Control numbers and billed-event ledger (default: engine.state_dir)");
  convert->add_option("-o,--output", args.outputDir, "Directory for .837 files and report.json")
      ->required();
  convert
      ->add_option("--form", args.form, "Claim form: 837P or 837I (overrides the billing profile)")
      ->check(CLI::IsMember({"837P", "837I"}));
  convert
      ->add_option("-j,--jobs", args.jobs,
                   "Worker threads (default: every core); the output never depends on it")
      ->check(CLI::Range(0u, 256u));
  convert->add_flag("-q,--quiet", args.quiet,
                    "Nothing on stderr: no progress bar, no summary line");
  convert
      ->add_option("inputs", args.inputs,
                   "Files, directories, .gz/.zip/.tar/.tar.gz archives, or - for stdin (FHIR "
                   "JSON/XML Bundles or resources, NDJSON bulk exports)")
      ->required();
}

int runConvert(const ConvertArgs& args) {
  auto context = loadAppContext(args.config);
  if (!context) return kExitUsage;
  auto store = StateStore::open(args.stateDir.empty() ? context->config.stateDir
                                                      : std::filesystem::path(args.stateDir));
  if (!store) return printError(store.error());

  ConvertOptions options;
  for (const auto& input : args.inputs) options.inputs.emplace_back(input);
  options.outputDir = args.outputDir;
  options.jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (args.form == "837I") options.form = ClaimForm::k837I;
  if (args.form == "837P") options.form = ClaimForm::k837P;
  // The bar is for people watching a terminal; logs and pipes get the summary line alone.
  ConvertProgress progress;
  std::unique_ptr<ProgressBar> bar;
  if (!args.quiet && isatty(STDERR_FILENO)) {
    progress.totalBytes = measurableInputBytes(options.inputs);
    options.progress = &progress;
    bar = std::make_unique<ProgressBar>(progress, stderr);
  }
  auto report =
      convertInputs(context->config, context->codingTables(), options, *context->clock, **store);
  if (bar) bar->stop();
  if (!report) return printError(report.error());

  if (!args.quiet) {
    std::cerr << "fhir837: " << report->inputs.size() << " input(s), " << report->claimCount()
              << " claim(s) in " << report->interchanges.size() << " interchange(s), "
              << report->outcomeCount() << " event(s) not billed; wrote " << args.outputDir
              << "/report.json\n";
  }
  for (const auto& ic : report->interchanges) {
    std::cout << (std::filesystem::path(args.outputDir) / ic.file).string() << "\n";
  }
  return report->hasProblems() ? kExitProblems : kExitOk;
}

}  // namespace fhir837::app
