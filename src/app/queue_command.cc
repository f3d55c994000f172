#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "app/app_context.h"
#include "app/commands.h"
#include "engine/serve/queue_json.h"
#include "engine/serve/queue_service.h"

namespace fhir837::app {

namespace {

void addCommon(CLI::App* command, QueueArgs& args) {
  command->add_option("--config", args.config, "Configuration file (default: config/fhir837.toml)");
  command->add_option("--state,--state-dir", args.stateDir,
                      "The daemon's state dir (default: serve.state_dir, else engine.state_dir)");
  command->add_flag("--json", args.json, "JSON output");
}

// Who did it, for the record: the login name of the operator running the command.
std::string operatorName() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user && *user ? user : std::to_string(::getuid()));
}

int printAction(const serve::QueueAction& action, bool json) {
  if (json) {
    std::cout << serve::queueActionJson(action) << "\n";
  } else {
    std::cout << action.item << ": " << action.action << " " << action.state;
    if (!action.result.empty()) std::cout << ": " << action.result;
    if (action.state == "pending") std::cout << " (the running daemon applies it)";
    std::cout << "\n";
  }
  return action.state == "failed" ? kExitProblems : kExitOk;
}

// An item that is not there or not open is the operator's problem (1), not a usage error (2).
int printItemError(const Error& error) {
  if (error.code != ErrorCode::kUnresolvedReference && error.code != ErrorCode::kInvalidValue &&
      error.code != ErrorCode::kMissingElement) {
    return printError(error);
  }
  std::cerr << "fhir837: " << error.describe() << "\n";
  return kExitProblems;
}

}  // namespace

void addQueueCommand(CLI::App& app, QueueArgs& args) {
  CLI::App* queue = app.add_subcommand(
      "queue", "The daemon's review queue and dead letter: list, show, retry or drop an item");
  queue->require_subcommand(1);
  args.list = queue->add_subcommand("list", "Open items: kind, id, rule, age, reason");
  addCommon(args.list, args);
  args.list->add_flag("--all", args.all, "Dropped and retried items too");
  args.show = queue->add_subcommand("show", "One item in full, with its trail");
  addCommon(args.show, args);
  args.show->add_option("id", args.id, "review:Type/id or dead:N")->required();
  args.show->add_flag("--body", args.body, "A dead letter's body too");
  args.retry = queue->add_subcommand(
      "retry", "Bill a review item's encounter again, or take a dead letter's body in again");
  addCommon(args.retry, args);
  args.retry->add_option("id", args.id, "review:Type/id or dead:N")->required();
  args.drop = queue->add_subcommand("drop", "Take an item off the list, recording why");
  addCommon(args.drop, args);
  args.drop->add_option("id", args.id, "review:Type/id or dead:N")->required();
  args.drop->add_option("--reason", args.reason, "Why (recorded with who and when)")->required();
}

int runQueue(const QueueArgs& args) {
  auto context = loadAppContext(args.config);
  if (!context) return kExitUsage;
  const ServeSettings& settings = context->config.serve;
  serve::QueueServiceOptions options;
  options.stateDir = !args.stateDir.empty()       ? std::filesystem::path(args.stateDir)
                     : !settings.stateDir.empty() ? settings.stateDir
                                                  : context->config.stateDir;
  options.limits.maxBytes = settings.maxBodyBytes;
  SystemClock clock;
  auto service = serve::makeQueueService(options, clock);
  if (!service) return printError(service.error());
  const std::int64_t now = clock.nowEpochSeconds();
  if (args.list->parsed()) {
    auto items = (*service)->list(args.all);
    if (!items) return printError(items.error());
    if (args.json) {
      std::cout << serve::queueListJson(*items, now) << "\n";
      return kExitOk;
    }
    for (const serve::QueueItem& item : *items) {
      std::cout << item.kind << "\t" << item.id << "\t" << item.rule << "\t"
                << serve::queueAge(item, now) << "\t";
      if (args.all) std::cout << item.state << "\t";
      std::cout << item.reason << "\n";
    }
    return kExitOk;
  }
  if (args.show->parsed()) {
    auto item = (*service)->show(args.id, args.body);
    if (!item) return printError(item.error());
    if (!*item) {
      return printItemError(makeError(ErrorCode::kUnresolvedReference,
                                      "no such item in the queue (billed, or never there)",
                                      args.id));
    }
    std::cout << serve::queueItemJson(**item, now, true) << "\n";
    return kExitOk;
  }
  auto action = args.retry->parsed() ? (*service)->retry(args.id, operatorName())
                                     : (*service)->drop(args.id, args.reason, operatorName());
  if (!action) return printItemError(action.error());
  return printAction(*action, args.json);
}

}  // namespace fhir837::app
