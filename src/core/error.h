#pragma once

#include <iosfwd>
#include <string>
#include <utility>

namespace fhir837 {

// Every expected failure in the data path is one of these codes. The code is for machines (report
// counts, exit codes); message, where and rule are for people.
enum class ErrorCode {
  kSyntax,          // JSON/XML/X12 not well formed
  kLimitExceeded,   // size, depth, string length limits
  kWrongType,       // a FHIR element has the wrong JSON/XML shape
  kMissingElement,  // a required FHIR element is absent
  kInvalidValue,    // a value is present but not acceptable (bad date, unknown code...)
  kUnresolvedReference,
  kUnsupported,  // well-formed but outside what fhir837 handles
  kConfig,       // configuration error (stops start-up)
  kIo,           // file system / network
  kNeedsReview,  // coding could not decide safely
  kRejected,     // business rule rejects the event
};

const char* toString(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInvalidValue;
  std::string message;  // human-readable, never contains PHI
  std::string where;    // FHIR path, byte offset, X12 loop/segment, or config key
  std::string rule;     // rule id (e.g. INF-D1) when a coding rule produced the error
  // The data that is missing may still arrive (a referenced resource not seen yet, no Coverage
  // yet): the daemon waits for it; batch, whose input is all there is, rejects. Not part of ==.
  bool mayStillArrive = false;

  bool operator==(const Error& other) const {
    return code == other.code && message == other.message && where == other.where &&
           rule == other.rule;
  }

  // "where: message [rule]" in one line.
  std::string describe() const;
};

// For test diagnostics (gtest prints values through operator<<).
std::ostream& operator<<(std::ostream& out, const Error& error);

inline Error makeError(ErrorCode code, std::string message, std::string where = {},
                       std::string rule = {}) {
  return Error{code, std::move(message), std::move(where), std::move(rule)};
}

}  // namespace fhir837
