#include "core/error.h"

#include <ostream>

namespace fhir837 {

const char* toString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kSyntax:
      return "syntax";
    case ErrorCode::kLimitExceeded:
      return "limit-exceeded";
    case ErrorCode::kWrongType:
      return "wrong-type";
    case ErrorCode::kMissingElement:
      return "missing-element";
    case ErrorCode::kInvalidValue:
      return "invalid-value";
    case ErrorCode::kUnresolvedReference:
      return "unresolved-reference";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kConfig:
      return "config";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kNeedsReview:
      return "needs-review";
    case ErrorCode::kRejected:
      return "rejected";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, const Error& error) {
  return out << toString(error.code) << " at '" << error.where << "': " << error.message
             << (error.rule.empty() ? "" : " [" + error.rule + "]");
}

std::string Error::describe() const {
  std::string out;
  if (!where.empty()) {
    out += where;
    out += ": ";
  }
  out += message;
  if (!rule.empty()) {
    out += " [";
    out += rule;
    out += "]";
  }
  return out;
}

}  // namespace fhir837
