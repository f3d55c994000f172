#include "fhir_xml/xml_element_converter.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>
#include <vector>

namespace fhir837::fhir_xml {
namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";
constexpr std::string_view kXmlnsPrefix = "xmlns:";

std::string_view prefixOf(std::string_view qualifiedName) {
  auto colon = qualifiedName.find(':');
  return colon == std::string_view::npos ? std::string_view() : qualifiedName.substr(0, colon);
}

std::string_view localPart(std::string_view qualifiedName) {
  auto colon = qualifiedName.find(':');
  return colon == std::string_view::npos ? qualifiedName : qualifiedName.substr(colon + 1);
}

bool isXmlWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool isBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), isXmlWhitespace);
}

// FHIR element names are lowerCamelCase and resource names UpperCamelCase, so an element whose
// only element child starts with an upper-case letter wraps a resource (contained, entry.resource,
// entry.response.outcome, Parameters.parameter.resource...).
pugi::xml_node soleResourceChild(pugi::xml_node element) {
  pugi::xml_node found;
  for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    if (found) return {};
    found = child;
  }
  if (!found) return {};
  char first = localPart(found.name()).empty() ? '\0' : localPart(found.name()).front();
  return (first >= 'A' && first <= 'Z') ? found : pugi::xml_node();
}

}  // namespace

ElementFrame::ElementFrame(const ElementFrame* parentFrame, pugi::xml_node node)
    : parent(parentFrame),
      element(node),
      localName(localPart(node.name())),
      defaultNamespace(parentFrame ? parentFrame->defaultNamespace : std::string_view()) {
  for (pugi::xml_attribute attr : node.attributes()) {
    std::string_view name = attr.name();
    if (name == "xmlns") {
      defaultNamespace = attr.value();
    } else if (name.starts_with(kXmlnsPrefix)) {
      prefixes[name.substr(kXmlnsPrefix.size())] = attr.value();
    }
  }
}

std::optional<std::string_view> ElementFrame::namespaceUri() const {
  std::string_view prefix = prefixOf(element.name());
  if (prefix.empty()) return defaultNamespace;
  if (prefix == "xml") return kXmlNamespace;
  for (const ElementFrame* frame = this; frame != nullptr; frame = frame->parent) {
    auto found = frame->prefixes.find(prefix);
    if (found != frame->prefixes.end()) return found->second;
  }
  return std::nullopt;
}

std::string renderPath(const ElementFrame& frame) {
  std::vector<const ElementFrame*> steps;
  for (const ElementFrame* step = &frame; step != nullptr; step = step->parent) {
    if (step->inPath) steps.push_back(step);
  }
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    const ElementFrame& step = **it;
    if (!out.empty()) out += '.';
    out += step.localName;
    if (step.parent == nullptr) continue;  // the root names the resource type, never indexed
    const char* name = step.element.name();
    if (!step.element.previous_sibling(name) && !step.element.next_sibling(name)) continue;
    std::size_t index = 0;
    for (auto s = step.element.previous_sibling(name); s; s = s.previous_sibling(name)) ++index;
    out += '[' + std::to_string(index) + ']';
  }
  return out;
}

Error XmlElementConverter::errorAt(ErrorCode code, std::string message, const ElementFrame& frame,
                                   std::string_view suffix) const {
  std::string where = source_ + ": " + renderPath(frame);
  where += suffix;
  return makeError(code, std::move(message), std::move(where));
}

Status XmlElementConverter::checkNamespace(const ElementFrame& frame) const {
  std::optional<std::string_view> uri = frame.namespaceUri();
  if (!uri) {
    return errorAt(ErrorCode::kSyntax,
                   "element uses an undeclared namespace prefix '" +
                       std::string(prefixOf(frame.element.name())) + "'",
                   frame);
  }
  if (*uri != kFhirNamespace) {
    std::string shown = uri->empty() ? "no namespace" : "namespace '" + std::string(*uri) + "'";
    return errorAt(ErrorCode::kUnsupported,
                   "element is in " + shown + ", expected " + std::string(kFhirNamespace), frame);
  }
  return Status::ok();
}

Status XmlElementConverter::convertRoot(pugi::xml_node root, FhirNode& out) {
  ElementFrame frame(nullptr, root);
  if (Status ok = checkNamespace(frame); !ok) return ok;
  char first = frame.localName.empty() ? '\0' : frame.localName.front();
  if (first < 'A' || first > 'Z') {
    return errorAt(ErrorCode::kWrongType, "root element is not a FHIR resource", frame);
  }
  out.resourceType = std::string(frame.localName);
  return convertContent(frame, out, 1, false);
}

Status XmlElementConverter::convertContent(const ElementFrame& frame, FhirNode& out,
                                           std::size_t depth, bool allowWrapper) {
  if (depth > limits_.maxDepth) {
    return errorAt(ErrorCode::kLimitExceeded,
                   "elements nested deeper than " + std::to_string(limits_.maxDepth), frame);
  }
  out.offset = static_cast<std::size_t>(frame.element.offset_debug());
  if (Status ok = convertAttributes(frame, out); !ok) return ok;
  if (allowWrapper) {
    if (pugi::xml_node inner = soleResourceChild(frame.element)) {
      if (Status ok = checkText(frame); !ok) return ok;
      ElementFrame innerFrame(&frame, inner);
      innerFrame.inPath = false;
      if (Status ok = checkNamespace(innerFrame); !ok) return ok;
      out.resourceType = std::string(innerFrame.localName);
      return convertContent(innerFrame, out, depth + 1, false);
    }
  }
  return convertChildren(frame, out, depth);
}

// Attributes come before child elements and their names are checked unique, so on a fresh node
// each one is appended without looking for an existing list: linear in the attributes (a resource
// under a wrapper element may already hold the wrapper's attributes: then the lists are merged).
Status XmlElementConverter::convertAttributes(const ElementFrame& frame, FhirNode& out) {
  std::unordered_set<std::string_view> seen;
  const bool fresh = out.children.empty();
  for (pugi::xml_attribute attr : frame.element.attributes()) {
    std::string_view name = attr.name();
    if (!seen.insert(name).second) {
      return errorAt(ErrorCode::kSyntax, "duplicate attribute '" + std::string(name) + "'", frame);
    }
    // Namespace declarations and namespaced attributes (xsi:schemaLocation, xml:lang) carry no
    // FHIR content and have no JSON counterpart.
    if (name == "xmlns" || name.find(':') != std::string_view::npos) continue;
    std::size_t length = std::strlen(attr.value());
    bool isValue = name == "value";
    if (length > limits_.maxStringBytes) {
      return errorAt(ErrorCode::kLimitExceeded,
                     "attribute value of " + std::to_string(length) +
                         " bytes exceeds the limit of " + std::to_string(limits_.maxStringBytes),
                     frame, isValue ? std::string() : "." + std::string(name));
    }
    FhirNode& target =
        isValue  ? out
        : !fresh ? out.add(name)
                 : out.children.emplace_back(std::string(name), std::vector<FhirNode>(1)).second[0];
    if (!isValue) target.offset = out.offset;
    target.value.assign(attr.value(), length);
    target.kind = PrimitiveKind::kText;
  }
  return Status::ok();
}

Status XmlElementConverter::checkText(const ElementFrame& frame) const {
  for (pugi::xml_node child = frame.element.first_child(); child; child = child.next_sibling()) {
    auto type = child.type();
    if ((type == pugi::node_pcdata || type == pugi::node_cdata) && !isBlank(child.value())) {
      return errorAt(
          ErrorCode::kWrongType,
          "text content in a FHIR element (FHIR XML keeps values in the value attribute)", frame);
    }
  }
  return Status::ok();
}

Status XmlElementConverter::convertChildren(const ElementFrame& frame, FhirNode& out,
                                            std::size_t depth) {
  if (Status ok = checkText(frame); !ok) return ok;
  for (pugi::xml_node child = frame.element.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;  // comments, PIs: ignored; text: checked
    ElementFrame childFrame(&frame, child);
    // The XHTML narrative is dropped: its JSON and XML forms differ and no claim needs it.
    if (childFrame.localName == "div" && childFrame.namespaceUri() == kXhtmlNamespace) continue;
    if (Status ok = checkNamespace(childFrame); !ok) return ok;
    FhirNode& node = out.add(childFrame.localName);
    if (Status ok = convertContent(childFrame, node, depth + 1, true); !ok) return ok;
  }
  return Status::ok();
}

}  // namespace fhir837::fhir_xml
