#pragma once

// Internal to the model binder: the path/error plumbing and the generic "bind this list of nodes
// into that member" helpers that let each datatype and resource be described by a field table.

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"
#include "model/resources.h"

namespace fhir837::bind {

// A FHIR path built on the stack and rendered only when an error needs it: binding a 2 MB
// Bundle must not allocate a path string per element.
struct Path {
  const Path* parent = nullptr;
  std::string_view name;  // element name; empty for an index step
  std::ptrdiff_t index = -1;

  Path child(std::string_view childName) const { return Path{this, childName, -1}; }
  Path at(std::size_t i) const { return Path{this, {}, static_cast<std::ptrdiff_t>(i)}; }
  std::string str() const;
};

struct Context {
  std::string_view source;
  Error error(ErrorCode code, std::string message, const Path& path) const;
};

// Shape checks shared by every binder.
Status expectComplex(const Context& ctx, const FhirNode& node, const Path& path,
                     std::string_view typeName);
Status expectPrimitive(const Context& ctx, const FhirNode& node, const Path& path,
                       std::string_view typeName);

// Primitive binders. Strings (string, code, uri, id...) reject JSON numbers and booleans.
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, std::string& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, int& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, bool& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, FhirDateTime& out);
// FHIR `decimal`: the lexeme as written.
Status bindDecimal(const Context& ctx, const FhirNode& node, const Path& path, std::string& out);
// FHIR `date` (no time allowed).
Status bindDate(const Context& ctx, const FhirNode& node, const Path& path, FhirDateTime& out);

// Datatype binders.
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Coding& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, CodeableConcept& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Identifier& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Reference& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Quantity& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Ratio& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Period& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, HumanName& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Address& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, ContactPoint& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Annotation& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Extension& out);
// Backbone element binders (backbone_binder.cc).
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, CoverageClass& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 EncounterParticipant& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 EncounterDiagnosis& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 EncounterLocation& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 MedicationIngredient& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Dosage& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Performer& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 AdministrationDosage& out);
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, BundleEntry& out);
// A resource (Bundle.entry.resource, contained): the node must carry a resourceType.
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, AnyResource& out);

// Extension.value[x], shared with the SAX binder (parsers/fhir_json/json_model_binder.cc):
// `name` is the whole element name ("valueQuantity"). Primitive suffixes keep the lexeme in
// valueString; Quantity (and its profiles), CodeableConcept, Coding and Reference are bound;
// other complex types are recorded by type name only.
Status bindExtensionValue(const Context& ctx, std::string_view name,
                          std::span<const FhirNode> nodes, const Path& path, Extension& out);
bool isExtensionPrimitiveSuffix(std::string_view suffix);
// Quantity and its profiles (Age, Duration, Distance, Count) share the Quantity structure.
bool isQuantitySuffix(std::string_view suffix);

// Fails when a second alternative of a choice element (effective[x]...) appears.
Status claimChoice(const Context& ctx, bool alreadySet, const Path& path, std::string_view choice);

// One node for an element FHIR allows once.
Status expectSingle(const Context& ctx, std::span<const FhirNode> nodes, const Path& path);

// Binds the nodes of one element into a member, by the member's cardinality: T (0..1, kept as
// default when absent), std::optional<T> (0..1) or std::vector<T> (0..*, path shows [i]).
template <class T>
Status bindMember(const Context& ctx, std::span<const FhirNode> nodes, const Path& path, T& out) {
  if (Status s = expectSingle(ctx, nodes, path); !s) return s;
  return bindValue(ctx, nodes.front(), path, out);
}
template <class T>
Status bindMember(const Context& ctx, std::span<const FhirNode> nodes, const Path& path,
                  std::optional<T>& out) {
  if (Status s = expectSingle(ctx, nodes, path); !s) return s;
  return bindValue(ctx, nodes.front(), path, out.emplace());
}
template <class T>
Status bindMember(const Context& ctx, std::span<const FhirNode> nodes, const Path& path,
                  std::vector<T>& out) {
  out.reserve(out.size() + nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (Status s = bindValue(ctx, nodes[i], path.at(i), out.emplace_back()); !s) return s;
  }
  return Status::ok();
}

// A field table entry: the FHIR element name and how to bind its nodes into an R.
template <class R>
struct Field {
  std::string_view name;
  std::function<Status(const Context&, std::span<const FhirNode>, const Path&, R&)> bind;
};
template <class R>
using FieldTable = std::vector<Field<R>>;

// The common case: element `name` goes to `member` with the binder chosen by the member type.
template <class R, class M, class Owner>
Field<R> field(std::string_view name, M Owner::*member) {
  return Field<R>{name,
                  [member](const Context& ctx, std::span<const FhirNode> nodes, const Path& path,
                           R& out) { return bindMember(ctx, nodes, path, out.*member); }};
}

// Binds a complex node by its table; elements not in the table are ignored (FHIR has many we
// do not model, and extensions on unknown elements must not fail a claim).
template <class R>
Status bindFields(const Context& ctx, const FhirNode& node, const Path& path,
                  const FieldTable<R>& table, R& out) {
  for (const auto& [name, nodes] : node.children) {
    for (const Field<R>& entry : table) {
      if (entry.name != name) continue;
      if (Status s = entry.bind(ctx, nodes, path.child(name), out); !s) return s;
      break;
    }
  }
  return Status::ok();
}
template <class R>
Status bindObject(const Context& ctx, const FhirNode& node, const Path& path,
                  std::string_view typeName, const FieldTable<R>& table, R& out) {
  if (Status s = expectComplex(ctx, node, path, typeName); !s) return s;
  return bindFields(ctx, node, path, table, out);
}

// One alternative of a choice element (effective[x] and friends) into the member `get(out)`
// returns; `taken(out)` says whether another alternative was already bound.
template <class R, class Taken, class Get>
Field<R> choiceField(std::string_view name, std::string_view choiceName, Taken taken, Get get) {
  return Field<R>{
      name, [=](const Context& ctx, std::span<const FhirNode> nodes, const Path& path, R& out) {
        if (Status s = claimChoice(ctx, taken(out), path, choiceName); !s) return s;
        return bindMember(ctx, nodes, path, get(out));
      }};
}

}  // namespace fhir837::bind
