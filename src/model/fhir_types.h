#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/fhir_datetime.h"

namespace fhir837 {

// FHIR R4 datatypes, reduced to the elements a claim can use. Every struct compares with ==, so
// the JSON and XML parses of one example can be checked for identity.

struct Coding {
  std::string system, version, code, display;
  bool operator==(const Coding&) const = default;
};

struct CodeableConcept {
  std::vector<Coding> coding;
  std::string text;
  bool operator==(const CodeableConcept&) const = default;

  // First coding with this system (exact match), or nullptr.
  const Coding* findSystem(std::string_view system) const;
  bool empty() const { return coding.empty() && text.empty(); }
};

struct Identifier {
  std::string use, system, value;
  CodeableConcept type;
  bool operator==(const Identifier&) const = default;
};

struct Reference {
  std::string reference;  // relative, absolute, urn:uuid:, #contained or conditional
  std::string type;
  std::optional<Identifier> identifier;  // logical reference
  std::string display;
  bool operator==(const Reference&) const = default;
  bool empty() const { return reference.empty() && !identifier; }
};

struct Quantity {
  std::optional<std::string> value;  // decimal lexeme as written, e.g. "10.0"
  std::string comparator, unit, system, code;
  bool operator==(const Quantity&) const = default;
};

struct Ratio {
  std::optional<Quantity> numerator, denominator;
  bool operator==(const Ratio&) const = default;
};

struct Period {
  std::optional<FhirDateTime> start, end;
  bool operator==(const Period&) const = default;
};

struct HumanName {
  std::string use, text, family;
  std::vector<std::string> given, prefix, suffix;
  bool operator==(const HumanName&) const = default;
};

struct Address {
  std::string use, type, text, city, district, state, postalCode, country;
  std::vector<std::string> line;
  bool operator==(const Address&) const = default;
};

struct ContactPoint {
  std::string system, value, use;
  bool operator==(const ContactPoint&) const = default;
};

struct Annotation {
  std::string text;
  bool operator==(const Annotation&) const = default;
};

// Extensions are kept generically: fhir837 defines a few of its own (e.g. documented drug waste)
// and reads them by URL.
struct Extension {
  std::string url;
  std::string valueType;    // the [x] suffix, e.g. "Quantity", "Code", "Boolean"
  std::string valueString;  // primitive values as written
  std::optional<Quantity> valueQuantity;
  std::optional<CodeableConcept> valueCodeableConcept;
  std::optional<Coding> valueCoding;
  std::optional<Reference> valueReference;
  std::vector<Extension> extension;
  bool operator==(const Extension&) const = default;
};

}  // namespace fhir837
