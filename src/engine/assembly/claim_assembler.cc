#include "engine/assembly/claim_assembler.h"

#include <optional>

#include "engine/assembly/claim_details.h"
#include "engine/assembly/event_assembly.h"
#include "engine/assembly/plausibility_checks.h"
#include "engine/assembly/reference_follow.h"
#include "rule_ids.h"

namespace fhir837 {

namespace {

PlausibilityInput plausibilityOf(const AssembledEvent& event, const AnyResource& resource,
                                 const AnyResource* patient, const AnyResource* encounter,
                                 const CoverageCandidate& coverage, const std::string& covPath) {
  // The administration, or a Procedure's administration view (its performed[x] as effective[x]).
  const MedicationAdministration& ma = *event.facts.administration;
  const bool isProcedure = resource.as<Procedure>() != nullptr;
  PlausibilityInput input;
  input.event = &resource;
  input.eventPath = event.facts.eventRef;
  input.service = &ma.effective;
  input.servicePath =
      event.facts.eventRef +
      (isProcedure ? (ma.effective.period ? ".performedPeriod" : ".performedDateTime")
                   : (ma.effective.period ? ".effectivePeriod" : ".effectiveDateTime"));
  input.subject = &ma.subject;
  input.patient = patient;
  input.encounter = encounter;
  input.coverage = coverage.coverage;
  input.coverageContainer = coverage.container;
  input.coveragePath = covPath;
  if (event.facts.medication) {
    input.others.emplace_back(event.facts.medication,
                              refPath("Medication", event.facts.medication->id));
  }
  for (const Procedure* procedure : event.facts.linkedProcedures) {
    input.others.emplace_back(procedure, refPath("Procedure", procedure->id));
  }
  return input;
}

}  // namespace

Result<AssembledEvent> assembleAdministration(const AnyResource& resource,
                                              const ResourceScope& scope, const AppConfig& config,
                                              std::optional<ClaimForm> formOverride) {
  const MedicationAdministration& ma = *resource.as<MedicationAdministration>();
  const std::string maPath = refPath("MedicationAdministration", ma.id);
  AssembledEvent event;
  event.facts.eventRef = maPath;
  event.facts.administration = &ma;

  // Medication, request and linked procedures (facts for the coder).
  if (ma.medication.reference) {
    auto med = follow<Medication>(scope, *ma.medication.reference, resource,
                                  maPath + ".medicationReference", rule_id::kCtxMedication);
    if (!med) return med.error();
    event.facts.medication = *med;
  }
  if (!ma.request.empty()) {
    auto request = follow<MedicationRequest>(scope, ma.request, resource, maPath + ".request",
                                             rule_id::kCtxRequest);
    if (request) event.facts.request = *request;  // optional: only a route fallback
  }
  for (std::size_t i = 0; i < ma.partOf.size(); ++i) {
    auto target = scope.resolve(ma.partOf[i], resource, maPath + ".partOf");
    if (target && (*target)->as<Procedure>()) {
      event.facts.linkedProcedures.push_back((*target)->as<Procedure>());
      // The Procedure is this administration's own event: billed with it, never on its own.
      event.carriedKeys.push_back("Procedure/" + (*target)->id());
    }
  }
  return assembleEventClaim(std::move(event), resource, scope, config, formOverride);
}

Status resolvePatientAndEncounter(EventAssembly& assembly) {
  const MedicationAdministration& ma = *assembly.event.facts.administration;
  const std::string& maPath = assembly.event.facts.eventRef;
  const ResourceScope& scope = assembly.scope;
  if (ma.subject.empty()) return reject(rule_id::kCtxPatient, "no subject", maPath + ".subject");
  auto patientResource = scope.resolve(ma.subject, assembly.from, maPath + ".subject");
  if (!patientResource) {
    Error error = patientResource.error();
    error.rule = rule_id::kCtxPatient;
    return error;
  }
  auto patient = require<Patient>(scope, ma.subject, assembly.from, maPath + ".subject",
                                  rule_id::kCtxPatient, "MedicationAdministration.subject");
  if (!patient) return patient.error();
  assembly.patientResource = *patientResource;
  assembly.patient = *patient;
  if (!ma.context.empty()) {
    auto target = scope.resolve(ma.context, assembly.from, maPath + ".context");
    if (!target) {
      Error error = target.error();
      error.rule = rule_id::kCtxEncounter;
      return error;
    }
    assembly.encounterResource = *target;
  }
  auto encounter = follow<Encounter>(scope, ma.context, assembly.from, maPath + ".context",
                                     rule_id::kCtxEncounter);
  if (!encounter) return encounter.error();
  assembly.encounter = *encounter;
  if (const Encounter* enc = assembly.encounter) {
    assembly.encounterPath = refPath("Encounter", enc->id);
    assembly.event.facts.encounterClass = enc->encounterClass.code;
  }
  return Status::ok();
}

Result<AssembledEvent> assembleEventClaim(AssembledEvent event, const AnyResource& resource,
                                          const ResourceScope& scope, const AppConfig& config,
                                          std::optional<ClaimForm> formOverride) {
  EventAssembly assembly{event, resource, scope, config};
  if (Status s = resolvePatientAndEncounter(assembly); !s) return s.error();
  auto coverage = chooseCoverage(assembly);
  if (!coverage) return coverage.error();
  if (Status plausible = checkPlausibility(
          plausibilityOf(event, resource, assembly.patientResource, assembly.encounterResource,
                         coverage->candidate, coverage->path),
          scope);
      !plausible) {
    return plausible.error();
  }
  if (Status s = matchCoveragePayer(assembly, *coverage); !s) return s.error();
  if (Status s = assembleSubscriber(assembly, *coverage); !s) return s.error();
  if (Status s = assembleBillingProvider(assembly); !s) return s.error();
  if (Status s = assembleRenderingProvider(assembly); !s) return s.error();
  return assembleClaimDetails(event, resource, scope, config, assembly.encounter,
                              assembly.encounterResource, formOverride);
}

}  // namespace fhir837
