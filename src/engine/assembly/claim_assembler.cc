#include "engine/assembly/claim_assembler.h"

#include <algorithm>
#include <optional>

#include "engine/assembly/claim_details.h"
#include "engine/assembly/party_mapping.h"
#include "engine/assembly/payer_matcher.h"
#include "engine/assembly/plausibility_checks.h"

namespace fhir837 {

namespace {

std::string refPath(std::string_view type, const std::string& id) {
  return std::string(type) + "/" + id;
}

Error reject(std::string rule, std::string message, std::string where) {
  return makeError(ErrorCode::kRejected, std::move(message), std::move(where), std::move(rule));
}

// Follows a reference and requires the target type; nullptr target = absent reference.
template <class T>
Result<const T*> follow(const ResourceScope& scope, const Reference& ref, const AnyResource& from,
                        const std::string& where, const char* rule) {
  if (ref.empty()) return static_cast<const T*>(nullptr);
  auto target = scope.resolve(ref, from, where);
  if (!target) {
    Error error = target.error();
    error.rule = rule;
    return error;
  }
  const T* typed = (*target)->template as<T>();
  if (!typed) {
    return reject(rule,
                  "reference points to a " + std::string((*target)->resourceType()) +
                      ", not the expected resource type",
                  where);
  }
  return typed;
}

// A reference the claim cannot do without: absent, display-only or unresolvable is a reject
// naming the element, never a null the caller might dereference.
template <class T>
Result<const T*> require(const ResourceScope& scope, const Reference& ref, const AnyResource& from,
                         const std::string& where, const char* rule, std::string_view what) {
  auto target = follow<T>(scope, ref, from, where, rule);
  if (!target) return target.error();
  if (!*target) {
    return reject(rule,
                  ref.display.empty() ? std::string(what) + " reference is empty"
                                      : std::string(what) + " reference is display-only ('" +
                                            ref.display + "'): no resource to read it from",
                  where);
  }
  return target;
}

Result<CoverageCandidate> findCoverage(const ResourceScope& scope, const AnyResource* patient,
                                       const std::string& where) {
  std::optional<CoverageCandidate> best;
  for (const CoverageCandidate& candidate : scope.coveragesFor(patient)) {
    const Coverage* coverage = candidate.coverage->as<Coverage>();
    if (coverage->status == "cancelled" || coverage->status == "entered-in-error") continue;
    const Coverage* current = best ? best->coverage->as<Coverage>() : nullptr;
    // Standalone Coverage wins over one contained in a Claim/EOB; then the lowest order.
    if (!best || (best->container && !candidate.container) ||
        (!best->container == !candidate.container &&
         coverage->order.value_or(1) < current->order.value_or(1))) {
      best = candidate;
    }
  }
  if (!best) {
    Error missing =
        reject("CTX-COVERAGE", "no active Coverage whose beneficiary is the patient", where);
    missing.mayStillArrive = true;  // the daemon waits for a Coverage
    return missing;
  }
  return *best;
}

std::string patientRelationshipCode(const Coverage& coverage) {
  static const std::pair<const char*, const char*> kMap[] = {{"spouse", "01"}, {"child", "19"},
                                                             {"common", "53"}, {"parent", "G8"},
                                                             {"other", "G8"},  {"injured", "G8"}};
  for (const auto& coding : coverage.relationship.coding) {
    for (const auto& [fhir, x12] : kMap) {
      if (coding.code == fhir) return x12;
    }
  }
  return "G8";
}

bool isSelf(const Coverage& coverage, const Patient* subscriber, const Patient* patient) {
  for (const auto& coding : coverage.relationship.coding) {
    if (coding.code == "self") return true;
    if (!coding.code.empty()) return false;
  }
  return subscriber == nullptr || subscriber == patient;
}

Result<Subscriber> subscriberParty(const Patient& person, const Coverage& coverage,
                                   const std::string& path, bool isPatient) {
  Subscriber s;
  auto name = personName(person.name);
  if (!name) return reject("CTX-SUBSCRIBER", "subscriber has no family name", path + ".name");
  s.name = *name;
  s.memberId = coverage.subscriberId;
  if (s.memberId.empty() && !coverage.identifier.empty()) s.memberId = coverage.identifier[0].value;
  if (s.memberId.empty()) {
    return reject("CTX-SUBSCRIBER", "Coverage has no subscriberId or identifier (member id)",
                  refPath("Coverage", coverage.id) + ".subscriberId");
  }
  for (const auto& c : coverage.classes) {
    if (c.type.findSystem("http://terminology.hl7.org/CodeSystem/coverage-class") &&
        c.type.coding.front().code == "group") {
      s.groupNumber = c.value;
      if (s.groupNumber.empty()) s.groupName = c.name;
    }
  }
  if (coverage.order) {
    static const char* kResponsibility = "PSTABCDEFGH";
    int order = *coverage.order;
    if (order < 1 || order > 11) {
      return reject("CTX-COVERAGE", "Coverage.order must be 1..11",
                    refPath("Coverage", coverage.id) + ".order");
    }
    s.payerResponsibility = std::string(1, kResponsibility[order - 1]);
  }
  auto address = pickAddress(person.address, path);
  if (!address) return address.error();
  if (*address) s.address = **address;
  if (person.birthDate) {
    if (auto date = person.birthDate->localDateCcyymmdd()) s.birthDate = *date;
  }
  s.gender = x12Gender(person.gender);
  if (isPatient && (s.address.empty() || s.birthDate.empty())) {
    return reject("CTX-SUBSCRIBER",
                  "subscriber who is the patient needs an address and a full birthDate (2010BA "
                  "N3/N4/DMG)",
                  path);
  }
  return s;
}

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
                                  maPath + ".medicationReference", "CTX-MEDICATION");
    if (!med) return med.error();
    event.facts.medication = *med;
  }
  if (!ma.request.empty()) {
    auto request =
        follow<MedicationRequest>(scope, ma.request, resource, maPath + ".request", "CTX-REQUEST");
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

Result<AssembledEvent> assembleEventClaim(AssembledEvent event, const AnyResource& resource,
                                          const ResourceScope& scope, const AppConfig& config,
                                          std::optional<ClaimForm> formOverride) {
  const MedicationAdministration& ma = *event.facts.administration;
  const std::string& maPath = event.facts.eventRef;
  Claim& claim = event.header;

  // Patient and encounter.
  if (ma.subject.empty()) {
    return reject("CTX-PATIENT", "no subject", maPath + ".subject");
  }
  auto patientResource = scope.resolve(ma.subject, resource, maPath + ".subject");
  if (!patientResource) {
    Error error = patientResource.error();
    error.rule = "CTX-PATIENT";
    return error;
  }
  auto patient = require<Patient>(scope, ma.subject, resource, maPath + ".subject", "CTX-PATIENT",
                                  "MedicationAdministration.subject");
  if (!patient) return patient.error();
  const AnyResource* encResource = nullptr;
  if (!ma.context.empty()) {
    auto target = scope.resolve(ma.context, resource, maPath + ".context");
    if (!target) {
      Error error = target.error();
      error.rule = "CTX-ENCOUNTER";
      return error;
    }
    encResource = *target;
  }
  auto encounter =
      follow<Encounter>(scope, ma.context, resource, maPath + ".context", "CTX-ENCOUNTER");
  if (!encounter) return encounter.error();
  const Encounter* enc = *encounter;
  const std::string encPath = enc ? refPath("Encounter", enc->id) : std::string();
  if (enc) event.facts.encounterClass = enc->encounterClass.code;

  // Coverage, subscriber, payer (PAY-D12).
  auto coverage = findCoverage(scope, *patientResource, maPath + ".subject");
  if (!coverage) return coverage.error();
  const Coverage& cov = *coverage->coverage->as<Coverage>();
  // References inside a contained Coverage resolve from its container (Claim/EOB).
  const AnyResource* covResource = coverage->container ? coverage->container : coverage->coverage;
  const std::string covPath = coverage->container
                                  ? std::string(coverage->container->resourceType()) + "/" +
                                        coverage->container->id() + "#" + cov.id
                                  : refPath("Coverage", cov.id);
  if (coverage->container) {
    event.trail.push_back({"CTX-COVERAGE",
                           {covPath},
                           "no standalone Coverage: used the one contained in " +
                               std::string(coverage->container->resourceType()) + "/" +
                               coverage->container->id()});
  }
  if (Status plausible = checkPlausibility(
          plausibilityOf(event, resource, *patientResource, encResource, *coverage, covPath),
          scope);
      !plausible) {
    return plausible.error();
  }
  if (cov.payor.empty()) return reject("PAY-D12", "Coverage has no payor", covPath + ".payor");
  // A display-only payor (Synthea puts `{"display": "Aetna"}` in EOB-contained Coverage) is
  // matched by its display name like an Organization without identifiers.
  Organization displayOnlyPayor;
  const Organization* payorOrg = nullptr;
  if (cov.payor[0].reference.empty() && !cov.payor[0].identifier && !cov.payor[0].display.empty()) {
    displayOnlyPayor.name = cov.payor[0].display;
    payorOrg = &displayOnlyPayor;
  } else {
    auto payor = require<Organization>(scope, cov.payor[0], *covResource, covPath + ".payor[0]",
                                       "PAY-D12", "Coverage.payor");
    if (!payor) return payor.error();
    payorOrg = *payor;
  }
  auto payer = matchPayer(*payorOrg, covPath + ".payor[0]", config);
  if (!payer) return payer.error();
  claim.payer = payer->payer;
  event.payerProfile = payer->profile;
  event.facts.payerKey = payer->profile->key;
  event.trail.push_back({"PAY-D12", {covPath + ".payor[0]"}, payer->how});

  auto subscriberPatient = follow<Patient>(scope, cov.subscriber, *covResource,
                                           covPath + ".subscriber", "CTX-SUBSCRIBER");
  if (!subscriberPatient) return subscriberPatient.error();
  const bool self = isSelf(cov, *subscriberPatient, *patient);
  const Patient& subscriberPerson = self ? **patient : **subscriberPatient;
  if (!self && !*subscriberPatient) {
    return reject("CTX-SUBSCRIBER",
                  "Coverage.subscriber is required when the patient is not the "
                  "subscriber",
                  covPath + ".subscriber");
  }
  auto subscriber =
      subscriberParty(subscriberPerson, cov, refPath("Patient", subscriberPerson.id), self);
  if (!subscriber) return subscriber.error();
  claim.subscriber = *subscriber;
  if (!self) {
    PatientParty party;
    const Patient& p = **patient;
    const std::string pPath = refPath("Patient", p.id);
    auto name = personName(p.name);
    auto checked = pickAddress(p.address, pPath);
    if (!checked) return checked.error();
    const std::optional<PostalAddress>& address = *checked;
    auto dob = p.birthDate ? p.birthDate->localDateCcyymmdd() : std::nullopt;
    if (!name || !address || !dob) {
      return reject("CTX-PATIENT",
                    "patient (not the subscriber) needs a family name, an address and a full "
                    "birthDate (2010CA)",
                    pPath);
    }
    party.relationshipCode = patientRelationshipCode(cov);
    party.name = *name;
    party.address = *address;
    party.birthDate = *dob;
    party.gender = x12Gender(p.gender);
    claim.patient = party;
  }

  // Billing provider: Encounter.serviceProvider, else config.
  if (enc && !enc->serviceProvider.empty()) {
    auto org = require<Organization>(scope, enc->serviceProvider, *encResource,
                                     encPath + ".serviceProvider", "CTX-BILLING",
                                     "Encounter.serviceProvider");
    if (!org) return org.error();
    auto provider = organizationProvider(**org, refPath("Organization", (*org)->id));
    if (!provider && provider.error().rule == "CTX-ADDRESS") return provider.error();
    if (!provider) return reject("CTX-BILLING", provider.error().message, provider.error().where);
    claim.billingProvider = *provider;
    event.trail.push_back({"CTX-BILLING",
                           {encPath + ".serviceProvider"},
                           "billing provider Organization/" + (*org)->id});
  } else if (config.defaultBillingProvider.present) {
    claim.billingProvider = config.defaultBillingProvider.provider;
    event.trail.push_back({"CTX-BILLING", {}, "billing provider from config [billing.provider]"});
  } else {
    return reject("CTX-BILLING", "no Encounter.serviceProvider and no [billing.provider] in config",
                  enc ? encPath + ".serviceProvider" : maPath + ".context");
  }
  const Provider& billing = claim.billingProvider;
  if (billing.address.empty() || billing.address.zip.size() != 9 || billing.ein.size() != 9) {
    return reject("CTX-BILLING",
                  "billing provider needs a street address, a 9-digit ZIP and a 9-digit EIN "
                  "(2010AA N3/N4/REF*EI)",
                  enc ? encPath + ".serviceProvider" : "config billing.provider");
  }

  // Rendering provider: the first performer that is a Practitioner (or a role of one).
  for (std::size_t i = 0; i < ma.performer.size(); ++i) {
    const std::string where = maPath + ".performer[" + std::to_string(i) + "].actor";
    auto actor = scope.resolve(ma.performer[i].actor, resource, where);
    if (!actor) return reject("CTX-RENDERING", actor.error().message, where);
    const Practitioner* practitioner = (*actor)->as<Practitioner>();
    if (const PractitionerRole* role = (*actor)->as<PractitionerRole>()) {
      auto target = follow<Practitioner>(scope, role->practitioner, **actor,
                                         refPath("PractitionerRole", role->id) + ".practitioner",
                                         "CTX-RENDERING");
      if (!target) return target.error();
      practitioner = *target;
    }
    if (!practitioner) continue;
    auto provider = practitionerProvider(*practitioner, refPath("Practitioner", practitioner->id));
    if (!provider) return reject("CTX-RENDERING", provider.error().message, provider.error().where);
    claim.renderingProvider = *provider;
    event.facts.performerKey = provider->npi;
    break;
  }
  return assembleClaimDetails(event, resource, scope, config, enc, encResource, formOverride);
}

}  // namespace fhir837
