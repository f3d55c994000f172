#include "engine/assembly/event_assembly.h"

#include <optional>
#include <string>

#include "engine/assembly/party_mapping.h"
#include "engine/assembly/payer_matcher.h"
#include "engine/assembly/reference_follow.h"
#include "rule_ids.h"

namespace fhir837 {

namespace {

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
        reject(rule_id::kCtxCoverage, "no active Coverage whose beneficiary is the patient", where);
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
  if (!name)
    return reject(rule_id::kCtxSubscriber, "subscriber has no family name", path + ".name");
  s.name = *name;
  s.memberId = coverage.subscriberId;
  if (s.memberId.empty() && !coverage.identifier.empty()) s.memberId = coverage.identifier[0].value;
  if (s.memberId.empty()) {
    return reject(rule_id::kCtxSubscriber, "Coverage has no subscriberId or identifier (member id)",
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
      return reject(rule_id::kCtxCoverage, "Coverage.order must be 1..11",
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
    return reject(rule_id::kCtxSubscriber,
                  "subscriber who is the patient needs an address and a full birthDate (2010BA "
                  "N3/N4/DMG)",
                  path);
  }
  return s;
}

}  // namespace

Result<ChosenCoverage> chooseCoverage(EventAssembly& assembly) {
  const std::string& maPath = assembly.event.facts.eventRef;
  auto candidate = findCoverage(assembly.scope, assembly.patientResource, maPath + ".subject");
  if (!candidate) return candidate.error();
  ChosenCoverage chosen;
  chosen.candidate = *candidate;
  chosen.coverage = candidate->coverage->as<Coverage>();
  // References inside a contained Coverage resolve from its container (Claim/EOB).
  const AnyResource* container = candidate->container;
  chosen.referencesFrom = container ? container : candidate->coverage;
  chosen.path = container ? std::string(container->resourceType()) + "/" + container->id() + "#" +
                                chosen.coverage->id
                          : refPath("Coverage", chosen.coverage->id);
  if (container) {
    assembly.event.trail.push_back({rule_id::kCtxCoverage,
                                    {chosen.path},
                                    "no standalone Coverage: used the one contained in " +
                                        std::string(container->resourceType()) + "/" +
                                        container->id()});
  }
  return chosen;
}

Status matchCoveragePayer(EventAssembly& assembly, const ChosenCoverage& coverage) {
  const Coverage& cov = *coverage.coverage;
  const std::string& covPath = coverage.path;
  if (cov.payor.empty())
    return reject(rule_id::kPayD12, "Coverage has no payor", covPath + ".payor");
  // A display-only payor (Synthea puts `{"display": "Aetna"}` in EOB-contained Coverage) is
  // matched by its display name like an Organization without identifiers.
  Organization displayOnlyPayor;
  const Organization* payorOrg = nullptr;
  if (cov.payor[0].reference.empty() && !cov.payor[0].identifier && !cov.payor[0].display.empty()) {
    displayOnlyPayor.name = cov.payor[0].display;
    payorOrg = &displayOnlyPayor;
  } else {
    auto payor = require<Organization>(assembly.scope, cov.payor[0], *coverage.referencesFrom,
                                       covPath + ".payor[0]", rule_id::kPayD12, "Coverage.payor");
    if (!payor) return payor.error();
    payorOrg = *payor;
  }
  auto payer = matchPayer(*payorOrg, covPath + ".payor[0]", assembly.config);
  if (!payer) return payer.error();
  AssembledEvent& event = assembly.event;
  event.header.payer = payer->payer;
  event.payerProfile = payer->profile;
  event.facts.payerKey = payer->profile->key;
  event.trail.push_back({rule_id::kPayD12, {covPath + ".payor[0]"}, payer->how});
  return Status::ok();
}

namespace {

// 2010CA: a patient who is not the subscriber is a party of its own.
Result<PatientParty> patientParty(const Patient& p, const Coverage& coverage) {
  const std::string pPath = refPath("Patient", p.id);
  auto name = personName(p.name);
  auto checked = pickAddress(p.address, pPath);
  if (!checked) return checked.error();
  const std::optional<PostalAddress>& address = *checked;
  auto dob = p.birthDate ? p.birthDate->localDateCcyymmdd() : std::nullopt;
  if (!name || !address || !dob) {
    return reject(rule_id::kCtxPatient,
                  "patient (not the subscriber) needs a family name, an address and a full "
                  "birthDate (2010CA)",
                  pPath);
  }
  PatientParty party;
  party.relationshipCode = patientRelationshipCode(coverage);
  party.name = *name;
  party.address = *address;
  party.birthDate = *dob;
  party.gender = x12Gender(p.gender);
  return party;
}

}  // namespace

Status assembleSubscriber(EventAssembly& assembly, const ChosenCoverage& coverage) {
  const Coverage& cov = *coverage.coverage;
  const std::string& covPath = coverage.path;
  auto subscriberPatient = follow<Patient>(assembly.scope, cov.subscriber, *coverage.referencesFrom,
                                           covPath + ".subscriber", rule_id::kCtxSubscriber);
  if (!subscriberPatient) return subscriberPatient.error();
  const bool self = isSelf(cov, *subscriberPatient, assembly.patient);
  const Patient& subscriberPerson = self ? *assembly.patient : **subscriberPatient;
  if (!self && !*subscriberPatient) {
    return reject(rule_id::kCtxSubscriber,
                  "Coverage.subscriber is required when the patient is not the subscriber",
                  covPath + ".subscriber");
  }
  auto subscriber =
      subscriberParty(subscriberPerson, cov, refPath("Patient", subscriberPerson.id), self);
  if (!subscriber) return subscriber.error();
  Claim& claim = assembly.event.header;
  claim.subscriber = *subscriber;
  if (self) return Status::ok();
  auto party = patientParty(*assembly.patient, cov);
  if (!party) return party.error();
  claim.patient = *party;
  return Status::ok();
}

}  // namespace fhir837
