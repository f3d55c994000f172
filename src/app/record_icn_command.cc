#include <iostream>

#include "app/app_context.h"
#include "app/commands.h"
#include "store/state_store.h"

namespace fhir837::app {

void addRecordIcnCommand(CLI::App& app, RecordIcnArgs& args) {
  CLI::App* command = app.add_subcommand(
      "record-icn",
      "Record the payer's claim control number (from its 277CA or 835) for a claim fhir837 sent, "
      "so that a later entered-in-error can be voided (REF*F8)");
  command->add_option("--config", args.config, "Configuration file (default: config/fhir837.toml)");
  command->add_option("--state-dir", args.stateDir, "State dir (default: engine.state_dir)");
  command->add_option("claim_id", args.claimId, "Our claim id (CLM01)")->required();
  command->add_option("payer_icn", args.payerIcn, "The payer's claim control number")->required();
}

int runRecordIcn(const RecordIcnArgs& args) {
  auto isPrintable = [](const std::string& text) {
    for (unsigned char c : text) {
      if (c < 0x21 || c > 0x7e || c == '*' || c == ':' || c == '^' || c == '~') return false;
    }
    return true;
  };
  if (args.payerIcn.empty() || args.payerIcn.size() > 50 || !isPrintable(args.payerIcn)) {
    return printError(makeError(ErrorCode::kInvalidValue,
                                "must be 1-50 printable characters without X12 delimiters",
                                "payer_icn"));
  }
  auto context = loadAppContext(args.config);
  if (!context) return kExitUsage;
  auto store = StateStore::open(args.stateDir.empty() ? context->config.stateDir
                                                      : std::filesystem::path(args.stateDir));
  if (!store) return printError(store.error());
  auto events = (*store)->eventsOnClaim(args.claimId);
  if (!events) return printError(events.error());
  if (*events == 0) {
    return printError(makeError(ErrorCode::kInvalidValue,
                                "no billed claim with this id in the ledger",
                                "claim_id " + args.claimId));
  }
  if (Status s = (*store)->recordPayerClaimNumber(args.claimId, args.payerIcn); !s) {
    return printError(s.error());
  }
  std::cerr << "fhir837: recorded the payer claim control number of claim " << args.claimId << "\n";
  return kExitOk;
}

}  // namespace fhir837::app
