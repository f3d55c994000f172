#include "engine/serve/resource_intake.h"

#include <pugixml.hpp>

#include <sstream>

#include "engine/bulk/compact_index.h"
#include "engine/input_loader.h"
#include "engine/serve/content_hash.h"
#include "engine/serve/resource_intake_bundle.h"
#include "fhir_json/fhir_json_parser.h"
#include "fhir_tree/model_binder.h"
#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837::serve {

namespace {

constexpr std::string_view kSource = "body";

IntakeProblem problem(int status, std::string code, std::string diagnostics,
                      std::string expression = {}) {
  return {status, std::move(code), std::move(diagnostics), std::move(expression)};
}

// The parsers name the source first ("body: Patient.birthDate"); the expression is the rest.
std::string expressionOf(const std::string& where) {
  const std::string prefix = std::string(kSource) + ": ";
  std::string path = where.rfind(prefix, 0) == 0 ? where.substr(prefix.size()) : where;
  // A byte offset is a position, not an element.
  return path.rfind("byte ", 0) == 0 ? std::string() : path;
}

IntakeProblem bindProblem(const Error& error);

// Not JSON/XML at all (or no resourceType) cannot be parsed: 400. Well-formed but with an element
// of the wrong shape parses and cannot be used: 422, like a binding error.
IntakeProblem parseProblem(const Error& error) {
  if (error.code == ErrorCode::kLimitExceeded) {
    return problem(413, "too-long", error.message, expressionOf(error.where));
  }
  if (error.code == ErrorCode::kWrongType) return bindProblem(error);
  const std::string expression = expressionOf(error.where);
  const std::string prefix = std::string(kSource) + ": ";
  // Where a syntax error is, when it is a byte offset rather than an element.
  const std::string position = expression.empty() && error.where.rfind(prefix, 0) == 0
                                   ? error.where.substr(prefix.size())
                                   : "";
  return problem(400, "structure",
                 position.empty() ? error.message : error.message + " (at " + position + ")",
                 expression);
}

IntakeProblem bindProblem(const Error& error) {
  const char* code = error.code == ErrorCode::kMissingElement ? "required"
                     : error.code == ErrorCode::kInvalidValue ? "value"
                                                              : "structure";
  return problem(422, code, error.message, expressionOf(error.where));
}

// Every `reference` of the resource, as the journal indexes it: "Type/id" for RESTful ones (a
// version or base URL dropped), conditional ones as written; contained and urn: ones are not
// links between stored resources.
void collectReferences(const FhirNode& node, std::vector<std::string>& out) {
  for (const auto& [name, children] : node.children) {
    for (const FhirNode& child : children) {
      if (name == "reference" && child.hasValue() && !child.isResource()) {
        const std::string& value = child.value;
        const std::size_t question = value.find('?');
        if (question != std::string::npos && question > 0 &&
            value.find('/') > question) {  // "Type?identifier=..." (its value may hold a URL)
          out.push_back(value);
        } else if (auto target = referencedTypeId(value)) {
          out.emplace_back(*target);
        }
      }
      // A contained resource's references are the container's.
      collectReferences(child, out);
    }
  }
}

Result<std::string> withIdJson(std::string_view body, const std::string& id) {
  const std::size_t brace = body.find('{');
  if (brace == std::string_view::npos) {
    return makeError(ErrorCode::kSyntax, "no JSON object", std::string(kSource));
  }
  std::string out(body.substr(0, brace + 1));
  out += "\"id\":\"" + id + "\",";
  out += body.substr(brace + 1);
  return out;
}

Result<std::string> withIdXml(std::string_view body, const std::string& id) {
  pugi::xml_document document;
  if (!document.load_buffer(body.data(), body.size(),
                            pugi::parse_default | pugi::parse_declaration)) {
    return makeError(ErrorCode::kSyntax, "XML does not parse again", std::string(kSource));
  }
  pugi::xml_node root = document.document_element();
  // FHIR XML puts id first among the resource's elements.
  pugi::xml_node element = root.prepend_child("id");
  element.append_attribute("value") = id.c_str();
  std::ostringstream out;
  document.save(out, "", pugi::format_raw);
  return out.str();
}

bool encounterFinished(const Encounter& encounter) {
  return encounter.status == "finished" || (encounter.period && encounter.period->end);
}

// The facts the billing side groups and waits by; an event the pipeline cannot place (no
// subject) is refused now rather than kept to fail later.
std::optional<IntakeProblem> eventFacts(const AnyResource& resource, ResourceWrite& write) {
  const Reference* subject = nullptr;
  if (const auto* ma = resource.as<MedicationAdministration>()) {
    subject = &ma->subject;
    write.event = EventFacts{groupKeyOf(*ma), "", ma->status};
  } else if (const auto* procedure = resource.as<Procedure>()) {
    subject = &procedure->subject;
    write.event = EventFacts{groupKeyOf(*procedure), "", procedure->status};
  } else {
    return std::nullopt;
  }
  if (subject->empty()) {
    return problem(
        422, "required",
        std::string(resource.resourceType()) + " has no subject: the claim has no patient to bill",
        std::string(resource.resourceType()) + ".subject");
  }
  if (auto patient = referencedTypeId(subject->reference)) write.event->patientKey = *patient;
  return std::nullopt;
}

}  // namespace

Intake analyseBody(std::string_view body, BodyFormat format, std::string_view pathType,
                   std::string_view pathId, const ParseLimits& limits,
                   const BundleOptions& bundle) {
  Intake intake;
  auto parsed = format == BodyFormat::kXml ? parseFhirXml(body, std::string(kSource), limits)
                                           : parseFhirJson(body, std::string(kSource), limits);
  if (!parsed) {
    intake.problem = parseProblem(parsed.error());
    return intake;
  }
  const std::string type = parsed->root.resourceType;
  if (type == "Bundle") {
    if (pathType.empty()) return analyseBundle(body, format, parsed->root, limits, bundle);
    intake.problem = problem(
        400, "invalid", "a Bundle is posted to the base (POST /fhir), not to a type", "Bundle");
    return intake;
  }
  if (!pathType.empty() && type != pathType) {
    intake.problem =
        problem(400, "invalid",
                "resourceType " + type + " does not match the URL's " + std::string(pathType),
                type + ".resourceType");
    return intake;
  }
  if (!isSupportedType(type)) {
    intake.problem =
        problem(404, "not-supported", "resource type " + type + " is not supported", type);
    return intake;
  }
  auto bound = bindResource(parsed->root, kSource);
  if (!bound) {
    intake.problem = bindProblem(bound.error());
    return intake;
  }
  ResourceWrite write;
  write.type = type;
  write.format = format;
  write.id = bound->id();
  if (!pathId.empty() && write.id != pathId) {
    intake.problem = problem(
        400, "value",
        write.id.empty()
            ? "the body has no id; PUT needs the URL's id in it"
            : "the body's id " + write.id + " does not match the URL's " + std::string(pathId),
        type + ".id");
    return intake;
  }
  if (auto refused = eventFacts(*bound, write)) {
    intake.problem = std::move(*refused);
    return intake;
  }
  if (const auto* encounter = bound->as<Encounter>()) {
    write.encounter = EncounterFacts{encounterFinished(*encounter)};
  }
  if (write.id.empty()) {
    write.id = newResourceId();
    write.idAssigned = true;
    auto stored =
        format == BodyFormat::kXml ? withIdXml(body, write.id) : withIdJson(body, write.id);
    if (!stored) {
      intake.problem = parseProblem(stored.error());
      return intake;
    }
    write.body = std::move(*stored);
  } else {
    write.body = std::string(body);
  }
  collectReferences(parsed->root, write.references);
  if (const auto* identifiers = bound->identifiers()) {
    for (const Identifier& identifier : *identifiers) {
      if (!identifier.value.empty())
        write.identifiers.push_back({type, identifier.system, identifier.value});
    }
  }
  write.hash = sha256Hex(write.body);
  intake.resource = std::move(write);
  return intake;
}

}  // namespace fhir837::serve
