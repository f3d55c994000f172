#include <iostream>

#include "app/app_context.h"
#include "app/commands.h"
#include "engine/converter.h"
#include "store/state_store.h"

namespace fhir837::app {

void addExplainCommand(CLI::App& app, ExplainArgs& args) {
  CLI::App* explain = app.add_subcommand(
      "explain",
      "Show, per claim, each line with code, modifiers, units and the trail of rules behind it, "
      "and each event not billed with its reason. Writes and bills nothing.");
  explain->add_option("--config", args.config, "Configuration file (default: config/fhir837.toml)");
  explain->add_option("--form", args.form, "Claim form: 837P or 837I")
      ->check(CLI::IsMember({"837P", "837I"}));
  explain->add_flag("--json", args.json, "One JSON object per claim or not-billed event per line");
  explain->add_option("inputs", args.inputs, "Input files or directories")->required();
}

int runExplain(const ExplainArgs& args) {
  auto context = loadAppContext(args.config);
  if (!context) return kExitUsage;
  // A private in-memory ledger: explaining never reserves numbers nor marks events billed.
  auto store = StateStore::openInMemory();
  if (!store) return printError(store.error());
  ConvertOptions options;
  for (const auto& input : args.inputs) options.inputs.emplace_back(input);
  options.writeFiles = false;
  if (args.form == "837I") options.form = ClaimForm::k837I;
  if (args.form == "837P") options.form = ClaimForm::k837P;
  auto report =
      convertInputs(context->config, context->codingTables(), options, *context->clock, **store);
  if (!report) return printError(report.error());
  if (args.json) {
    for (const auto& claim : report->claims) std::cout << renderClaimJsonLine(claim) << "\n";
    for (const auto& outcome : report->outcomes)
      std::cout << renderOutcomeJsonLine(outcome) << "\n";
  } else {
    std::cout << renderExplanation(*report);
  }
  return report->hasProblems() ? kExitProblems : kExitOk;
}

}  // namespace fhir837::app
