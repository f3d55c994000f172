#include <CLI/CLI.hpp>

#include "app/app_context.h"
#include "app/commands.h"
#include "app/serve_command.h"
#include "app/validate_command.h"

#if FHIR837_WITH_JEMALLOC
// Read by jemalloc at start-up. Returning freed pages from a background thread instead of the
// worker threads halved a bulk conversion's system time (TLB shootdowns; docs/performance.md).
// MALLOC_CONF in the environment still overrides it.
extern "C" const char* malloc_conf;
const char* malloc_conf = "background_thread:true";
#endif

// fhir837: FHIR R4 drug administrations -> X12 837 claims. Exit codes: 0 everything became a claim
// or was rightly not billable (or every file is valid), 1 some input or event was rejected or
// needs review (or a file is invalid), 2 usage or configuration error.
int main(int argc, char** argv) {
  CLI::App app{"fhir837: FHIR R4 infusion events to X12 5010 837 claims"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "fhir837 0.1.0");
  fhir837::app::ConvertArgs convertArgs;
  fhir837::app::ExplainArgs explainArgs;
  fhir837::app::addConvertCommand(app, convertArgs);
  fhir837::app::addExplainCommand(app, explainArgs);
  fhir837::app::RecordIcnArgs recordIcnArgs;
  fhir837::app::addRecordIcnCommand(app, recordIcnArgs);
  fhir837::app::ValidateArgs validateArgs;
  fhir837::app::addValidateCommand(app, validateArgs);
  fhir837::app::QueueArgs queueArgs;
  fhir837::app::addQueueCommand(app, queueArgs);
  fhir837::app::ServeArgs serveArgs;
  fhir837::app::addServeCommand(app, serveArgs);
  fhir837::app::TokenArgs tokenArgs;
  fhir837::app::addTokenCommand(app, tokenArgs);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? fhir837::app::kExitOk : fhir837::app::kExitUsage;
  }
  if (app.got_subcommand("convert")) return fhir837::app::runConvert(convertArgs);
  if (app.got_subcommand("explain")) return fhir837::app::runExplain(explainArgs);
  if (app.got_subcommand("record-icn")) return fhir837::app::runRecordIcn(recordIcnArgs);
  if (app.got_subcommand("queue")) return fhir837::app::runQueue(queueArgs);
  if (app.got_subcommand("serve")) return fhir837::app::runServe(serveArgs);
  if (app.got_subcommand("validate")) return fhir837::app::runValidate(validateArgs);
  if (app.got_subcommand("token")) return fhir837::app::runToken(tokenArgs);
  return fhir837::app::kExitUsage;
}
