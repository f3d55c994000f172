#include "sources/http/fhir_out.h"

#include <cstdio>

namespace fhir837::http {

OutNode& OutNode::str(std::string childName, std::string childValue) {
  children.push_back({std::move(childName), Kind::kString, std::move(childValue), {}, false});
  return *this;
}

OutNode& OutNode::num(std::string childName, std::string childValue) {
  children.push_back({std::move(childName), Kind::kNumber, std::move(childValue), {}, false});
  return *this;
}

OutNode& OutNode::boolean(std::string childName, bool childValue) {
  children.push_back({std::move(childName), Kind::kBool, childValue ? "true" : "false", {}, false});
  return *this;
}

OutNode& OutNode::object(std::string childName, bool isRepeated) {
  children.push_back({std::move(childName), Kind::kObject, {}, {}, isRepeated});
  return children.back();
}

OutNode& OutNode::strItem(std::string childName, std::string childValue) {
  children.push_back({std::move(childName), Kind::kString, std::move(childValue), {}, true});
  return *this;
}

OutNode& OutNode::child(std::string childName, OutNode resourceNode) {
  resourceNode.name = std::move(childName);
  children.push_back(std::move(resourceNode));
  return *this;
}

OutNode& OutNode::raw(std::string childName, std::string text) {
  children.push_back({std::move(childName), Kind::kRaw, std::move(text), {}, false});
  return *this;
}

namespace {

// A stored body as it can sit inside another document: without a UTF-8 BOM or XML declaration.
std::string_view embeddable(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                           text.front() == '\t')) {
    text.remove_prefix(1);
  }
  if (text.starts_with("<?xml")) {
    const std::size_t end = text.find("?>");
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 2);
  }
  return text;
}

void writeJsonValue(std::string& out, const OutNode& node);

void writeJsonMembers(std::string& out, const OutNode& node, bool first) {
  // Same-named children form one JSON array, at the position of the first.
  std::vector<bool> done(node.children.size(), false);
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    if (done[i]) continue;
    const OutNode& member = node.children[i];
    if (!first) out += ',';
    first = false;
    appendJsonString(out, member.name);
    out += ':';
    bool array = member.repeated;
    for (std::size_t j = i + 1; j < node.children.size() && !array; ++j)
      array = node.children[j].name == member.name;
    if (!array) {
      writeJsonValue(out, member);
      continue;
    }
    out += '[';
    bool firstItem = true;
    for (std::size_t j = i; j < node.children.size(); ++j) {
      if (node.children[j].name != member.name) continue;
      done[j] = true;
      if (!firstItem) out += ',';
      firstItem = false;
      writeJsonValue(out, node.children[j]);
    }
    out += ']';
  }
}

void writeJsonValue(std::string& out, const OutNode& node) {
  switch (node.kind) {
    case OutNode::Kind::kString:
      appendJsonString(out, node.value);
      return;
    case OutNode::Kind::kNumber:
    case OutNode::Kind::kBool:
      out += node.value;
      return;
    case OutNode::Kind::kObject:
      out += '{';
      writeJsonMembers(out, node, true);
      out += '}';
      return;
    case OutNode::Kind::kRaw:
      out += embeddable(node.value);
      return;
    case OutNode::Kind::kResource:
      out += "{\"resourceType\":";
      appendJsonString(out, node.value);
      writeJsonMembers(out, node, false);
      out += '}';
      return;
  }
}

void appendXmlEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += c;
    }
  }
}

void writeXmlResource(std::string& out, const OutNode& node, bool root);

void writeXmlElement(std::string& out, const OutNode& node) {
  if (node.kind == OutNode::Kind::kResource) {
    out += '<' + node.name + '>';
    writeXmlResource(out, node, false);
    out += "</" + node.name + '>';
    return;
  }
  if (node.kind == OutNode::Kind::kRaw) {
    out += '<' + node.name + '>';
    out += embeddable(node.value);
    out += "</" + node.name + '>';
    return;
  }
  if (node.kind != OutNode::Kind::kObject) {
    out += '<' + node.name + " value=\"";
    appendXmlEscaped(out, node.value);
    out += "\"/>";
    return;
  }
  out += '<' + node.name + '>';
  for (const OutNode& child : node.children) writeXmlElement(out, child);
  out += "</" + node.name + '>';
}

void writeXmlResource(std::string& out, const OutNode& node, bool root) {
  out += '<' + node.value;
  if (root) out += " xmlns=\"http://hl7.org/fhir\"";
  out += '>';
  for (const OutNode& child : node.children) writeXmlElement(out, child);
  out += "</" + node.value + '>';
}

}  // namespace

std::string renderJson(const OutNode& resource) {
  std::string out;
  writeJsonValue(out, resource);
  return out;
}

std::string renderXml(const OutNode& resource) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  writeXmlResource(out, resource, true);
  return out;
}

std::string render(const OutNode& resource, serve::BodyFormat format) {
  return format == serve::BodyFormat::kXml ? renderXml(resource) : renderJson(resource);
}

std::string contentTypeOf(serve::BodyFormat format) {
  return format == serve::BodyFormat::kXml ? "application/fhir+xml; charset=utf-8"
                                           : "application/fhir+json; charset=utf-8";
}

}  // namespace fhir837::http
