#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace fhir837::app {

struct ConvertArgs {
  unsigned jobs = 0;  // 0 = every core
  bool quiet = false;
  std::string config;
  std::string stateDir;
  std::string outputDir;
  std::string form;
  std::vector<std::string> inputs;
};

struct ExplainArgs {
  std::string config;
  std::string form;
  bool json = false;
  std::vector<std::string> inputs;
};

struct RecordIcnArgs {
  std::string config;
  std::string stateDir;
  std::string claimId;
  std::string payerIcn;
};

// `token new`: a bearer token for `serve` (token_command.cc).
struct TokenArgs {
  std::string scopes;
  std::string label;
  std::string file;
};

struct QueueArgs {
  std::string config;
  std::string stateDir;
  std::string id;
  std::string reason;
  bool json = false;
  bool all = false;   // list: dropped and retried items too
  bool body = false;  // show: the dead letter's body
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* retry = nullptr;
  CLI::App* drop = nullptr;
};

void addConvertCommand(CLI::App& app, ConvertArgs& args);
void addRecordIcnCommand(CLI::App& app, RecordIcnArgs& args);
int runRecordIcn(const RecordIcnArgs& args);
void addQueueCommand(CLI::App& app, QueueArgs& args);
int runQueue(const QueueArgs& args);
void addExplainCommand(CLI::App& app, ExplainArgs& args);
int runConvert(const ConvertArgs& args);
int runExplain(const ExplainArgs& args);
void addTokenCommand(CLI::App& app, TokenArgs& args);
int runToken(const TokenArgs& args);

}  // namespace fhir837::app
