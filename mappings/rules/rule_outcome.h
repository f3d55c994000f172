#pragma once

#include <optional>
#include <string>

#include "coding_types.h"

namespace fhir837 {

// A rule either lets coding continue (nullopt) or ends it with an outcome.
using RuleVerdict = std::optional<EventCoding>;

inline EventCoding endWith(OutcomeKind kind, std::string rule, std::string reason,
                           std::string path) {
  EventCoding coding;
  coding.kind = kind;
  coding.rule = std::move(rule);
  coding.reason = std::move(reason);
  coding.path = std::move(path);
  return coding;
}

// Turns an event that was billed into a non-billed outcome, keeping its trail.
inline void demote(EventCoding& coding, OutcomeKind kind, std::string rule, std::string reason,
                   std::string path) {
  coding.kind = kind;
  coding.rule = std::move(rule);
  coding.reason = std::move(reason);
  coding.path = std::move(path);
  coding.lines.clear();
}

}  // namespace fhir837
