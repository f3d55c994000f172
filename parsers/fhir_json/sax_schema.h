#pragma once

// Static schema tables the SAX binder (json_model_binder.h) walks: for each model type, the
// elements the model keeps and how each one fills its member. They mirror the tree binder's
// tables (parsers/fhir_tree/*_binder.cc) field for field, and primitives go through the same
// bind:: functions, so both binders give the same model.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"
#include "model/resources.h"

namespace fhir837::fhir_json::sax {

enum class FieldKind : std::uint8_t {
  kPrimitive,  // a JSON scalar, bound by `bindPrimitive`
  kComplex,    // a JSON object filling `enter(owner)` by `child()`
  kResource,   // a JSON object with resourceType, into the AnyResource `enter(owner)` returns
  kDecline,    // modelled by the tree binder in a way this binder leaves to it
};

struct Schema;

struct Field {
  std::string_view name;
  FieldKind kind = FieldKind::kDecline;
  bool repeated = false;    // 0..*: a JSON array, or a single value taken as one item
  std::uint8_t choice = 0;  // 0, or the 1-based choice group ([x] element) of the owner
  Status (*bindPrimitive)(void* owner, const FhirNode& leaf) = nullptr;
  void* (*enter)(void* owner) = nullptr;
  const Schema& (*child)() = nullptr;
};

struct Schema {
  std::span<const Field> fields;
  bool extension = false;  // the owner is an Extension: `value*` keys are its value[x]

  const Field* find(std::string_view name) const {
    for (const Field& field : fields) {
      // Most names differ in length or first letter: skip the memcmp for those.
      if (field.name.size() == name.size() && !name.empty() && field.name[0] == name[0] &&
          field.name == name) {
        return &field;
      }
    }
    return nullptr;
  }
};

// Starts the resource `type` in `out`: the model object to fill and its schema. False for types
// this binder leaves to the tree binder.
bool startResource(std::string_view type, AnyResource& out, void*& target, const Schema*& schema);

// Extension.value[x] given as a JSON object (`suffix` = "Quantity", "Period"...).
enum class ExtensionValue : std::uint8_t { kDecline, kBind, kSkip };
ExtensionValue startExtensionValue(Extension& out, std::string_view suffix, void*& target,
                                   const Schema*& schema);
// Extension.value[x] given as a JSON scalar; `name` is the whole key ("valueString").
Status bindExtensionScalar(Extension& out, std::string_view name, const FhirNode& leaf);

}  // namespace fhir837::fhir_json::sax
