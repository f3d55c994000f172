#include "engine/assembly/claim_details.h"

#include <algorithm>
#include <cctype>

#include "engine/assembly/claim_id.h"
#include "engine/assembly/party_mapping.h"
#include "engine/assembly/reference_follow.h"
#include "engine/codesets/code_tables.h"
#include "rule_ids.h"

namespace fhir837 {

namespace {

struct DiagnosisSource {
  const Reference* reference;
  const AnyResource* from;
  std::string where;
  int rank;
};

// Encounter.diagnosis by rank (unranked last, in document order), else the administration's
// reasonReference; each a Condition with an ICD-10-CM code. Deduplicated, at most 12.
Status collectDiagnoses(AssembledEvent& event, const AnyResource& resource,
                        const ResourceScope& scope, const Encounter* encounter,
                        const AnyResource* encounterResource) {
  const MedicationAdministration& ma = *event.facts.administration;
  std::vector<DiagnosisSource> sources;
  if (encounter) {
    for (std::size_t i = 0; i < encounter->diagnosis.size(); ++i) {
      sources.push_back({&encounter->diagnosis[i].condition, encounterResource,
                         "Encounter/" + encounter->id + ".diagnosis[" + std::to_string(i) + "]",
                         encounter->diagnosis[i].rank.value_or(1000)});
    }
    std::stable_sort(sources.begin(), sources.end(),
                     [](const auto& a, const auto& b) { return a.rank < b.rank; });
  }
  for (std::size_t i = 0; i < ma.reasonReference.size(); ++i) {
    sources.push_back({&ma.reasonReference[i], &resource,
                       event.facts.eventRef + ".reasonReference[" + std::to_string(i) + "]", 2000});
  }
  std::vector<std::string>& codes = event.header.diagnoses;
  std::vector<std::string> inputs;
  for (const auto& source : sources) {
    auto target = scope.resolve(*source.reference, *source.from, source.where);
    if (!target) return rejectFrom(rule_id::kCtxDx, target.error(), source.where);
    const Condition* condition = (*target)->as<Condition>();
    if (!condition) continue;
    auto code = icd10Code(condition->code, "Condition/" + condition->id + ".code");
    if (!code) return rejectFrom(rule_id::kCtxDx, code.error(), code.error().where);
    if (std::find(codes.begin(), codes.end(), *code) == codes.end()) {
      if (codes.size() == 12) break;  // 837P HI holds 12; the rest cannot be sent
      codes.push_back(*code);
      inputs.push_back("Condition/" + condition->id + ".code");
    }
    // The administration's own reasons are what its lines point at (SV107).
    if (source.rank == 2000) {
      int pointer =
          static_cast<int>(std::find(codes.begin(), codes.end(), *code) - codes.begin()) + 1;
      auto& pointers = event.diagnosisPointers;
      if (std::find(pointers.begin(), pointers.end(), pointer) == pointers.end() &&
          pointers.size() < 4) {
        pointers.push_back(pointer);
      }
    }
  }
  if (codes.empty()) {
    return reject(rule_id::kCtxDx,
                  "no ICD-10-CM diagnosis in Encounter.diagnosis or reasonReference (HI is "
                  "required)",
                  event.facts.eventRef + ".reasonReference");
  }
  if (event.diagnosisPointers.empty()) event.diagnosisPointers.push_back(1);
  std::string detail = "HI ABK " + codes[0];
  for (std::size_t i = 1; i < codes.size(); ++i) detail += ", ABF " + codes[i];
  event.trail.push_back({rule_id::kCtxDx, inputs, detail});
  return Status::ok();
}

bool isPosSystem(const std::string& system) {
  return system == kPosSystem || system ==
                                     "http://www.cms.gov/Medicare/Coding/place-of-service-codes/"
                                     "Place_of_Service_Code_Set";
}

// CTX-POS: the first Encounter.location whose Location.type carries a CMS POS code.
Status placeOfService(AssembledEvent& event, const ResourceScope& scope, const AppConfig& config,
                      const Encounter* encounter, const AnyResource* encounterResource) {
  if (encounter) {
    for (std::size_t i = 0; i < encounter->location.size(); ++i) {
      const std::string where =
          "Encounter/" + encounter->id + ".location[" + std::to_string(i) + "].location";
      auto target = scope.resolve(encounter->location[i].location, *encounterResource, where);
      if (!target) return rejectFrom(rule_id::kCtxPos, target.error(), where);
      const Location* location = (*target)->as<Location>();
      if (!location) continue;
      for (const auto& type : location->type) {
        for (const auto& coding : type.coding) {
          if (isPosSystem(coding.system) && coding.code.size() == 2) {
            if (codesets::placeOfServiceCodes().find(coding.code) == nullptr) {
              // CLM05-1 must be an assigned CMS code (00 and the unassigned ones are not).
              return makeError(ErrorCode::kNeedsReview,
                               "place of service is not an assigned CMS code (X12 code source "
                               "237, version " +
                                   codesets::placeOfServiceCodes().version() + ")",
                               "Location/" + location->id + ".type", rule_id::kCtxPos);
            }
            event.header.placeOfService = coding.code;
            event.facts.placeOfService = coding.code;
            event.locationId = location->id;
            event.trail.push_back({rule_id::kCtxPos,
                                   {"Location/" + location->id + ".type"},
                                   "place of service " + coding.code});
            // The service facility loop is sent only when it differs from the billing address.
            auto checked = pickAddress(location->address ? std::vector<Address>{*location->address}
                                                         : std::vector<Address>{},
                                       "Location/" + location->id, true);
            if (!checked) return checked.error();
            const std::optional<PostalAddress>& address = *checked;
            if (address && !location->name.empty() &&
                (address->line1 != event.header.billingProvider.address.line1 ||
                 address->zip != event.header.billingProvider.address.zip)) {
              Provider facility;
              facility.name.lastOrOrganization = location->name;
              if (const Identifier* npi = findIdentifier(location->identifier, kNpiSystem);
                  npi && isValidNpi(npi->value)) {
                facility.npi = npi->value;
              }
              facility.address = *address;
              event.header.serviceFacility = facility;
            }
            return Status::ok();
          }
        }
      }
    }
  }
  event.header.placeOfService = config.defaultPlaceOfService;
  event.facts.placeOfService = config.defaultPlaceOfService;
  event.trail.push_back({rule_id::kCtxPos,
                         {},
                         "place of service " + config.defaultPlaceOfService +
                             " from config (no Location with a CMS POS type)"});
  return Status::ok();
}

// CLM01: the Encounter's first identifier value (else its id), else the administration id;
// derived so that different sources give different ids (claim_id.h).
std::string claimId(const AppConfig& config, const Encounter* encounter,
                    const MedicationAdministration& ma) {
  const std::string& raw =
      encounter ? (encounter->identifier.empty() || encounter->identifier[0].value.empty()
                       ? encounter->id
                       : encounter->identifier[0].value)
                : ma.id;
  return deriveClaimId(config.claimIdPrefix, raw);
}

// CTX-FORM: --form, else the first billing profile naming the billing NPI or the POS.
ClaimForm decideForm(AssembledEvent& event, const AppConfig& config,
                     std::optional<ClaimForm> formOverride) {
  if (formOverride) {
    event.trail.push_back({rule_id::kCtxForm,
                           {},
                           std::string("form ") +
                               (*formOverride == ClaimForm::k837P ? "837P" : "837I") +
                               " from --form"});
    return *formOverride;
  }
  const std::string& npi = event.header.billingProvider.npi;
  const std::string& pos = event.header.placeOfService;
  for (std::size_t i = 0; i < config.billingProfiles.size(); ++i) {
    const BillingProfile& profile = config.billingProfiles[i];
    const bool byNpi = std::find(profile.organizationNpis.begin(), profile.organizationNpis.end(),
                                 npi) != profile.organizationNpis.end();
    const bool byPos = std::find(profile.placesOfService.begin(), profile.placesOfService.end(),
                                 pos) != profile.placesOfService.end();
    if (byNpi || byPos) {
      event.trail.push_back({rule_id::kCtxForm,
                             {},
                             std::string("form ") +
                                 (profile.form == ClaimForm::k837P ? "837P" : "837I") +
                                 " from billing.profiles[" + std::to_string(i) + "] (" +
                                 (byNpi ? "billing NPI " + npi : "POS " + pos) + ")"});
      return profile.form;
    }
  }
  return config.defaultForm;
}

// The 837I header: attending (Encounter.participant ATND, else the rendering performer),
// statement period (Encounter.period, else the administration's dates), type of bill, status.
Status institutionalHeader(AssembledEvent& event, const ResourceScope& scope,
                           const AppConfig& config, const Encounter* encounter,
                           const AnyResource* encounterResource) {
  Claim& claim = event.header;
  const InstitutionalSettings& inst = config.institutional;
  claim.facilityTypeCode = inst.typeOfBill.substr(1, 2);
  claim.frequencyCode = inst.typeOfBill.substr(3, 1);
  claim.patientStatus = inst.patientStatus;
  claim.admissionSource = inst.admissionSource;  // CL102, as in x12-837-map §6.2
  if (encounter) {
    for (std::size_t i = 0; i < encounter->participant.size() && !claim.attendingProvider; ++i) {
      const auto& participant = encounter->participant[i];
      bool attending = false;
      for (const auto& type : participant.type) {
        for (const auto& coding : type.coding) attending = attending || coding.code == "ATND";
      }
      if (!attending) continue;
      const std::string where =
          "Encounter/" + encounter->id + ".participant[" + std::to_string(i) + "].individual";
      auto target = scope.resolve(participant.individual, *encounterResource, where);
      if (!target) return rejectFrom(rule_id::kCtxAttending, target.error(), where);
      const Practitioner* practitioner = (*target)->as<Practitioner>();
      if (!practitioner) continue;
      auto provider = practitionerProvider(*practitioner, "Practitioner/" + practitioner->id);
      if (!provider)
        return rejectFrom(rule_id::kCtxAttending, provider.error(), provider.error().where);
      claim.attendingProvider = *provider;
      event.trail.push_back(
          {rule_id::kCtxAttending, {where}, "attending Practitioner/" + practitioner->id});
    }
  }
  if (!claim.attendingProvider && claim.renderingProvider) {
    claim.attendingProvider = claim.renderingProvider;
    event.trail.push_back({rule_id::kCtxAttending,
                           {event.facts.eventRef + ".performer"},
                           "no ATND participant: the performing practitioner is the attending"});
  }
  if (!claim.attendingProvider) {
    return reject(rule_id::kCtxAttending,
                  "837I needs an attending provider (Encounter.participant ATND or a performer "
                  "Practitioner with an NPI)",
                  encounter ? "Encounter/" + encounter->id + ".participant"
                            : event.facts.eventRef + ".performer");
  }
  claim.renderingProvider.reset();  // 837I 2310D is optional; the attending carries the NPI
  if (encounter && encounter->period && encounter->period->start) {
    auto from = encounter->period->start->localDateCcyymmdd();
    auto to = encounter->period->end ? encounter->period->end->localDateCcyymmdd() : from;
    if (from && to) {
      claim.statementFrom = *from;
      claim.statementTo = *to;
    }
  }
  const auto& effective = event.facts.administration->effective;
  if (claim.statementFrom.empty()) {
    std::optional<std::string> from, to;
    if (effective.period && effective.period->start) {
      from = effective.period->start->localDateCcyymmdd();
      to = effective.period->end ? effective.period->end->localDateCcyymmdd() : from;
    } else if (effective.dateTime) {
      from = to = effective.dateTime->localDateCcyymmdd();
    }
    if (from && to) {
      claim.statementFrom = *from;
      claim.statementTo = *to;
    }
  }
  const std::string& location = event.locationId;
  auto listed = [&](const std::vector<std::string>& ids) {
    return !location.empty() && std::find(ids.begin(), ids.end(), location) != ids.end();
  };
  if (listed(inst.offCampusExceptedLocations)) {
    event.facts.department = EventFacts::Department::kOffCampusExcepted;
  } else if (listed(inst.offCampusNonExceptedLocations)) {
    event.facts.department = EventFacts::Department::kOffCampusNonExcepted;
  }
  return Status::ok();
}

}  // namespace

Result<AssembledEvent> assembleClaimDetails(AssembledEvent& event, const AnyResource& resource,
                                            const ResourceScope& scope, const AppConfig& config,
                                            const Encounter* encounter,
                                            const AnyResource* encounterResource,
                                            std::optional<ClaimForm> formOverride) {
  if (Status s = collectDiagnoses(event, resource, scope, encounter, encounterResource); !s) {
    return s.error();
  }
  if (Status s = placeOfService(event, scope, config, encounter, encounterResource); !s) {
    return s.error();
  }
  event.header.form = decideForm(event, config, formOverride);
  const PayerProfile& payer = *event.payerProfile;
  event.header.subscriber.claimFilingIndicator = event.header.form == ClaimForm::k837P
                                                     ? payer.claimFilingIndicatorProfessional
                                                     : payer.claimFilingIndicatorInstitutional;
  if (event.header.form == ClaimForm::k837I) {
    if (Status s = institutionalHeader(event, scope, config, encounter, encounterResource); !s) {
      return s.error();
    }
  }
  const MedicationAdministration& ma = *event.facts.administration;
  event.header.patientControlNumber = claimId(config, encounter, ma);
  if (event.header.patientControlNumber.empty()) {
    return reject(rule_id::kCtxClaim, "cannot derive a claim id (CLM01)",
                  encounter ? "Encounter/" + encounter->id + ".identifier" : event.facts.eventRef);
  }
  event.header.sourceEncounterId = encounter ? "Encounter/" + encounter->id : std::string();
  event.claimKey = std::string(event.header.form == ClaimForm::k837P ? "P|" : "I|") +
                   (encounter ? "Encounter/" + encounter->id : event.facts.eventRef) + "|" +
                   event.header.payer.payerId + "|" + event.header.subscriber.memberId;
  return std::move(event);
}

}  // namespace fhir837
