#include "fhir_json/sax_schema.h"

#include <optional>
#include <type_traits>
#include <vector>

#include "fhir_tree/bind_support.h"

namespace fhir837::fhir_json::sax {

namespace {

// ---- Member access ------------------------------------------------------------------------------

// The model object an element writes into, by the member's cardinality (as bind::bindMember).
template <class T>
T& slotOf(T& member) {
  return member;
}
template <class T>
T& slotOf(std::optional<T>& member) {
  return member.emplace();
}
template <class T>
T& slotOf(std::vector<T>& member) {
  return member.emplace_back();
}

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

// owner.*M1.*M2...: one member pointer, or a path into a nested struct (effective[x]).
template <class R, auto... Members>
auto& memberOf(void* owner) {
  return (*static_cast<R*>(owner).*....*Members);
}
template <class R, auto... Members>
using MemberType = std::remove_reference_t<decltype(memberOf<R, Members...>(nullptr))>;
template <class R, auto... Members>
using SlotType =
    std::remove_reference_t<decltype(slotOf(std::declval<MemberType<R, Members...>&>()))>;

// ---- Primitives: the tree binder's functions on a one-node "tree" ------------------------------

enum class Prim : std::uint8_t { kValue, kDate, kDecimal };

// Errors are only a reason to decline (the tree path then reports them), so no source or path.
const bind::Context kContext{};
const bind::Path kPath{};

template <Prim P, class T>
Status bindPrim(const FhirNode& leaf, T& out) {
  if constexpr (P == Prim::kDate) {
    return bind::bindDate(kContext, leaf, kPath, out);
  } else if constexpr (P == Prim::kDecimal) {
    return bind::bindDecimal(kContext, leaf, kPath, out);
  } else {
    return bind::bindValue(kContext, leaf, kPath, out);
  }
}

template <class R, Prim P, auto... Members>
Status bindPrimitive(void* owner, const FhirNode& leaf) {
  return bindPrim<P>(leaf, slotOf(memberOf<R, Members...>(owner)));
}

template <class R, auto... Members>
void* enterMember(void* owner) {
  return &slotOf(memberOf<R, Members...>(owner));
}

void* enterSelf(void* owner) { return owner; }

template <class T>
const Schema& schemaOf();

template <class R, Prim P, auto... Members>
Field primitive(std::string_view name, std::uint8_t choice) {
  return Field{name, FieldKind::kPrimitive, IsVector<MemberType<R, Members...>>::value, choice,
               &bindPrimitive<R, P, Members...>};
}

// An element bound like bind::field: the binder is chosen by the member's type.
template <class R, auto... Members>
Field f(std::string_view name, std::uint8_t choice = 0) {
  using Slot = SlotType<R, Members...>;
  constexpr bool repeated = IsVector<MemberType<R, Members...>>::value;
  if constexpr (std::is_same_v<Slot, AnyResource>) {
    return Field{name,    FieldKind::kResource,       repeated, choice,
                 nullptr, &enterMember<R, Members...>};
  } else if constexpr (std::is_same_v<Slot, std::string> || std::is_same_v<Slot, int> ||
                       std::is_same_v<Slot, bool> || std::is_same_v<Slot, FhirDateTime>) {
    return primitive<R, Prim::kValue, Members...>(name, choice);
  } else {
    return Field{name,    FieldKind::kComplex,         repeated,       choice,
                 nullptr, &enterMember<R, Members...>, &schemaOf<Slot>};
  }
}

template <class R, auto... Members>
Field date(std::string_view name) {
  return primitive<R, Prim::kDate, Members...>(name, 0);
}
template <class R, auto... Members>
Field decimal(std::string_view name) {
  return primitive<R, Prim::kDecimal, Members...>(name, 0);
}
// An element whose object binds into the owner itself (Encounter.hospitalization).
Field flattened(std::string_view name, const Schema& (*child)()) {
  return Field{name, FieldKind::kComplex, false, 0, nullptr, &enterSelf, child};
}
Field declined(std::string_view name) { return Field{name}; }

template <std::size_t N>
Schema schema(const Field (&fields)[N], bool extension = false) {
  return Schema{std::span<const Field>(fields, N), extension};
}

// ---- Datatypes (datatype_binder.cc) -------------------------------------------------------------

template <>
const Schema& schemaOf<Coding>() {
  static const Field fields[] = {
      f<Coding, &Coding::system>("system"),
      f<Coding, &Coding::version>("version"),
      f<Coding, &Coding::code>("code"),
      f<Coding, &Coding::display>("display"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<CodeableConcept>() {
  static const Field fields[] = {
      f<CodeableConcept, &CodeableConcept::coding>("coding"),
      f<CodeableConcept, &CodeableConcept::text>("text"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Identifier>() {
  static const Field fields[] = {
      f<Identifier, &Identifier::use>("use"),
      f<Identifier, &Identifier::type>("type"),
      f<Identifier, &Identifier::system>("system"),
      f<Identifier, &Identifier::value>("value"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Reference>() {
  static const Field fields[] = {
      f<Reference, &Reference::reference>("reference"),
      f<Reference, &Reference::type>("type"),
      f<Reference, &Reference::identifier>("identifier"),
      f<Reference, &Reference::display>("display"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Quantity>() {
  static const Field fields[] = {
      decimal<Quantity, &Quantity::value>("value"),
      f<Quantity, &Quantity::comparator>("comparator"),
      f<Quantity, &Quantity::unit>("unit"),
      f<Quantity, &Quantity::system>("system"),
      f<Quantity, &Quantity::code>("code"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Ratio>() {
  static const Field fields[] = {
      f<Ratio, &Ratio::numerator>("numerator"),
      f<Ratio, &Ratio::denominator>("denominator"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Period>() {
  static const Field fields[] = {
      f<Period, &Period::start>("start"),
      f<Period, &Period::end>("end"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<HumanName>() {
  static const Field fields[] = {
      f<HumanName, &HumanName::use>("use"),       f<HumanName, &HumanName::text>("text"),
      f<HumanName, &HumanName::family>("family"), f<HumanName, &HumanName::given>("given"),
      f<HumanName, &HumanName::prefix>("prefix"), f<HumanName, &HumanName::suffix>("suffix"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Address>() {
  static const Field fields[] = {
      f<Address, &Address::use>("use"),         f<Address, &Address::type>("type"),
      f<Address, &Address::text>("text"),       f<Address, &Address::line>("line"),
      f<Address, &Address::city>("city"),       f<Address, &Address::district>("district"),
      f<Address, &Address::state>("state"),     f<Address, &Address::postalCode>("postalCode"),
      f<Address, &Address::country>("country"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<ContactPoint>() {
  static const Field fields[] = {
      f<ContactPoint, &ContactPoint::system>("system"),
      f<ContactPoint, &ContactPoint::value>("value"),
      f<ContactPoint, &ContactPoint::use>("use"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Annotation>() {
  static const Field fields[] = {f<Annotation, &Annotation::text>("text")};
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Extension>() {
  static const Field fields[] = {
      f<Extension, &Extension::url>("url"),
      f<Extension, &Extension::extension>("extension"),
  };
  static const Schema s = schema(fields, /*extension=*/true);
  return s;
}

// ---- Backbone elements (backbone_binder.cc) -----------------------------------------------------

template <>
const Schema& schemaOf<CoverageClass>() {
  static const Field fields[] = {
      f<CoverageClass, &CoverageClass::type>("type"),
      f<CoverageClass, &CoverageClass::value>("value"),
      f<CoverageClass, &CoverageClass::name>("name"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<EncounterParticipant>() {
  static const Field fields[] = {
      f<EncounterParticipant, &EncounterParticipant::type>("type"),
      f<EncounterParticipant, &EncounterParticipant::individual>("individual"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<EncounterDiagnosis>() {
  static const Field fields[] = {
      f<EncounterDiagnosis, &EncounterDiagnosis::condition>("condition"),
      f<EncounterDiagnosis, &EncounterDiagnosis::use>("use"),
      f<EncounterDiagnosis, &EncounterDiagnosis::rank>("rank"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<EncounterLocation>() {
  static const Field fields[] = {
      f<EncounterLocation, &EncounterLocation::location>("location"),
      f<EncounterLocation, &EncounterLocation::status>("status"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<MedicationIngredient>() {
  using I = MedicationIngredient;
  static const Field fields[] = {
      f<I, &I::itemCodeableConcept>("itemCodeableConcept", 1),
      f<I, &I::itemReference>("itemReference", 1),
      f<I, &I::isActive>("isActive"),
      f<I, &I::strength>("strength"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Dosage>() {
  static const Field fields[] = {
      f<Dosage, &Dosage::text>("text"),
      f<Dosage, &Dosage::route>("route"),
      f<Dosage, &Dosage::method>("method"),
      f<Dosage, &Dosage::site>("site"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Performer>() {
  static const Field fields[] = {
      f<Performer, &Performer::function>("function"),
      f<Performer, &Performer::actor>("actor"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<AdministrationDosage>() {
  using D = AdministrationDosage;
  static const Field fields[] = {
      f<D, &D::text>("text"),
      f<D, &D::site>("site"),
      f<D, &D::route>("route"),
      f<D, &D::method>("method"),
      f<D, &D::dose>("dose"),
      f<D, &D::modifierExtension>("modifierExtension"),
      f<D, &D::rateRatio>("rateRatio", 1),
      f<D, &D::rateQuantity>("rateQuantity", 1),
  };
  static const Schema s = schema(fields);
  return s;
}

const Schema& bundleRequestSchema() {
  static const Field fields[] = {
      f<BundleEntry, &BundleEntry::requestMethod>("method"),
      f<BundleEntry, &BundleEntry::requestUrl>("url"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<BundleEntry>() {
  static const Field fields[] = {
      f<BundleEntry, &BundleEntry::fullUrl>("fullUrl"),
      f<BundleEntry, &BundleEntry::resource>("resource"),
      flattened("request", &bundleRequestSchema),
  };
  static const Schema s = schema(fields);
  return s;
}

// ---- Resources (resource_binder.cc) -------------------------------------------------------------

// Every resource table starts with the ResourceBase elements (withBase in resource_binder.cc).
#define FHIR837_SAX_BASE(R)                                                   \
  f<R, &ResourceBase::id>("id"), f<R, &ResourceBase::contained>("contained"), \
      f<R, &ResourceBase::extension>("extension"),                            \
      f<R, &ResourceBase::modifierExtension>("modifierExtension")

// medication[x] (choice group 1) and effective[x] / performed[x] (choice group 2).
#define FHIR837_SAX_MEDICATION(R)                                                           \
  f<R, &R::medication, &MedicationChoice::codeableConcept>("medicationCodeableConcept", 1), \
      f<R, &R::medication, &MedicationChoice::reference>("medicationReference", 1)

template <>
const Schema& schemaOf<Patient>() {
  static const Field fields[] = {
      FHIR837_SAX_BASE(Patient),
      f<Patient, &Patient::identifier>("identifier"),
      f<Patient, &Patient::name>("name"),
      f<Patient, &Patient::gender>("gender"),
      date<Patient, &Patient::birthDate>("birthDate"),
      f<Patient, &Patient::address>("address"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Coverage>() {
  static const Field fields[] = {
      FHIR837_SAX_BASE(Coverage),
      f<Coverage, &Coverage::identifier>("identifier"),
      f<Coverage, &Coverage::status>("status"),
      f<Coverage, &Coverage::type>("type"),
      f<Coverage, &Coverage::policyHolder>("policyHolder"),
      f<Coverage, &Coverage::subscriber>("subscriber"),
      f<Coverage, &Coverage::subscriberId>("subscriberId"),
      f<Coverage, &Coverage::beneficiary>("beneficiary"),
      f<Coverage, &Coverage::dependent>("dependent"),
      f<Coverage, &Coverage::relationship>("relationship"),
      f<Coverage, &Coverage::period>("period"),
      f<Coverage, &Coverage::payor>("payor"),
      f<Coverage, &Coverage::classes>("class"),
      f<Coverage, &Coverage::order>("order"),
  };
  static const Schema s = schema(fields);
  return s;
}

const Schema& hospitalizationSchema() {
  static const Field fields[] = {
      f<Encounter, &Encounter::admitSource>("admitSource"),
      f<Encounter, &Encounter::dischargeDisposition>("dischargeDisposition"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Encounter>() {
  static const Field fields[] = {
      FHIR837_SAX_BASE(Encounter),
      f<Encounter, &Encounter::identifier>("identifier"),
      f<Encounter, &Encounter::status>("status"),
      f<Encounter, &Encounter::encounterClass>("class"),
      f<Encounter, &Encounter::type>("type"),
      f<Encounter, &Encounter::serviceType>("serviceType"),
      f<Encounter, &Encounter::priority>("priority"),
      f<Encounter, &Encounter::subject>("subject"),
      f<Encounter, &Encounter::participant>("participant"),
      f<Encounter, &Encounter::period>("period"),
      f<Encounter, &Encounter::reasonCode>("reasonCode"),
      f<Encounter, &Encounter::reasonReference>("reasonReference"),
      f<Encounter, &Encounter::diagnosis>("diagnosis"),
      flattened("hospitalization", &hospitalizationSchema),
      f<Encounter, &Encounter::location>("location"),
      f<Encounter, &Encounter::serviceProvider>("serviceProvider"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Practitioner>() {
  static const Field fields[] = {
      FHIR837_SAX_BASE(Practitioner),
      f<Practitioner, &Practitioner::identifier>("identifier"),
      f<Practitioner, &Practitioner::name>("name"),
      f<Practitioner, &Practitioner::address>("address"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<PractitionerRole>() {
  using P = PractitionerRole;
  static const Field fields[] = {
      FHIR837_SAX_BASE(P),
      f<P, &P::identifier>("identifier"),
      f<P, &P::practitioner>("practitioner"),
      f<P, &P::organization>("organization"),
      f<P, &P::code>("code"),
      f<P, &P::specialty>("specialty"),
      f<P, &P::location>("location"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Organization>() {
  using O = Organization;
  static const Field fields[] = {
      FHIR837_SAX_BASE(O),        f<O, &O::identifier>("identifier"), f<O, &O::type>("type"),
      f<O, &O::name>("name"),     f<O, &O::telecom>("telecom"),       f<O, &O::address>("address"),
      f<O, &O::partOf>("partOf"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Condition>() {
  using C = Condition;
  static const Field fields[] = {
      FHIR837_SAX_BASE(C),
      f<C, &C::identifier>("identifier"),
      f<C, &C::clinicalStatus>("clinicalStatus"),
      f<C, &C::verificationStatus>("verificationStatus"),
      f<C, &C::category>("category"),
      f<C, &C::code>("code"),
      f<C, &C::subject>("subject"),
      f<C, &C::encounter>("encounter"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Location>() {
  using L = Location;
  static const Field fields[] = {
      FHIR837_SAX_BASE(L),
      f<L, &L::identifier>("identifier"),
      f<L, &L::status>("status"),
      f<L, &L::name>("name"),
      f<L, &L::type>("type"),
      f<L, &L::address>("address"),
      f<L, &L::physicalType>("physicalType"),
      f<L, &L::managingOrganization>("managingOrganization"),
      f<L, &L::partOf>("partOf"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Medication>() {
  using M = Medication;
  static const Field fields[] = {
      FHIR837_SAX_BASE(M),
      f<M, &M::identifier>("identifier"),
      f<M, &M::code>("code"),
      f<M, &M::status>("status"),
      f<M, &M::form>("form"),
      f<M, &M::amount>("amount"),
      f<M, &M::ingredient>("ingredient"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<MedicationRequest>() {
  using M = MedicationRequest;
  static const Field fields[] = {
      FHIR837_SAX_BASE(M),
      f<M, &M::identifier>("identifier"),
      f<M, &M::status>("status"),
      f<M, &M::intent>("intent"),
      f<M, &M::subject>("subject"),
      f<M, &M::encounter>("encounter"),
      f<M, &M::dosageInstruction>("dosageInstruction"),
      FHIR837_SAX_MEDICATION(M),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<MedicationAdministration>() {
  using M = MedicationAdministration;
  static const Field fields[] = {
      FHIR837_SAX_BASE(M),
      f<M, &M::identifier>("identifier"),
      f<M, &M::partOf>("partOf"),
      f<M, &M::status>("status"),
      f<M, &M::statusReason>("statusReason"),
      f<M, &M::category>("category"),
      f<M, &M::subject>("subject"),
      f<M, &M::context>("context"),
      f<M, &M::performer>("performer"),
      f<M, &M::reasonCode>("reasonCode"),
      f<M, &M::reasonReference>("reasonReference"),
      f<M, &M::request>("request"),
      f<M, &M::device>("device"),
      f<M, &M::note>("note"),
      f<M, &M::dosage>("dosage"),
      FHIR837_SAX_MEDICATION(M),
      f<M, &M::effective, &TimingChoice::dateTime>("effectiveDateTime", 2),
      f<M, &M::effective, &TimingChoice::period>("effectivePeriod", 2),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Procedure>() {
  using P = Procedure;
  static const Field fields[] = {
      FHIR837_SAX_BASE(P),
      f<P, &P::identifier>("identifier"),
      f<P, &P::partOf>("partOf"),
      f<P, &P::status>("status"),
      f<P, &P::statusReason>("statusReason"),
      f<P, &P::category>("category"),
      f<P, &P::code>("code"),
      f<P, &P::subject>("subject"),
      f<P, &P::encounter>("encounter"),
      f<P, &P::performer>("performer"),
      f<P, &P::location>("location"),
      f<P, &P::reasonCode>("reasonCode"),
      f<P, &P::reasonReference>("reasonReference"),
      f<P, &P::bodySite>("bodySite"),
      f<P, &P::note>("note"),
      f<P, &P::usedReference>("usedReference"),
      f<P, &P::usedCode>("usedCode"),
      f<P, &P::performed, &TimingChoice::dateTime>("performedDateTime", 2),
      f<P, &P::performed, &TimingChoice::period>("performedPeriod", 2),
      // Kept by name only (TimingChoice::other) by the tree binder: rare, left to it.
      declined("performedString"),
      declined("performedAge"),
      declined("performedRange"),
  };
  static const Schema s = schema(fields);
  return s;
}

// Device.deviceName: the tree binder keeps each item's `name` (0..1), dropping items without one;
// the items bind into the Device itself, and `name` appends to Device::deviceName.
const Schema& deviceNameSchema() {
  static const Field fields[] = {
      Field{"name", FieldKind::kPrimitive, false, 0,
            &bindPrimitive<Device, Prim::kValue, &Device::deviceName>},
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Device>() {
  static const Field fields[] = {
      FHIR837_SAX_BASE(Device),
      f<Device, &Device::identifier>("identifier"),
      f<Device, &Device::status>("status"),
      f<Device, &Device::type>("type"),
      Field{"deviceName", FieldKind::kComplex, true, 0, nullptr, &enterSelf, &deviceNameSchema},
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<Bundle>() {
  static const Field fields[] = {
      FHIR837_SAX_BASE(Bundle),
      f<Bundle, &Bundle::type>("type"),
      f<Bundle, &Bundle::entry>("entry"),
  };
  static const Schema s = schema(fields);
  return s;
}

template <>
const Schema& schemaOf<OtherResource>() {
  static const Field fields[] = {FHIR837_SAX_BASE(OtherResource)};
  static const Schema s = schema(fields);
  return s;
}

#undef FHIR837_SAX_BASE
#undef FHIR837_SAX_MEDICATION

template <class R>
void* emplaceAs(AnyResource& out) {
  return &out.value.emplace<R>();
}

struct ResourceEntry {
  std::string_view type;
  const Schema& (*schema)();
  void* (*emplace)(AnyResource&);
};

template <class R>
constexpr ResourceEntry entry(std::string_view type) {
  return ResourceEntry{type, &schemaOf<R>, &emplaceAs<R>};
}

// The types of resource_binder.cc's kResources.
const ResourceEntry kResources[] = {
    entry<Patient>("Patient"),
    entry<Coverage>("Coverage"),
    entry<Encounter>("Encounter"),
    entry<Practitioner>("Practitioner"),
    entry<PractitionerRole>("PractitionerRole"),
    entry<Organization>("Organization"),
    entry<Condition>("Condition"),
    entry<Location>("Location"),
    entry<Medication>("Medication"),
    entry<MedicationRequest>("MedicationRequest"),
    entry<Device>("Device"),
    entry<MedicationAdministration>("MedicationAdministration"),
    entry<Procedure>("Procedure"),
    entry<Bundle>("Bundle"),
};

}  // namespace

bool startResource(std::string_view type, AnyResource& out, void*& target, const Schema*& schema) {
  for (const ResourceEntry& known : kResources) {
    if (known.type != type) continue;
    target = known.emplace(out);
    schema = &known.schema();
    return true;
  }
  // As bind::bindValue(AnyResource): an unmodelled type keeps its name and the base elements.
  OtherResource& other = out.value.emplace<OtherResource>();
  other.resourceType = std::string(type);
  target = &other;
  schema = &schemaOf<OtherResource>();
  return true;
}

ExtensionValue startExtensionValue(Extension& out, std::string_view suffix, void*& target,
                                   const Schema*& schema) {
  // A second value[x], or an object where a primitive belongs: the tree binder's call.
  if (!out.valueType.empty() || bind::isExtensionPrimitiveSuffix(suffix)) {
    return ExtensionValue::kDecline;
  }
  out.valueType = std::string(suffix);
  if (bind::isQuantitySuffix(suffix)) {
    target = &out.valueQuantity.emplace();
    schema = &schemaOf<Quantity>();
  } else if (suffix == "CodeableConcept") {
    target = &out.valueCodeableConcept.emplace();
    schema = &schemaOf<CodeableConcept>();
  } else if (suffix == "Coding") {
    target = &out.valueCoding.emplace();
    schema = &schemaOf<Coding>();
  } else if (suffix == "Reference") {
    target = &out.valueReference.emplace();
    schema = &schemaOf<Reference>();
  } else {
    return ExtensionValue::kSkip;  // recorded by type only
  }
  return ExtensionValue::kBind;
}

Status bindExtensionScalar(Extension& out, std::string_view name, const FhirNode& leaf) {
  return bind::bindExtensionValue(kContext, name, std::span<const FhirNode>(&leaf, 1), kPath, out);
}

}  // namespace fhir837::fhir_json::sax
