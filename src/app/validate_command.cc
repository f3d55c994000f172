#include "app/validate_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "core/json_string.h"
#include "engine/validation/x12_validator.h"

namespace fhir837::app {

namespace {

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUnreadable = 2;

std::string jsonString(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

void printJson(const std::string& file, const validation::CollectingSink& sink,
               const validation::ValidationSummary* summary, const std::string& fatal) {
  std::string out = "{\"file\":" + jsonString(file);
  out += ",\"valid\":" + std::string(fatal.empty() && sink.errors() == 0 ? "true" : "false");
  if (!fatal.empty()) out += ",\"unreadable\":" + jsonString(fatal);
  if (summary != nullptr) {
    out += ",\"interchanges\":" + std::to_string(summary->interchanges) +
           ",\"transactions\":" + std::to_string(summary->transactions) +
           ",\"claims\":" + std::to_string(summary->claims) +
           ",\"segments\":" + std::to_string(summary->segments);
  }
  out += ",\"errors\":" + std::to_string(sink.errors()) +
         ",\"warnings\":" + std::to_string(sink.warnings()) +
         ",\"findingsOmitted\":" + std::to_string(sink.dropped()) + ",\"findings\":[";
  bool first = true;
  for (const auto& f : sink.findings()) {
    if (!first) out += ",";
    first = false;
    out += "{\"severity\":" + jsonString(validation::toString(f.severity)) +
           ",\"segment\":" + std::to_string(f.segment) +
           ",\"segmentId\":" + jsonString(f.segmentId) + ",\"loop\":" + jsonString(f.loop) +
           ",\"element\":" + jsonString(f.element) + ",\"message\":" + jsonString(f.message) + "}";
  }
  std::cout << out << "]}\n";
}

}  // namespace

void addValidateCommand(CLI::App& app, ValidateArgs& args) {
  CLI::App* validate = app.add_subcommand(
      "validate", "Check X12 837P (005010X222A1) / 837I (005010X223A2) files against the guide");
  validate->add_flag("--json", args.json, "One JSON object per file instead of text");
  validate->add_option("--max-findings", args.maxFindings,
                       "Findings listed per file (default 1000)");
  validate->add_option("inputs", args.inputs, "X12 files")->required();
}

int runValidate(const ValidateArgs& args) {
  int exitCode = kExitValid;
  for (const std::string& file : args.inputs) {
    validation::CollectingSink sink(args.maxFindings);
    std::ifstream in(file, std::ios::binary);
    std::string fatal;
    std::optional<validation::ValidationSummary> summary;
    if (!in) {
      fatal = "cannot open file";
    } else {
      auto result = validation::validateStream(in, sink);
      if (result) {
        summary = *result;
      } else {
        fatal = result.error().message;
      }
    }
    const bool valid = fatal.empty() && sink.errors() == 0;
    if (!fatal.empty()) {
      exitCode = kExitUnreadable;
    } else if (!valid && exitCode == kExitValid) {
      exitCode = kExitInvalid;
    }
    if (args.json) {
      printJson(file, sink, summary ? &*summary : nullptr, fatal);
      continue;
    }
    if (!fatal.empty()) {
      std::cout << file << ": UNREADABLE (" << fatal << ")\n";
      continue;
    }
    std::cout << file << ": " << (valid ? "VALID" : "INVALID") << " (" << summary->transactions
              << " transaction set(s), " << summary->claims << " claim(s), " << sink.errors()
              << " error(s), " << sink.warnings() << " warning(s))\n";
    for (const auto& finding : sink.findings()) std::cout << finding.describe() << "\n";
    if (sink.dropped() > 0)
      std::cout << "... " << sink.dropped() << " more finding(s) not listed\n";
  }
  return exitCode;
}

}  // namespace fhir837::app
