#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fhir837 {

// How a primitive appeared in JSON. XML carries no type information, so XML primitives are kText;
// the binder only uses this to reject JSON values of the wrong shape (a number where FHIR wants a
// string), never to change the model, which keeps JSON and XML models identical.
enum class PrimitiveKind { kNone, kText, kString, kNumber, kBool };

// A format-neutral FHIR element tree. The JSON and XML parsers both produce it, following the
// FHIR R4 format rules: every child name maps to a list of nodes (a JSON non-array value and a
// single XML element are both one-item lists); a primitive's value and its extensions/id live on
// one node (JSON `_field` and XML `value=` + child elements merge into it); a resource node has
// resourceType set (JSON `resourceType`, XML element name). XHTML narrative (`text.div`) is
// dropped by both parsers: its JSON and XML serialisations differ and no claim needs it.
struct FhirNode {
  std::string value;  // primitive lexeme as written (numbers keep their digits, e.g. "1.50")
  PrimitiveKind kind = PrimitiveKind::kNone;
  std::string resourceType;  // non-empty iff this node is a resource
  std::size_t offset = 0;    // byte offset of the node in its source, for error messages
  std::vector<std::pair<std::string, std::vector<FhirNode>>> children;  // in document order

  bool hasValue() const { return kind != PrimitiveKind::kNone; }
  bool isResource() const { return !resourceType.empty(); }

  // All nodes named `name` (empty span when absent).
  std::span<const FhirNode> all(std::string_view name) const;
  // The first node named `name`, or nullptr.
  const FhirNode* first(std::string_view name) const;
  // The primitive value of the first node named `name`, or empty.
  std::string_view text(std::string_view name) const;

  // Appends a child under `name`, creating the list when needed; returns the new node.
  FhirNode& add(std::string_view name);
  // The list for `name`, created when absent.
  std::vector<FhirNode>& listFor(std::string_view name);

  // Structural equality ignoring offsets and PrimitiveKind (JSON and XML differ there by design),
  // and ignoring child order (JSON property order is free). Used by the JSON-vs-XML corpus tests.
  bool sameContent(const FhirNode& other) const;
  // Deterministic multi-line dump (children sorted by name) for test diagnostics.
  std::string dump(int indent = 0) const;
};

// What a parser returns: the root resource and where it came from.
struct FhirDocument {
  FhirNode root;
  std::string source;  // file name or other label, used in error messages
};

// Limits that keep hostile input from exhausting memory or stack. Both parsers honour all of them.
struct ParseLimits {
  std::size_t maxBytes = 256u << 20;      // whole document
  std::size_t maxDepth = 128;             // nesting of objects/arrays/elements
  std::size_t maxStringBytes = 8u << 20;  // one string value (base64 attachments included)
};

}  // namespace fhir837
