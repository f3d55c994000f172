#include "engine/assembly/procedure_event.h"

#include "rule_ids.h"
#include "rules/procedure_code_rule.h"

namespace fhir837 {

namespace {

bool isOne(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string text = *value;
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  return text == "1";
}

// One package: a count of 1 ("1 vial"), not 1 of a UCUM measure (200 mg per 1 mL is a
// concentration, not an amount used).
bool isOnePackage(const Quantity& denominator) {
  if (!isOne(denominator.value)) return false;
  const bool ucum = denominator.system == "http://unitsofmeasure.org";
  return !ucum || denominator.code.empty() || denominator.code == "1" ||
         denominator.code.front() == '{';
}

// The amount the Procedure used: the whole Medication package (R4 Medication.amount is
// "amount of drug in package"), only when it is stated per one package.
std::optional<Quantity> usedAmount(const Medication* medication) {
  if (!medication || !medication->amount || !medication->amount->numerator) return std::nullopt;
  const auto& denominator = medication->amount->denominator;
  if (denominator && !isOnePackage(*denominator)) return std::nullopt;
  return medication->amount->numerator;
}

// Errors from the shared assembler name MedicationAdministration elements of the view.
Error forProcedure(Error error, const EventFacts& facts) {
  error.where = procedurePath(facts, error.where);
  const std::string_view from = "MedicationAdministration.";
  if (std::size_t at = error.message.find(from); at != std::string::npos) {
    error.message.replace(at, from.size(), "Procedure.");
  }
  return error;
}

}  // namespace

std::shared_ptr<const MedicationAdministration> administrationViewOf(const Procedure& procedure,
                                                                     const Reference* medication,
                                                                     const Medication* resolved) {
  auto view = std::make_shared<MedicationAdministration>();
  view->id = procedure.id;
  view->extension = procedure.extension;
  view->identifier = procedure.identifier;
  view->status = procedure.status;
  if (!procedure.statusReason.empty()) view->statusReason.push_back(procedure.statusReason);
  view->category = procedure.category;
  view->subject = procedure.subject;
  view->context = procedure.encounter;
  view->effective = procedure.performed;
  view->performer = procedure.performer;
  view->reasonCode = procedure.reasonCode;
  view->reasonReference = procedure.reasonReference;
  view->note = procedure.note;
  if (medication) {
    view->medication.reference = *medication;
  } else if (!procedure.usedCode.empty()) {
    view->medication.codeableConcept = procedure.usedCode.front();
  }
  AdministrationDosage dosage;
  if (!procedure.bodySite.empty()) dosage.site = procedure.bodySite.front();
  dosage.dose = usedAmount(resolved);
  view->dosage = std::move(dosage);
  return view;
}

Result<AssembledEvent> assembleProcedure(const AnyResource& resource, const ResourceScope& scope,
                                         const AppConfig& config,
                                         std::optional<ClaimForm> formOverride) {
  const Procedure& procedure = *resource.as<Procedure>();
  AssembledEvent event;
  event.facts.eventRef = "Procedure/" + procedure.id;
  event.facts.procedure = &procedure;
  const Reference* medicationRef = nullptr;
  for (std::size_t i = 0; i < procedure.usedReference.size(); ++i) {
    const Reference& used = procedure.usedReference[i];
    if (used.empty()) continue;  // display-only: names something, gives nothing to read
    const std::string where = event.facts.eventRef + ".usedReference[" + std::to_string(i) + "]";
    auto target = scope.resolve(used, resource, where);
    if (!target) {
      Error error = target.error();
      error.rule = rule_id::kCtxMedication;
      return error;
    }
    if (const Medication* medication = (*target)->as<Medication>()) {
      event.facts.medication = medication;
      medicationRef = &used;
      break;  // the first Medication is the drug line's; Devices and the rest are not drugs
    }
  }
  event.view = administrationViewOf(procedure, medicationRef, event.facts.medication);
  event.facts.administration = event.view.get();
  const EventFacts facts = event.facts;
  auto assembled = assembleEventClaim(std::move(event), resource, scope, config, formOverride);
  if (!assembled) return forProcedure(assembled.error(), facts);
  for (TrailStep& step : assembled->trail) {
    for (std::string& input : step.inputs) input = procedurePath(facts, input);
  }
  return assembled;
}

Result<AssembledEvent> assembleEvent(const AnyResource& resource, const ResourceScope& scope,
                                     const AppConfig& config,
                                     std::optional<ClaimForm> formOverride) {
  if (resource.as<Procedure>()) return assembleProcedure(resource, scope, config, formOverride);
  return assembleAdministration(resource, scope, config, formOverride);
}

std::string eventRefOf(const AnyResource& event) {
  return std::string(event.resourceType()) + "/" + event.id();
}

}  // namespace fhir837
