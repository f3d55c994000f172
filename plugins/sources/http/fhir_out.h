#pragma once

#include "core/json_string.h"

#include <string>
#include <string_view>
#include <vector>

#include "engine/serve/journal.h"

namespace fhir837::http {

// A small FHIR document tree the REST layer builds once (OperationOutcome, Bundle responses,
// CapabilityStatement, Parameters) and renders as FHIR JSON or FHIR XML, so both formats say the
// same thing. Children are written in insertion order (the XML schema order matters).
struct OutNode {
  // kRaw: a resource already rendered in the response's format (a stored body), written as is.
  enum class Kind { kObject, kString, kNumber, kBool, kResource, kRaw };
  std::string name;
  Kind kind = Kind::kObject;
  std::string value;  // primitives; kResource: the resource type
  std::vector<OutNode> children;
  bool repeated = false;  // a JSON array even with one item

  static OutNode resource(std::string type) {
    return {std::string(), Kind::kResource, std::move(type), {}, false};
  }
  OutNode& str(std::string name, std::string value);
  OutNode& num(std::string name, std::string value);
  OutNode& boolean(std::string name, bool value);
  // An object child; `repeated`: an element with max cardinality *.
  OutNode& object(std::string name, bool repeated = false);
  // A repeated primitive (e.g. CapabilityStatement.format).
  OutNode& strItem(std::string name, std::string value);
  // A contained resource (Bundle.entry.resource, entry.response.outcome).
  OutNode& child(std::string name, OutNode resource);
  // A contained resource given as its rendered text (JSON object / XML element, an XML
  // declaration or UTF-8 BOM in front is dropped); the caller renders in the same format.
  OutNode& raw(std::string name, std::string text);
};

std::string renderJson(const OutNode& resource);
std::string renderXml(const OutNode& resource);
std::string render(const OutNode& resource, serve::BodyFormat format);
std::string contentTypeOf(serve::BodyFormat format);  // "application/fhir+json; charset=utf-8"

}  // namespace fhir837::http
