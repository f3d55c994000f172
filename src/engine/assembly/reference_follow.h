#pragma once

#include <string>
#include <string_view>

#include "engine/assembly/claim_assembler.h"

namespace fhir837 {

// How the assembler follows references: every failure is a rejection naming the FHIR path and
// the rule whose data was missing.

inline std::string refPath(std::string_view type, const std::string& id) {
  return std::string(type) + "/" + id;
}

inline Error reject(std::string rule, std::string message, std::string where) {
  return makeError(ErrorCode::kRejected, std::move(message), std::move(where), std::move(rule));
}

// The same rejection for `rule`, from the error of a step it depends on: whether the missing
// data may still arrive (the daemon waits for it) is kept.
inline Error rejectFrom(std::string rule, const Error& cause, std::string where) {
  Error error = reject(std::move(rule), cause.message, std::move(where));
  error.mayStillArrive = cause.mayStillArrive;
  return error;
}

// Follows a reference and requires the target type; nullptr target = absent reference.
template <class T>
Result<const T*> follow(const ResourceScope& scope, const Reference& ref, const AnyResource& from,
                        const std::string& where, const char* rule) {
  if (ref.empty()) return static_cast<const T*>(nullptr);
  auto target = scope.resolve(ref, from, where);
  if (!target) {
    Error error = target.error();
    error.rule = rule;
    return error;
  }
  const T* typed = (*target)->template as<T>();
  if (!typed) {
    return reject(rule,
                  "reference points to a " + std::string((*target)->resourceType()) +
                      ", not the expected resource type",
                  where);
  }
  return typed;
}

// A reference the claim cannot do without: absent, display-only or unresolvable is a reject
// naming the element, never a null the caller might dereference.
template <class T>
Result<const T*> require(const ResourceScope& scope, const Reference& ref, const AnyResource& from,
                         const std::string& where, const char* rule, std::string_view what) {
  auto target = follow<T>(scope, ref, from, where, rule);
  if (!target) return target.error();
  if (!*target) {
    return reject(rule,
                  ref.display.empty() ? std::string(what) + " reference is empty"
                                      : std::string(what) + " reference is display-only ('" +
                                            ref.display + "'): no resource to read it from",
                  where);
  }
  return target;
}

}  // namespace fhir837
