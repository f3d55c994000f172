// Field tables for the resources of src/model/resources.h, and the resourceType dispatch.

#include "fhir_tree/bind_support.h"

namespace fhir837::bind {

namespace {

template <class T>
using Table = FieldTable<T>;
using Nodes = std::span<const FhirNode>;

template <class R>
Table<R> withBase(Table<R> table) {
  table.push_back(field<R>("id", &ResourceBase::id));
  table.push_back(field<R>("contained", &ResourceBase::contained));
  table.push_back(field<R>("extension", &ResourceBase::extension));
  table.push_back(field<R>("modifierExtension", &ResourceBase::modifierExtension));
  return table;
}

// medication[x] and the timing choices share one shape each across resources.
template <class R>
void addMedicationChoice(Table<R>& table, MedicationChoice R::*member) {
  auto taken = [member](const R& r) {
    return (r.*member).codeableConcept || (r.*member).reference;
  };
  table.push_back(choiceField<R>(
      "medicationCodeableConcept", "medication[x]",
      taken, [member](R & r) -> auto& { return (r.*member).codeableConcept; }));
  table.push_back(choiceField<R>(
      "medicationReference", "medication[x]",
      taken, [member](R & r) -> auto& { return (r.*member).reference; }));
}

// effective[x] / performed[x]; `prefix` is "effective" or "performed". Alternatives that no
// claim can use (performedString/Age/Range) are shape-checked and kept by name only.
template <class R>
void addTimingChoice(Table<R>& table, std::string_view prefix, std::string_view dateTimeName,
                     std::string_view periodName, std::string_view choiceName,
                     TimingChoice R::*member, std::vector<std::string_view> otherNames = {}) {
  auto taken = [member](const R& r) { return !(r.*member).empty(); };
  table.push_back(choiceField<R>(
      dateTimeName, choiceName, taken, [member](R & r) -> auto& { return (r.*member).dateTime; }));
  table.push_back(choiceField<R>(
      periodName, choiceName, taken, [member](R & r) -> auto& { return (r.*member).period; }));
  for (std::string_view name : otherNames) {
    table.push_back(Field<R>{
        name, [=](const Context& ctx, Nodes nodes, const Path& path, R& out) {
          if (Status s = claimChoice(ctx, taken(out), path, choiceName); !s) return s;
          if (Status s = expectSingle(ctx, nodes, path); !s) return s;
          Status shape = name.ends_with("String")
                             ? expectPrimitive(ctx, nodes.front(), path, "string")
                             : expectComplex(ctx, nodes.front(), path, name.substr(prefix.size()));
          if (!shape) return shape;
          (out.*member).other = std::string(name);
          return Status::ok();
        }});
  }
}

// ---- Resources ---------------------------------------------------------------------------------

const Table<Patient>& patientTable() {
  static const Table<Patient> table = withBase<Patient>({
      field<Patient>("identifier", &Patient::identifier),
      field<Patient>("name", &Patient::name),
      field<Patient>("gender", &Patient::gender),
      {"birthDate",
       [](const Context& ctx, Nodes nodes, const Path& path, Patient& out) {
         if (Status s = expectSingle(ctx, nodes, path); !s) return s;
         return bindDate(ctx, nodes.front(), path, out.birthDate.emplace());
       }},
      field<Patient>("address", &Patient::address),
  });
  return table;
}

const Table<Coverage>& coverageTable() {
  static const Table<Coverage> table = withBase<Coverage>({
      field<Coverage>("identifier", &Coverage::identifier),
      field<Coverage>("status", &Coverage::status),
      field<Coverage>("type", &Coverage::type),
      field<Coverage>("policyHolder", &Coverage::policyHolder),
      field<Coverage>("subscriber", &Coverage::subscriber),
      field<Coverage>("subscriberId", &Coverage::subscriberId),
      field<Coverage>("beneficiary", &Coverage::beneficiary),
      field<Coverage>("dependent", &Coverage::dependent),
      field<Coverage>("relationship", &Coverage::relationship),
      field<Coverage>("period", &Coverage::period),
      field<Coverage>("payor", &Coverage::payor),
      field<Coverage>("class", &Coverage::classes),
      field<Coverage>("order", &Coverage::order),
  });
  return table;
}

const Table<Encounter>& encounterTable() {
  static const Table<Encounter> hospitalizationTable{
      field<Encounter>("admitSource", &Encounter::admitSource),
      field<Encounter>("dischargeDisposition", &Encounter::dischargeDisposition),
  };
  static const Table<Encounter> table = withBase<Encounter>({
      field<Encounter>("identifier", &Encounter::identifier),
      field<Encounter>("status", &Encounter::status),
      field<Encounter>("class", &Encounter::encounterClass),
      field<Encounter>("type", &Encounter::type),
      field<Encounter>("serviceType", &Encounter::serviceType),
      field<Encounter>("priority", &Encounter::priority),
      field<Encounter>("subject", &Encounter::subject),
      field<Encounter>("participant", &Encounter::participant),
      field<Encounter>("period", &Encounter::period),
      field<Encounter>("reasonCode", &Encounter::reasonCode),
      field<Encounter>("reasonReference", &Encounter::reasonReference),
      field<Encounter>("diagnosis", &Encounter::diagnosis),
      {"hospitalization",
       [](const Context& ctx, Nodes nodes, const Path& path, Encounter& out) {
         if (Status s = expectSingle(ctx, nodes, path); !s) return s;
         return bindObject(ctx, nodes.front(), path, "Encounter.hospitalization",
                           hospitalizationTable, out);
       }},
      field<Encounter>("location", &Encounter::location),
      field<Encounter>("serviceProvider", &Encounter::serviceProvider),
  });
  return table;
}

const Table<Practitioner>& practitionerTable() {
  static const Table<Practitioner> table = withBase<Practitioner>({
      field<Practitioner>("identifier", &Practitioner::identifier),
      field<Practitioner>("name", &Practitioner::name),
      field<Practitioner>("address", &Practitioner::address),
  });
  return table;
}

const Table<PractitionerRole>& practitionerRoleTable() {
  static const Table<PractitionerRole> table = withBase<PractitionerRole>({
      field<PractitionerRole>("identifier", &PractitionerRole::identifier),
      field<PractitionerRole>("practitioner", &PractitionerRole::practitioner),
      field<PractitionerRole>("organization", &PractitionerRole::organization),
      field<PractitionerRole>("code", &PractitionerRole::code),
      field<PractitionerRole>("specialty", &PractitionerRole::specialty),
      field<PractitionerRole>("location", &PractitionerRole::location),
  });
  return table;
}

const Table<Organization>& organizationTable() {
  static const Table<Organization> table = withBase<Organization>({
      field<Organization>("identifier", &Organization::identifier),
      field<Organization>("type", &Organization::type),
      field<Organization>("name", &Organization::name),
      field<Organization>("telecom", &Organization::telecom),
      field<Organization>("address", &Organization::address),
      field<Organization>("partOf", &Organization::partOf),
  });
  return table;
}

const Table<Condition>& conditionTable() {
  static const Table<Condition> table = withBase<Condition>({
      field<Condition>("identifier", &Condition::identifier),
      field<Condition>("clinicalStatus", &Condition::clinicalStatus),
      field<Condition>("verificationStatus", &Condition::verificationStatus),
      field<Condition>("category", &Condition::category),
      field<Condition>("code", &Condition::code),
      field<Condition>("subject", &Condition::subject),
      field<Condition>("encounter", &Condition::encounter),
  });
  return table;
}

const Table<Location>& locationTable() {
  static const Table<Location> table = withBase<Location>({
      field<Location>("identifier", &Location::identifier),
      field<Location>("status", &Location::status),
      field<Location>("name", &Location::name),
      field<Location>("type", &Location::type),
      field<Location>("address", &Location::address),
      field<Location>("physicalType", &Location::physicalType),
      field<Location>("managingOrganization", &Location::managingOrganization),
      field<Location>("partOf", &Location::partOf),
  });
  return table;
}

const Table<Medication>& medicationTable() {
  static const Table<Medication> table = withBase<Medication>({
      field<Medication>("identifier", &Medication::identifier),
      field<Medication>("code", &Medication::code),
      field<Medication>("status", &Medication::status),
      field<Medication>("form", &Medication::form),
      field<Medication>("amount", &Medication::amount),
      field<Medication>("ingredient", &Medication::ingredient),
  });
  return table;
}

const Table<MedicationRequest>& medicationRequestTable() {
  static const Table<MedicationRequest> table = [] {
    Table<MedicationRequest> t = withBase<MedicationRequest>({
        field<MedicationRequest>("identifier", &MedicationRequest::identifier),
        field<MedicationRequest>("status", &MedicationRequest::status),
        field<MedicationRequest>("intent", &MedicationRequest::intent),
        field<MedicationRequest>("subject", &MedicationRequest::subject),
        field<MedicationRequest>("encounter", &MedicationRequest::encounter),
        field<MedicationRequest>("dosageInstruction", &MedicationRequest::dosageInstruction),
    });
    addMedicationChoice(t, &MedicationRequest::medication);
    return t;
  }();
  return table;
}

const Table<Device>& deviceTable() {
  static const Table<Device> table = withBase<Device>({
      field<Device>("identifier", &Device::identifier),
      field<Device>("status", &Device::status),
      field<Device>("type", &Device::type),
      {"deviceName",
       [](const Context& ctx, Nodes nodes, const Path& path, Device& out) {
         static const Table<std::optional<std::string>> nameTable{
             {"name", [](const Context& c, Nodes n, const Path& p, std::optional<std::string>& o) {
                return bindMember(c, n, p, o);
              }}};
         for (std::size_t i = 0; i < nodes.size(); ++i) {
           std::optional<std::string> name;
           Path item = path.at(i);
           if (Status s = bindObject(ctx, nodes[i], item, "Device.deviceName", nameTable, name);
               !s) {
             return s;
           }
           if (name) out.deviceName.push_back(std::move(*name));
         }
         return Status::ok();
       }},
  });
  return table;
}

const Table<MedicationAdministration>& medicationAdministrationTable() {
  using MA = MedicationAdministration;
  static const Table<MA> table = [] {
    Table<MA> t = withBase<MA>({
        field<MA>("identifier", &MA::identifier),
        field<MA>("partOf", &MA::partOf),
        field<MA>("status", &MA::status),
        field<MA>("statusReason", &MA::statusReason),
        field<MA>("category", &MA::category),
        field<MA>("subject", &MA::subject),
        field<MA>("context", &MA::context),
        field<MA>("performer", &MA::performer),
        field<MA>("reasonCode", &MA::reasonCode),
        field<MA>("reasonReference", &MA::reasonReference),
        field<MA>("request", &MA::request),
        field<MA>("device", &MA::device),
        field<MA>("note", &MA::note),
        field<MA>("dosage", &MA::dosage),
    });
    addMedicationChoice(t, &MA::medication);
    addTimingChoice(t, "effective", "effectiveDateTime", "effectivePeriod", "effective[x]",
                    &MA::effective);
    return t;
  }();
  return table;
}

const Table<Procedure>& procedureTable() {
  static const Table<Procedure> table = [] {
    Table<Procedure> t = withBase<Procedure>({
        field<Procedure>("identifier", &Procedure::identifier),
        field<Procedure>("partOf", &Procedure::partOf),
        field<Procedure>("status", &Procedure::status),
        field<Procedure>("statusReason", &Procedure::statusReason),
        field<Procedure>("category", &Procedure::category),
        field<Procedure>("code", &Procedure::code),
        field<Procedure>("subject", &Procedure::subject),
        field<Procedure>("encounter", &Procedure::encounter),
        field<Procedure>("performer", &Procedure::performer),
        field<Procedure>("location", &Procedure::location),
        field<Procedure>("reasonCode", &Procedure::reasonCode),
        field<Procedure>("reasonReference", &Procedure::reasonReference),
        field<Procedure>("bodySite", &Procedure::bodySite),
        field<Procedure>("note", &Procedure::note),
        field<Procedure>("usedReference", &Procedure::usedReference),
    });
    addTimingChoice(t, "performed", "performedDateTime", "performedPeriod", "performed[x]",
                    &Procedure::performed, {"performedString", "performedAge", "performedRange"});
    return t;
  }();
  return table;
}

const Table<Bundle>& bundleTable() {
  static const Table<Bundle> table = withBase<Bundle>({
      field<Bundle>("type", &Bundle::type),
      field<Bundle>("entry", &Bundle::entry),
  });
  return table;
}

template <class R>
Status bindAs(const Context& ctx, const FhirNode& node, const Path& path, const Table<R>& table,
              AnyResource& out) {
  R resource;
  if (Status s = bindFields(ctx, node, path, table, resource); !s) return s;
  out.value = std::move(resource);
  return Status::ok();
}

using ResourceBinder = Status (*)(const Context&, const FhirNode&, const Path&, AnyResource&);

struct ResourceEntry {
  std::string_view type;
  ResourceBinder bind;
};

template <class R, const Table<R>& (*tableFn)()>
Status bindWith(const Context& ctx, const FhirNode& node, const Path& path, AnyResource& out) {
  return bindAs(ctx, node, path, tableFn(), out);
}

constexpr ResourceEntry kResources[] = {
    {"Patient", bindWith<Patient, patientTable>},
    {"Coverage", bindWith<Coverage, coverageTable>},
    {"Encounter", bindWith<Encounter, encounterTable>},
    {"Practitioner", bindWith<Practitioner, practitionerTable>},
    {"PractitionerRole", bindWith<PractitionerRole, practitionerRoleTable>},
    {"Organization", bindWith<Organization, organizationTable>},
    {"Condition", bindWith<Condition, conditionTable>},
    {"Location", bindWith<Location, locationTable>},
    {"Medication", bindWith<Medication, medicationTable>},
    {"MedicationRequest", bindWith<MedicationRequest, medicationRequestTable>},
    {"Device", bindWith<Device, deviceTable>},
    {"MedicationAdministration", bindWith<MedicationAdministration, medicationAdministrationTable>},
    {"Procedure", bindWith<Procedure, procedureTable>},
    {"Bundle", bindWith<Bundle, bundleTable>},
};

const Table<OtherResource>& otherTable() {
  static const Table<OtherResource> table = withBase<OtherResource>({});
  return table;
}

}  // namespace

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, AnyResource& out) {
  if (!node.isResource()) {
    return ctx.error(ErrorCode::kWrongType, "expected a resource (no resourceType found)", path);
  }
  if (node.hasValue()) {
    return ctx.error(ErrorCode::kWrongType, "a resource cannot have a primitive value", path);
  }
  for (const ResourceEntry& entry : kResources) {
    if (entry.type == node.resourceType) return entry.bind(ctx, node, path, out);
  }
  OtherResource other;
  other.resourceType = node.resourceType;
  if (Status s = bindFields(ctx, node, path, otherTable(), other); !s) return s;
  out.value = std::move(other);
  return Status::ok();
}

}  // namespace fhir837::bind
