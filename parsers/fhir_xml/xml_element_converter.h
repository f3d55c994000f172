#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <pugixml.hpp>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::fhir_xml {

inline constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";
inline constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";

// One element being converted: its namespace scope (pugixml does not process namespaces) and its
// step of the FHIR path. Paths are rendered only when an error is reported.
struct ElementFrame {
  const ElementFrame* parent = nullptr;
  pugi::xml_node element;
  std::string_view localName;
  bool inPath = true;  // false for a resource element inside its wrapper (the wrapper names it)
  std::string_view defaultNamespace;
  // Prefixes declared on this element only; a map so hostile documents with thousands of
  // declarations cannot make every lookup linear.
  std::unordered_map<std::string_view, std::string_view> prefixes;

  // Opens the frame of `element` inside `parent` (nullptr for the root), reading its xmlns
  // declarations.
  ElementFrame(const ElementFrame* parent, pugi::xml_node element);

  // The element's namespace URI; nullopt when its prefix is undeclared.
  std::optional<std::string_view> namespaceUri() const;
};

// Renders "Bundle.entry[2].resource.status". An index is shown only when the element has a
// same-named sibling: XML carries no cardinality, so a lone element reads like a JSON scalar.
std::string renderPath(const ElementFrame& frame);

// Turns a FHIR XML element tree into FhirNodes following the FHIR R4 XML rules (value attribute,
// other attributes as children, resource wrappers, dropped XHTML narrative). Recursion is bounded:
// the depth is checked on entry, so the C++ stack never holds more than maxDepth + 1 frames.
class XmlElementConverter {
 public:
  XmlElementConverter(const std::string& source, const ParseLimits& limits)
      : source_(source), limits_(limits) {}

  // Converts the root element, which must be a FHIR resource, into `out`.
  Status convertRoot(pugi::xml_node root, FhirNode& out);

 private:
  // Fills `out` from the frame's element (at `depth`, root = 1). `allowWrapper` is false once `out`
  // already is a resource, so a resource cannot itself act as a wrapper.
  Status convertContent(const ElementFrame& frame, FhirNode& out, std::size_t depth,
                        bool allowWrapper);
  Status convertAttributes(const ElementFrame& frame, FhirNode& out);
  Status convertChildren(const ElementFrame& frame, FhirNode& out, std::size_t depth);
  Status checkText(const ElementFrame& frame) const;
  Status checkNamespace(const ElementFrame& frame) const;
  Error errorAt(ErrorCode code, std::string message, const ElementFrame& frame,
                std::string_view suffix = {}) const;

  const std::string& source_;
  const ParseLimits& limits_;
};

}  // namespace fhir837::fhir_xml
