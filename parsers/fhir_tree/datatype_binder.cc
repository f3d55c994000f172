// Binders for the FHIR datatypes of src/model/fhir_types.h.

#include <array>

#include "fhir_tree/bind_support.h"

namespace fhir837::bind {

namespace {

template <class T>
using Table = FieldTable<T>;

const Table<Coding>& codingTable() {
  static const Table<Coding> table{
      field<Coding>("system", &Coding::system),
      field<Coding>("version", &Coding::version),
      field<Coding>("code", &Coding::code),
      field<Coding>("display", &Coding::display),
  };
  return table;
}

const Table<CodeableConcept>& codeableConceptTable() {
  static const Table<CodeableConcept> table{
      field<CodeableConcept>("coding", &CodeableConcept::coding),
      field<CodeableConcept>("text", &CodeableConcept::text),
  };
  return table;
}

const Table<Identifier>& identifierTable() {
  static const Table<Identifier> table{
      field<Identifier>("use", &Identifier::use),
      field<Identifier>("type", &Identifier::type),
      field<Identifier>("system", &Identifier::system),
      field<Identifier>("value", &Identifier::value),
  };
  return table;
}

const Table<Reference>& referenceTable() {
  static const Table<Reference> table{
      field<Reference>("reference", &Reference::reference),
      field<Reference>("type", &Reference::type),
      field<Reference>("identifier", &Reference::identifier),
      field<Reference>("display", &Reference::display),
  };
  return table;
}

const Table<Quantity>& quantityTable() {
  static const Table<Quantity> table{
      {"value",
       [](const Context& ctx, std::span<const FhirNode> nodes, const Path& path, Quantity& out) {
         if (Status s = expectSingle(ctx, nodes, path); !s) return s;
         return bindDecimal(ctx, nodes.front(), path, out.value.emplace());
       }},
      field<Quantity>("comparator", &Quantity::comparator),
      field<Quantity>("unit", &Quantity::unit),
      field<Quantity>("system", &Quantity::system),
      field<Quantity>("code", &Quantity::code),
  };
  return table;
}

const Table<Ratio>& ratioTable() {
  static const Table<Ratio> table{
      field<Ratio>("numerator", &Ratio::numerator),
      field<Ratio>("denominator", &Ratio::denominator),
  };
  return table;
}

const Table<Period>& periodTable() {
  static const Table<Period> table{
      field<Period>("start", &Period::start),
      field<Period>("end", &Period::end),
  };
  return table;
}

const Table<HumanName>& humanNameTable() {
  static const Table<HumanName> table{
      field<HumanName>("use", &HumanName::use),
      field<HumanName>("text", &HumanName::text),
      field<HumanName>("family", &HumanName::family),
      field<HumanName>("given", &HumanName::given),
      field<HumanName>("prefix", &HumanName::prefix),
      field<HumanName>("suffix", &HumanName::suffix),
  };
  return table;
}

const Table<Address>& addressTable() {
  static const Table<Address> table{
      field<Address>("use", &Address::use),
      field<Address>("type", &Address::type),
      field<Address>("text", &Address::text),
      field<Address>("line", &Address::line),
      field<Address>("city", &Address::city),
      field<Address>("district", &Address::district),
      field<Address>("state", &Address::state),
      field<Address>("postalCode", &Address::postalCode),
      field<Address>("country", &Address::country),
  };
  return table;
}

const Table<ContactPoint>& contactPointTable() {
  static const Table<ContactPoint> table{
      field<ContactPoint>("system", &ContactPoint::system),
      field<ContactPoint>("value", &ContactPoint::value),
      field<ContactPoint>("use", &ContactPoint::use),
  };
  return table;
}

const Table<Annotation>& annotationTable() {
  static const Table<Annotation> table{field<Annotation>("text", &Annotation::text)};
  return table;
}

// value[x] suffixes bound as a primitive lexeme into Extension::valueString.
constexpr std::array<std::string_view, 19> kPrimitiveSuffixes{
    "Base64Binary", "Boolean",     "Canonical", "Code",     "Date", "DateTime",    "Decimal",
    "Id",           "Instant",     "Integer",   "Markdown", "Oid",  "PositiveInt", "String",
    "Time",         "UnsignedInt", "Uri",       "Url",      "Uuid"};

}  // namespace

bool isExtensionPrimitiveSuffix(std::string_view suffix) {
  for (std::string_view s : kPrimitiveSuffixes) {
    if (s == suffix) return true;
  }
  return false;
}

bool isQuantitySuffix(std::string_view suffix) {
  return suffix == "Quantity" || suffix == "Age" || suffix == "Duration" || suffix == "Distance" ||
         suffix == "Count";
}

namespace {

Status bindExtensionPrimitive(const Context& ctx, const FhirNode& node, const Path& path,
                              std::string_view suffix, std::string& out) {
  if (suffix == "Boolean") {
    bool ignored = false;
    if (Status s = bindValue(ctx, node, path, ignored); !s) return s;
  } else if (suffix == "Integer" || suffix == "PositiveInt" || suffix == "UnsignedInt") {
    int ignored = 0;
    if (Status s = bindValue(ctx, node, path, ignored); !s) return s;
  } else if (suffix == "Decimal") {
    return bindDecimal(ctx, node, path, out);
  } else if (suffix == "Date" || suffix == "DateTime" || suffix == "Instant") {
    FhirDateTime ignored;
    if (Status s = bindValue(ctx, node, path, ignored); !s) return s;
  } else {
    return bindValue(ctx, node, path, out);
  }
  out = node.value;
  return Status::ok();
}

}  // namespace

Status bindExtensionValue(const Context& ctx, std::string_view name,
                          std::span<const FhirNode> nodes, const Path& path, Extension& out) {
  if (Status s = claimChoice(ctx, !out.valueType.empty(), path, "value[x]"); !s) return s;
  if (Status s = expectSingle(ctx, nodes, path); !s) return s;
  std::string_view suffix = name.substr(5);
  out.valueType = std::string(suffix);
  const FhirNode& node = nodes.front();
  if (isExtensionPrimitiveSuffix(suffix)) {
    return bindExtensionPrimitive(ctx, node, path, suffix, out.valueString);
  }
  if (isQuantitySuffix(suffix)) return bindValue(ctx, node, path, out.valueQuantity.emplace());
  if (suffix == "CodeableConcept") {
    return bindValue(ctx, node, path, out.valueCodeableConcept.emplace());
  }
  if (suffix == "Coding") return bindValue(ctx, node, path, out.valueCoding.emplace());
  if (suffix == "Reference") return bindValue(ctx, node, path, out.valueReference.emplace());
  // Other complex types (Period, Address, ...) are recorded by type only, but still must be
  // complex.
  return expectComplex(ctx, node, path, suffix);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Coding& out) {
  return bindObject(ctx, node, path, "Coding", codingTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, CodeableConcept& out) {
  return bindObject(ctx, node, path, "CodeableConcept", codeableConceptTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Identifier& out) {
  return bindObject(ctx, node, path, "Identifier", identifierTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Reference& out) {
  return bindObject(ctx, node, path, "Reference", referenceTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Quantity& out) {
  return bindObject(ctx, node, path, "Quantity", quantityTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Ratio& out) {
  return bindObject(ctx, node, path, "Ratio", ratioTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Period& out) {
  return bindObject(ctx, node, path, "Period", periodTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, HumanName& out) {
  return bindObject(ctx, node, path, "HumanName", humanNameTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Address& out) {
  return bindObject(ctx, node, path, "Address", addressTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, ContactPoint& out) {
  return bindObject(ctx, node, path, "ContactPoint", contactPointTable(), out);
}
Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Annotation& out) {
  return bindObject(ctx, node, path, "Annotation", annotationTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Extension& out) {
  if (Status s = expectComplex(ctx, node, path, "Extension"); !s) return s;
  for (const auto& [name, nodes] : node.children) {
    Path child = path.child(name);
    Status status;
    if (name == "url") {
      status = bindMember(ctx, nodes, child, out.url);
    } else if (name == "extension") {
      status = bindMember(ctx, nodes, child, out.extension);
    } else if (name.size() > 5 && name.starts_with("value")) {
      status = bindExtensionValue(ctx, name, nodes, child, out);
    }
    if (!status) return status;
  }
  return Status::ok();
}

}  // namespace fhir837::bind
