#include "engine/assembly/event_assembly.h"

#include <string>

#include "engine/assembly/party_mapping.h"
#include "engine/assembly/reference_follow.h"
#include "rule_ids.h"

namespace fhir837 {

Status assembleBillingProvider(EventAssembly& assembly) {
  const Encounter* enc = assembly.encounter;
  const std::string& encPath = assembly.encounterPath;
  AssembledEvent& event = assembly.event;
  Claim& claim = event.header;
  if (enc && !enc->serviceProvider.empty()) {
    auto org = require<Organization>(assembly.scope, enc->serviceProvider,
                                     *assembly.encounterResource, encPath + ".serviceProvider",
                                     rule_id::kCtxBilling, "Encounter.serviceProvider");
    if (!org) return org.error();
    auto provider = organizationProvider(**org, refPath("Organization", (*org)->id));
    if (!provider && provider.error().rule == rule_id::kCtxAddress) return provider.error();
    if (!provider)
      return rejectFrom(rule_id::kCtxBilling, provider.error(), provider.error().where);
    claim.billingProvider = *provider;
    event.trail.push_back({rule_id::kCtxBilling,
                           {encPath + ".serviceProvider"},
                           "billing provider Organization/" + (*org)->id});
  } else if (assembly.config.defaultBillingProvider.present) {
    claim.billingProvider = assembly.config.defaultBillingProvider.provider;
    event.trail.push_back(
        {rule_id::kCtxBilling, {}, "billing provider from config [billing.provider]"});
  } else {
    return reject(rule_id::kCtxBilling,
                  "no Encounter.serviceProvider and no [billing.provider] in config",
                  enc ? encPath + ".serviceProvider" : event.facts.eventRef + ".context");
  }
  const Provider& billing = claim.billingProvider;
  if (billing.address.empty() || billing.address.zip.size() != 9 || billing.ein.size() != 9) {
    return reject(rule_id::kCtxBilling,
                  "billing provider needs a street address, a 9-digit ZIP and a 9-digit EIN "
                  "(2010AA N3/N4/REF*EI)",
                  enc ? encPath + ".serviceProvider" : "config billing.provider");
  }
  return Status::ok();
}

Status assembleRenderingProvider(EventAssembly& assembly) {
  const MedicationAdministration& ma = *assembly.event.facts.administration;
  for (std::size_t i = 0; i < ma.performer.size(); ++i) {
    const std::string where =
        assembly.event.facts.eventRef + ".performer[" + std::to_string(i) + "].actor";
    auto actor = assembly.scope.resolve(ma.performer[i].actor, assembly.from, where);
    if (!actor) return rejectFrom(rule_id::kCtxRendering, actor.error(), where);
    const Practitioner* practitioner = (*actor)->as<Practitioner>();
    if (const PractitionerRole* role = (*actor)->as<PractitionerRole>()) {
      auto target = follow<Practitioner>(assembly.scope, role->practitioner, **actor,
                                         refPath("PractitionerRole", role->id) + ".practitioner",
                                         rule_id::kCtxRendering);
      if (!target) return target.error();
      practitioner = *target;
    }
    if (!practitioner) continue;
    auto provider = practitionerProvider(*practitioner, refPath("Practitioner", practitioner->id));
    if (!provider)
      return rejectFrom(rule_id::kCtxRendering, provider.error(), provider.error().where);
    assembly.event.header.renderingProvider = *provider;
    assembly.event.facts.performerKey = provider->npi;
    break;
  }
  return Status::ok();
}

}  // namespace fhir837
