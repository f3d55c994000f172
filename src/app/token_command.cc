#include <sys/stat.h>

#include <fstream>
#include <iostream>

#include "app/app_context.h"
#include "app/commands.h"
#include "sources/http/bearer_auth.h"

namespace fhir837::app {

void addTokenCommand(CLI::App& app, TokenArgs& args) {
  CLI::App* token = app.add_subcommand("token", "Bearer tokens for `fhir837 serve`");
  token->require_subcommand(1);
  CLI::App* make = token->add_subcommand(
      "new",
      "Make a random token: printed once on stdout (give it to the client), with the line for "
      "the [serve] tokens file, which holds only its SHA-256");
  make->add_option("--scopes", args.scopes,
                   "Comma-separated: fhir:read, fhir:write, metrics, admin")
      ->required();
  make->add_option("--label", args.label,
                   "Who uses it, for the access log (1-64 of A-Z a-z 0-9 . _ : @ -)")
      ->required();
  make->add_option("--file", args.file,
                   "Append the line to this tokens file (created 0600) instead of printing it");
}

int runToken(const TokenArgs& args) {
  auto scopes = http::parseScopes(args.scopes);
  if (!scopes) {
    Error error = scopes.error();
    error.where = "--scopes";
    return printError(error);
  }
  if (!http::isValidLabel(args.label)) {
    return printError(makeError(ErrorCode::kConfig,
                                "must be 1 to 64 characters of A-Z a-z 0-9 . _ : @ -", "--label"));
  }
  auto token = http::newToken();
  if (!token) return printError(token.error());
  const std::string line = http::tokenFileLine(*token, *scopes, args.label);
  if (!args.file.empty()) {
    // 0600: the hashes are no secret, but which clients exist and what they may do is nobody
    // else's business.
    const mode_t old = ::umask(077);
    std::ofstream out(args.file, std::ios::app);
    ::umask(old);
    out << line << "\n";
    out.close();
    if (!out) {
      return printError(makeError(ErrorCode::kIo, "cannot append to the tokens file", args.file));
    }
    std::cout << *token << std::endl;
    std::cerr << "fhir837: token line appended to " << args.file
              << " (the token above is not stored anywhere: keep it now)\n";
    return kExitOk;
  }
  std::cout << *token << "\n" << line << std::endl;
  return kExitOk;
}

}  // namespace fhir837::app
