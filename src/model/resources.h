#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/fhir_types.h"

namespace fhir837 {

struct AnyResource;

// Elements every resource type shares.
struct ResourceBase {
  std::string id;
  std::vector<AnyResource> contained;
  std::vector<Extension> extension;
  // FHIR forbids processing a resource whose modifierExtension is not understood; fhir837
  // understands none, so any present one stops billing (FHIR-MODEXT).
  std::vector<Extension> modifierExtension;
  bool operator==(const ResourceBase&) const;
};

struct Patient : ResourceBase {
  std::vector<Identifier> identifier;
  std::vector<HumanName> name;
  std::string gender;
  std::optional<FhirDateTime> birthDate;
  std::vector<Address> address;
  bool operator==(const Patient&) const = default;
};

struct CoverageClass {
  CodeableConcept type;
  std::string value, name;
  bool operator==(const CoverageClass&) const = default;
};

struct Coverage : ResourceBase {
  std::vector<Identifier> identifier;
  std::string status;
  CodeableConcept type;
  Reference policyHolder, subscriber, beneficiary;
  std::string subscriberId, dependent;
  CodeableConcept relationship;
  std::optional<Period> period;
  std::vector<Reference> payor;
  std::vector<CoverageClass> classes;  // FHIR `class`
  std::optional<int> order;
  bool operator==(const Coverage&) const = default;
};

struct EncounterParticipant {
  std::vector<CodeableConcept> type;
  Reference individual;
  bool operator==(const EncounterParticipant&) const = default;
};

struct EncounterDiagnosis {
  Reference condition;
  CodeableConcept use;
  std::optional<int> rank;
  bool operator==(const EncounterDiagnosis&) const = default;
};

struct EncounterLocation {
  Reference location;
  std::string status;
  bool operator==(const EncounterLocation&) const = default;
};

struct Encounter : ResourceBase {
  std::vector<Identifier> identifier;
  std::string status;
  Coding encounterClass;  // FHIR `class`
  std::vector<CodeableConcept> type;
  CodeableConcept serviceType, priority;
  Reference subject;
  std::vector<EncounterParticipant> participant;
  std::optional<Period> period;
  std::vector<CodeableConcept> reasonCode;
  std::vector<Reference> reasonReference;
  std::vector<EncounterDiagnosis> diagnosis;
  CodeableConcept admitSource, dischargeDisposition;  // from `hospitalization`
  std::vector<EncounterLocation> location;
  Reference serviceProvider;
  bool operator==(const Encounter&) const = default;
};

struct Practitioner : ResourceBase {
  std::vector<Identifier> identifier;
  std::vector<HumanName> name;
  std::vector<Address> address;
  bool operator==(const Practitioner&) const = default;
};

struct PractitionerRole : ResourceBase {
  std::vector<Identifier> identifier;
  Reference practitioner, organization;
  std::vector<CodeableConcept> code, specialty;
  std::vector<Reference> location;
  bool operator==(const PractitionerRole&) const = default;
};

struct Organization : ResourceBase {
  std::vector<Identifier> identifier;
  std::vector<CodeableConcept> type;
  std::string name;
  std::vector<ContactPoint> telecom;
  std::vector<Address> address;
  Reference partOf;
  bool operator==(const Organization&) const = default;
};

struct Condition : ResourceBase {
  std::vector<Identifier> identifier;
  CodeableConcept clinicalStatus, verificationStatus;
  std::vector<CodeableConcept> category;
  CodeableConcept code;
  Reference subject, encounter;
  bool operator==(const Condition&) const = default;
};

struct Location : ResourceBase {
  std::vector<Identifier> identifier;
  std::string status, name;
  std::vector<CodeableConcept> type;
  std::optional<Address> address;
  CodeableConcept physicalType;
  Reference managingOrganization, partOf;
  bool operator==(const Location&) const = default;
};

struct MedicationIngredient {
  std::optional<CodeableConcept> itemCodeableConcept;
  std::optional<Reference> itemReference;
  std::optional<bool> isActive;
  std::optional<Ratio> strength;
  bool operator==(const MedicationIngredient&) const = default;
};

struct Medication : ResourceBase {
  std::vector<Identifier> identifier;
  CodeableConcept code, form;
  std::string status;
  std::optional<Ratio> amount;
  std::vector<MedicationIngredient> ingredient;
  bool operator==(const Medication&) const = default;
};

// Either a CodeableConcept or a Reference, as in FHIR's medication[x].
struct MedicationChoice {
  std::optional<CodeableConcept> codeableConcept;
  std::optional<Reference> reference;
  bool operator==(const MedicationChoice&) const = default;
};

struct Dosage {  // MedicationRequest.dosageInstruction (reduced)
  std::string text;
  CodeableConcept route, method, site;
  bool operator==(const Dosage&) const = default;
};

struct MedicationRequest : ResourceBase {
  std::vector<Identifier> identifier;
  std::string status, intent;
  MedicationChoice medication;
  Reference subject, encounter;
  std::vector<Dosage> dosageInstruction;
  bool operator==(const MedicationRequest&) const = default;
};

struct Device : ResourceBase {
  std::vector<Identifier> identifier;
  std::string status;
  CodeableConcept type;
  std::vector<std::string> deviceName;  // deviceName.name
  bool operator==(const Device&) const = default;
};

struct Performer {
  CodeableConcept function;
  Reference actor;
  bool operator==(const Performer&) const = default;
};

// MedicationAdministration.dosage
struct AdministrationDosage {
  std::string text;
  CodeableConcept site, route, method;
  std::optional<Quantity> dose;
  std::optional<Ratio> rateRatio;
  std::optional<Quantity> rateQuantity;
  std::vector<Extension> modifierExtension;
  bool operator==(const AdministrationDosage&) const = default;
};

// effective[x] / performed[x]: at most one of these is set.
struct TimingChoice {
  std::optional<FhirDateTime> dateTime;
  std::optional<Period> period;
  std::string other;  // performedString / performedAge / performedRange: kept, never billed
  bool operator==(const TimingChoice&) const = default;
  bool empty() const { return !dateTime && !period && other.empty(); }
};

struct MedicationAdministration : ResourceBase {
  std::vector<Identifier> identifier;
  std::vector<Reference> partOf;
  std::string status;
  std::vector<CodeableConcept> statusReason;
  CodeableConcept category;
  MedicationChoice medication;
  Reference subject, context;
  TimingChoice effective;
  std::vector<Performer> performer;
  std::vector<CodeableConcept> reasonCode;
  std::vector<Reference> reasonReference;
  Reference request;
  std::vector<Reference> device;
  std::vector<Annotation> note;
  std::optional<AdministrationDosage> dosage;
  bool operator==(const MedicationAdministration&) const = default;
};

struct Procedure : ResourceBase {
  std::vector<Identifier> identifier;
  std::vector<Reference> partOf;
  std::string status;
  CodeableConcept statusReason, category, code;
  Reference subject, encounter;
  TimingChoice performed;
  std::vector<Performer> performer;
  Reference location;
  std::vector<CodeableConcept> reasonCode;
  std::vector<Reference> reasonReference;
  std::vector<CodeableConcept> bodySite;
  std::vector<Annotation> note;
  std::vector<Reference> usedReference;
  bool operator==(const Procedure&) const = default;
};

struct BundleEntry;

struct Bundle : ResourceBase {
  std::string type;
  std::vector<BundleEntry> entry;
  bool operator==(const Bundle&) const;
};

// Any resource type fhir837 does not model is kept as its type name and id only, so that a
// reference to it resolves (and is then reported as unusable) instead of failing as dangling.
struct OtherResource : ResourceBase {
  std::string resourceType;
  bool operator==(const OtherResource&) const = default;
};

using ResourceVariant =
    std::variant<Patient, Coverage, Encounter, Practitioner, PractitionerRole, Organization,
                 Condition, Location, Medication, MedicationRequest, Device,
                 MedicationAdministration, Procedure, Bundle, OtherResource>;

struct AnyResource {
  ResourceVariant value;
  bool operator==(const AnyResource&) const = default;

  std::string_view resourceType() const;
  const std::string& id() const;
  const ResourceBase& base() const;
  // The resource's `identifier` list, or nullptr for types without one (or with a single one).
  const std::vector<Identifier>* identifiers() const;
  template <class T>
  const T* as() const {
    return std::get_if<T>(&value);
  }
};

struct BundleEntry {
  std::string fullUrl;
  std::optional<AnyResource> resource;
  std::string requestMethod, requestUrl;  // transaction/batch entries
  bool operator==(const BundleEntry&) const = default;
};

}  // namespace fhir837
