// Binders for the backbone elements of the modelled resources (Coverage.class,
// Encounter.diagnosis, MedicationAdministration.dosage, Bundle.entry...).

#include "fhir_tree/bind_support.h"

namespace fhir837::bind {

namespace {

template <class T>
using Table = FieldTable<T>;
using Nodes = std::span<const FhirNode>;

// ---- Backbone elements -------------------------------------------------------------------------

const Table<CoverageClass>& coverageClassTable() {
  static const Table<CoverageClass> table{
      field<CoverageClass>("type", &CoverageClass::type),
      field<CoverageClass>("value", &CoverageClass::value),
      field<CoverageClass>("name", &CoverageClass::name),
  };
  return table;
}

const Table<EncounterParticipant>& participantTable() {
  static const Table<EncounterParticipant> table{
      field<EncounterParticipant>("type", &EncounterParticipant::type),
      field<EncounterParticipant>("individual", &EncounterParticipant::individual),
  };
  return table;
}

const Table<EncounterDiagnosis>& diagnosisTable() {
  static const Table<EncounterDiagnosis> table{
      field<EncounterDiagnosis>("condition", &EncounterDiagnosis::condition),
      field<EncounterDiagnosis>("use", &EncounterDiagnosis::use),
      field<EncounterDiagnosis>("rank", &EncounterDiagnosis::rank),
  };
  return table;
}

const Table<EncounterLocation>& encounterLocationTable() {
  static const Table<EncounterLocation> table{
      field<EncounterLocation>("location", &EncounterLocation::location),
      field<EncounterLocation>("status", &EncounterLocation::status),
  };
  return table;
}

const Table<MedicationIngredient>& ingredientTable() {
  auto taken = [](const MedicationIngredient& i) {
    return i.itemCodeableConcept || i.itemReference;
  };
  static const Table<MedicationIngredient> table{
      choiceField<MedicationIngredient>(
          "itemCodeableConcept", "item[x]", taken,
          [](MedicationIngredient & i) -> auto& { return i.itemCodeableConcept; }),
      choiceField<MedicationIngredient>(
          "itemReference", "item[x]", taken,
          [](MedicationIngredient & i) -> auto& { return i.itemReference; }),
      field<MedicationIngredient>("isActive", &MedicationIngredient::isActive),
      field<MedicationIngredient>("strength", &MedicationIngredient::strength),
  };
  return table;
}

const Table<Dosage>& dosageTable() {
  static const Table<Dosage> table{
      field<Dosage>("text", &Dosage::text),
      field<Dosage>("route", &Dosage::route),
      field<Dosage>("method", &Dosage::method),
      field<Dosage>("site", &Dosage::site),
  };
  return table;
}

const Table<Performer>& performerTable() {
  static const Table<Performer> table{
      field<Performer>("function", &Performer::function),
      field<Performer>("actor", &Performer::actor),
  };
  return table;
}

const Table<AdministrationDosage>& administrationDosageTable() {
  auto taken = [](const AdministrationDosage& d) { return d.rateRatio || d.rateQuantity; };
  static const Table<AdministrationDosage> table{
      field<AdministrationDosage>("text", &AdministrationDosage::text),
      field<AdministrationDosage>("site", &AdministrationDosage::site),
      field<AdministrationDosage>("route", &AdministrationDosage::route),
      field<AdministrationDosage>("method", &AdministrationDosage::method),
      field<AdministrationDosage>("dose", &AdministrationDosage::dose),
      field<AdministrationDosage>("modifierExtension", &AdministrationDosage::modifierExtension),
      choiceField<AdministrationDosage>(
          "rateRatio", "rate[x]", taken,
          [](AdministrationDosage & d) -> auto& { return d.rateRatio; }),
      choiceField<AdministrationDosage>(
          "rateQuantity", "rate[x]", taken,
          [](AdministrationDosage & d) -> auto& { return d.rateQuantity; }),
  };
  return table;
}

const Table<BundleEntry>& bundleEntryTable() {
  static const Table<BundleEntry> requestTable{
      field<BundleEntry>("method", &BundleEntry::requestMethod),
      field<BundleEntry>("url", &BundleEntry::requestUrl),
  };
  static const Table<BundleEntry> table{
      field<BundleEntry>("fullUrl", &BundleEntry::fullUrl),
      field<BundleEntry>("resource", &BundleEntry::resource),
      {"request",
       [](const Context& ctx, Nodes nodes, const Path& path, BundleEntry& out) {
         if (Status s = expectSingle(ctx, nodes, path); !s) return s;
         return bindObject(ctx, nodes.front(), path, "Bundle.entry.request", requestTable, out);
       }},
  };
  return table;
}

}  // namespace

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, CoverageClass& out) {
  return bindObject(ctx, node, path, "Coverage.class", coverageClassTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 EncounterParticipant& out) {
  return bindObject(ctx, node, path, "Encounter.participant", participantTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 EncounterDiagnosis& out) {
  return bindObject(ctx, node, path, "Encounter.diagnosis", diagnosisTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 EncounterLocation& out) {
  return bindObject(ctx, node, path, "Encounter.location", encounterLocationTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 MedicationIngredient& out) {
  return bindObject(ctx, node, path, "Medication.ingredient", ingredientTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Dosage& out) {
  return bindObject(ctx, node, path, "Dosage", dosageTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, Performer& out) {
  return bindObject(ctx, node, path, "performer", performerTable(), out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path,
                 AdministrationDosage& out) {
  return bindObject(ctx, node, path, "MedicationAdministration.dosage", administrationDosageTable(),
                    out);
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, BundleEntry& out) {
  return bindObject(ctx, node, path, "Bundle.entry", bundleEntryTable(), out);
}

}  // namespace fhir837::bind
