#pragma once

// Builds FhirNode trees by hand, so the binder can be tested without either parser.

#include <string>
#include <utility>
#include <vector>

#include <ostream>

#include "core/error.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::testing {

using Children = std::vector<std::pair<std::string, std::vector<FhirNode>>>;

inline FhirNode prim(std::string value, PrimitiveKind kind) {
  FhirNode node;
  node.value = std::move(value);
  node.kind = kind;
  return node;
}
inline FhirNode str(std::string value) { return prim(std::move(value), PrimitiveKind::kString); }
inline FhirNode num(std::string value) { return prim(std::move(value), PrimitiveKind::kNumber); }
inline FhirNode boolean(bool value) { return prim(value ? "true" : "false", PrimitiveKind::kBool); }
inline FhirNode text(std::string value) { return prim(std::move(value), PrimitiveKind::kText); }

inline FhirNode obj(Children children) {
  FhirNode node;
  node.children = std::move(children);
  return node;
}
inline FhirNode res(std::string type, Children children) {
  FhirNode node = obj(std::move(children));
  node.resourceType = std::move(type);
  return node;
}

}  // namespace fhir837::testing

namespace fhir837 {
// Readable gtest output for failed Error comparisons.
inline void PrintTo(const Error& error, std::ostream* os) {
  *os << toString(error.code) << " | " << error.where << " | " << error.message;
}
}  // namespace fhir837
