#include "engine/serve/resource_intake_entry_body.h"

#include <pugixml.hpp>

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

#include "core/json_string.h"

namespace fhir837::serve {

namespace {

// What cannot happen to a body the parser accepted; said as a syntax error of the body rather than
// thrown.
Error internal(std::string message) {
  return makeError(ErrorCode::kSyntax, std::move(message), "body");
}

// --- JSON: byte ranges of a document the parser accepted -------------------------------------

// One past the end of the JSON string literal opening at `open`.
std::optional<std::size_t> stringEnd(std::string_view text, std::size_t open) {
  if (open >= text.size() || text[open] != '"') return std::nullopt;
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::nullopt;
}

// One past the end of the JSON object opening at `open` (iterative: depth is bounded by the
// parser's limit, not by this stack).
std::optional<std::size_t> objectEnd(std::string_view text, std::size_t open) {
  if (open >= text.size() || text[open] != '{') return std::nullopt;
  std::size_t depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      auto end = stringEnd(text, i);
      if (!end) return std::nullopt;
      i = *end - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::nullopt;
}

struct Splice {
  std::size_t begin, end;  // replaced range [begin, end) in the document
  std::string text;
};

// The `reference` values to rewrite, found through the tree (a key "reference" inside a string
// or a narrative can never match: only parsed elements are visited).
Status collectSplices(std::string_view text, const FhirNode& node,
                      const std::map<std::string, std::string>& references,
                      std::vector<Splice>& out) {
  for (const auto& [name, children] : node.children) {
    for (const FhirNode& child : children) {
      if (name == "reference" && child.hasValue()) {
        if (auto target = references.find(child.value); target != references.end()) {
          auto end = stringEnd(text, child.offset);
          if (!end) return internal("reference value not found at its offset");
          std::string quoted;
          appendJsonString(quoted, target->second);
          out.push_back({child.offset, *end, std::move(quoted)});
        }
      }
      if (Status s = collectSplices(text, child, references, out); !s) return s;
    }
  }
  return Status::ok();
}

class JsonEntryBodies final : public EntryBodies {
 public:
  JsonEntryBodies(std::string_view body, std::span<const FhirNode> entries)
      : body_(body), entries_(entries) {}

  Result<std::string> resource(std::size_t index, const EntryBodyEdits& edits) const override {
    const FhirNode* resource = entries_[index].first("resource");
    if (!resource) return internal("the entry has no resource");
    auto end = objectEnd(body_, resource->offset);
    if (!end) return internal("the entry's resource object was not found at its offset");
    std::vector<Splice> splices;
    if (!edits.assignedId.empty()) {
      std::string id = "\"id\":";
      appendJsonString(id, edits.assignedId);
      splices.push_back({resource->offset + 1, resource->offset + 1, id + ","});
    }
    if (edits.references && !edits.references->empty()) {
      if (Status s = collectSplices(body_, *resource, *edits.references, splices); !s) {
        return s.error();
      }
    }
    std::stable_sort(splices.begin(), splices.end(),
                     [](const Splice& a, const Splice& b) { return a.begin < b.begin; });
    std::string out;
    std::size_t at = resource->offset;
    for (const Splice& splice : splices) {
      out.append(body_.substr(at, splice.begin - at));
      out += splice.text;
      at = splice.end;
    }
    out.append(body_.substr(at, *end - at));
    return out;
  }

  Result<std::string> entry(std::size_t index) const override {
    const std::size_t open = entries_[index].offset;
    auto end = objectEnd(body_, open);
    if (!end) return internal("the entry object was not found at its offset");
    return std::string(body_.substr(open, *end - open));
  }

 private:
  std::string_view body_;
  std::span<const FhirNode> entries_;
};

// --- XML: a DOM of the Bundle ------------------------------------------------------------------

std::string_view localName(std::string_view qualified) {
  const std::size_t colon = qualified.find(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

std::string prefixOf(std::string_view qualified) {
  const std::size_t colon = qualified.find(':');
  return colon == std::string_view::npos ? std::string() : std::string(qualified.substr(0, colon));
}

pugi::xml_node childNamed(pugi::xml_node parent, std::string_view name) {
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element && localName(child.name()) == name) return child;
  }
  return {};
}

void rewriteReferences(pugi::xml_node node, const std::map<std::string, std::string>& references) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (localName(child.name()) == "reference") {
      pugi::xml_attribute value = child.attribute("value");
      if (auto target = references.find(value.value()); value && target != references.end()) {
        value.set_value(target->second.c_str());
      }
    }
    rewriteReferences(child, references);
  }
}

class XmlEntryBodies final : public EntryBodies {
 public:
  static Result<std::unique_ptr<EntryBodies>> load(std::string_view body, std::size_t expected) {
    auto bodies = std::unique_ptr<XmlEntryBodies>(new XmlEntryBodies());
    // Whitespace text and comments are kept, so a narrative reads as sent.
    const unsigned flags = pugi::parse_default | pugi::parse_ws_pcdata | pugi::parse_comments;
    if (!bodies->document_.load_buffer(body.data(), body.size(), flags, pugi::encoding_utf8)) {
      return internal("the Bundle's XML does not parse again");
    }
    for (pugi::xml_node child : bodies->document_.document_element().children()) {
      if (child.type() == pugi::node_element && localName(child.name()) == "entry") {
        bodies->entries_.push_back(child);
      }
    }
    if (bodies->entries_.size() != expected) return internal("the Bundle's entries differ");
    return std::unique_ptr<EntryBodies>(std::move(bodies));
  }

  Result<std::string> resource(std::size_t index, const EntryBodyEdits& edits) const override {
    pugi::xml_node holder = childNamed(entries_[index], "resource");
    pugi::xml_node element =
        holder.find_child([](pugi::xml_node node) { return node.type() == pugi::node_element; });
    if (!element) return internal("the entry has no resource");
    pugi::xml_document out;
    pugi::xml_node copy = standalone(out, element);
    if (!edits.assignedId.empty()) {
      const std::string prefix = prefixOf(copy.name());
      pugi::xml_node id = copy.prepend_child((prefix.empty() ? "id" : prefix + ":id").c_str());
      id.append_attribute("value") = edits.assignedId.c_str();
    }
    if (edits.references && !edits.references->empty()) {
      rewriteReferences(copy, *edits.references);
    }
    return save(out);
  }

  Result<std::string> entry(std::size_t index) const override {
    pugi::xml_document out;
    standalone(out, entries_[index]);
    return save(out);
  }

 private:
  XmlEntryBodies() = default;

  // A copy of `element` as a document of its own: the namespace declarations in scope (on the
  // Bundle, usually xmlns="http://hl7.org/fhir") are put on it.
  static pugi::xml_node standalone(pugi::xml_document& out, pugi::xml_node element) {
    pugi::xml_node copy = out.append_copy(element);
    for (pugi::xml_node scope = element.parent(); scope; scope = scope.parent()) {
      for (pugi::xml_attribute attribute : scope.attributes()) {
        const std::string_view name = attribute.name();
        if ((name == "xmlns" || name.rfind("xmlns:", 0) == 0) &&
            !copy.attribute(attribute.name())) {
          copy.append_attribute(attribute.name()) = attribute.value();
        }
      }
    }
    return copy;
  }

  static std::string save(const pugi::xml_document& out) {
    std::ostringstream text;
    out.save(text, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    return text.str();
  }

  pugi::xml_document document_;
  std::vector<pugi::xml_node> entries_;
};

}  // namespace

Result<std::unique_ptr<EntryBodies>> entryBodiesOf(std::string_view body, BodyFormat format,
                                                   std::span<const FhirNode> entries) {
  if (format == BodyFormat::kXml) return XmlEntryBodies::load(body, entries.size());
  return std::unique_ptr<EntryBodies>(std::make_unique<JsonEntryBodies>(body, entries));
}

}  // namespace fhir837::serve
