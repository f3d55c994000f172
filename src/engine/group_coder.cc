#include "engine/group_coder.h"

#include <algorithm>
#include <map>

#include "encounter_coder.h"
#include "engine/assembly/procedure_event.h"
#include "engine/claim_builder.h"
#include "fhir_json/fhir_json_binder.h"
#include "rule_ids.h"
#include "rules/procedure_code_rule.h"

namespace fhir837 {

OutcomeKind outcomeKindOf(const Error& error) {
  if (error.code == ErrorCode::kNeedsReview) return OutcomeKind::kNeedsReview;
  // What is missing may still arrive (the daemon); batch turns it into kRejected at the end.
  if (error.mayStillArrive) return OutcomeKind::kPending;
  return OutcomeKind::kRejected;
}

CodingPolicy policyFor(const PayerProfile& profile, ClaimForm form) {
  CodingPolicy policy;
  policy.form = form;
  policy.addOn = profile.addOn;
  policy.jwJzRequired = profile.jwJzRequired;
  policy.ndcRequired = profile.ndcRequired;
  policy.mueUnits = profile.mueUnits;
  policy.xModifiers = profile.xModifiers;
  return policy;
}

GroupCoder::GroupCoder(const GroupContext& context)
    : context_(context),
      spilled_(context.loaded.spilled, *context.loaded.lines, context.loaded.inputNames,
               context.limits) {}

namespace {

bool hasServerUrl(std::string_view fullUrl) {
  return fullUrl.find("://") != std::string_view::npos;
}

}  // namespace

// Failures are never remembered: their messages name the referring path.
std::string GroupCoder::referrerFreeKey(const Reference& ref, const AnyResource& from,
                                        const ScopeHolder* holder, const ResourceIndex& memory) {
  const std::string_view reference = ref.reference;
  if (reference.empty() || reference.starts_with('#') || reference.starts_with("urn:") ||
      reference.find('?') != std::string_view::npos || hasServerUrl(reference)) {
    return {};
  }
  // A relative reference from a Bundle entry with a server URL is relative to that URL.
  if (hasServerUrl(memory.fullUrlOf(from)) ||
      (holder->local && hasServerUrl(holder->local->fullUrlOf(from)))) {
    return {};
  }
  std::string key(reinterpret_cast<const char*>(&holder), sizeof holder);
  key += ref.type;
  key += '|';
  key += reference;
  return key;
}

void GroupCoder::beginGroup() {
  resolved_.clear();
  spilled_.beginPinWindow();
  events_.clear();
  eventsRead_.clear();
}

const AnyResource* GroupCoder::eventIfRead(const EventRecord& event) const {
  auto found = eventsRead_.find(&event);
  return found == eventsRead_.end() ? nullptr : found->second;
}

Result<const AnyResource*> GroupCoder::eventResource(const EventRecord& event) {
  if (event.document != kNotADocument) {
    return context_.loaded.documentEvents[event.position].resource;
  }
  if (const AnyResource* read = eventIfRead(event)) return read;
  const std::string source =
      context_.loaded.inputOf(event) + ": line " + std::to_string(event.position);
  if (Status read = context_.loaded.lines->read(event.input, event.span(), line_); !read) {
    return read.error();
  }
  // The line parsed and bound in the first pass; failing now means it changed since.
  auto bound = bindFhirJson(line_, source, context_.limits);
  if (!bound) {
    return makeError(
        ErrorCode::kIo,
        "an event read back for the second pass no longer parses: " + bound.error().message,
        source);
  }
  const AnyResource* resource = &events_.emplace_back(std::move(*bound));
  eventsRead_.emplace(&event, resource);
  return resource;
}

ResourceScope GroupCoder::scopeFor(const EventRecord& event) const {
  const LoadedInputs& loaded = context_.loaded;
  const ScopeHolder* holder = loaded.scopes[loaded.scopeOf(event)].get();
  const ScopeHolder* global = loaded.scopes[0].get();
  const ResourceIndex* memory = &loaded.global;
  const SpilledResources* spilled = &spilled_;
  const CoverageLinks* links = &context_.coverageLinks;
  ResourceScope scope;
  scope.nowEpochSeconds = context_.nowEpochSeconds;
  // Nearest first: a Bundle's event looks in its Bundle, then in every Bundle, then in the NDJSON
  // files; an NDJSON event in the NDJSON files, then in the Bundles. A resource key found twice
  // in one layer is ambiguous; the same key in two layers is settled by the nearer one (an
  // export's own Patient/1 over another input's).
  const ResourceIndex* none = &noResources_;
  auto layers = [holder, memory, spilled, none](const Reference& ref, const AnyResource& from,
                                                const std::string& where) {
    auto inSpill = [&] { return none->resolve(ref, from, where, spilled); };
    auto inMemory = [&] { return memory->resolve(ref, from, where); };
    auto settled = [](const Result<const AnyResource*>& r) {
      return r || r.error().code != ErrorCode::kUnresolvedReference;
    };
    if (holder->local) {
      auto found = holder->local->resolve(ref, from, where);
      if (settled(found)) return found;
      if (auto other = inMemory()) return other;
      if (auto other = inSpill()) return other;
      return found;
    }
    auto found = inSpill();
    if (settled(found)) return found;
    if (auto other = inMemory()) return other;
    return found;
  };
  // The events of a group name the same Patient, Coverage, Practitioner and Organization again and
  // again: each is looked up once per group (beginGroup() forgets them, as the pin window ends).
  auto* resolved = &resolved_;
  scope.resolve = [holder, memory, resolved, layers](
                      const Reference& ref, const AnyResource& from,
                      const std::string& where) -> Result<const AnyResource*> {
    std::string key = referrerFreeKey(ref, from, holder, *memory);
    if (key.empty()) return layers(ref, from, where);
    if (auto known = resolved->find(key); known != resolved->end()) return known->second;
    auto found = layers(ref, from, where);
    if (found) resolved->emplace(std::move(key), *found);
    return found;
  };
  // A Bundle's own Coverages first; else every Coverage of the run, in memory or spilled (the
  // assembler picks among them, so none may be hidden behind another).
  scope.coveragesFor = [holder, global, spilled, links](const AnyResource* patient) {
    if (holder != global) {
      auto local = holder->coverages.find(patient);
      if (!local.empty()) return local;
    }
    auto found = global->coverages.find(patient);
    for (const CoverageCandidate& candidate : links->find(patient, *spilled)) {
      found.push_back(candidate);
    }
    return found;
  };
  return scope;
}

GroupOutcome GroupCoder::outcomeFor(std::uint32_t event, const std::string& eventRef,
                                    OutcomeKind kind, std::string rule, std::string reason,
                                    std::string path, Trail trail) const {
  const EventRecord& record = context_.loaded.events[event];
  return {
      OutcomeRecord{context_.loaded.inputOf(record), context_.loaded.entryOf(record), eventRef,
                    kind, std::move(rule), std::move(reason), std::move(path), std::move(trail)},
      event};
}

GroupResult GroupCoder::run(GroupTask& task) {
  beginGroup();
  GroupResult result;
  std::vector<std::pair<std::uint32_t, AssembledEvent>> assembled;
  for (GroupItem& item : task.items) {
    if (item.preassembled) {
      assembled.emplace_back(item.event, std::move(*item.preassembled));
      continue;
    }
    const EventRecord& event = context_.loaded.events[item.event];
    const std::string eventRef(context_.loaded.key(event.id));
    Result<const AnyResource*> resource =
        item.resource ? Result<const AnyResource*>(item.resource) : eventResource(event);
    if (!resource) {  // only an I/O error: the line was read once already
      result.fatal = resource.error();
      return result;
    }
    // A Procedure whose code is no drug administration (most Procedures in a clinical record)
    // is not billable, and needs no coverage or providers to say so.
    if (const Procedure* procedure = (*resource)->as<Procedure>()) {
      ProcedureCodeDecision code =
          decideProcedureCode(*procedure, eventRef, context_.tables.procedureCodes);
      if (code.verdict) {
        result.outcomes.push_back(outcomeFor(item.event, eventRef, code.verdict->kind,
                                             code.verdict->rule, code.verdict->reason,
                                             code.verdict->path));
        continue;
      }
    }
    const ResourceScope scope = scopeFor(event);
    auto ready = assembleEvent(**resource, scope, context_.config, context_.formOverride);
    if (!ready) {
      const Error& e = ready.error();
      result.outcomes.push_back(outcomeFor(item.event, eventRef, outcomeKindOf(e),
                                           e.rule.empty() ? rule_id::kCtx : e.rule, e.message,
                                           e.where));
      continue;
    }
    assembled.emplace_back(item.event, std::move(*ready));
  }
  codeAndBuild(assembled, result);
  if (spilled_.readError()) result.fatal = spilled_.readError();
  return result;
}

// Codes the events of each claim key together (the encounter-level rules see all of them), then
// builds each claim. The emitter checks it when its interchange is written.
void GroupCoder::codeAndBuild(std::vector<std::pair<std::uint32_t, AssembledEvent>>& assembled,
                              GroupResult& result) {
  std::vector<std::vector<std::size_t>> claims;
  std::map<std::string, std::size_t> byKey;
  for (std::size_t i = 0; i < assembled.size(); ++i) {
    auto [it, inserted] = byKey.emplace(assembled[i].second.claimKey, claims.size());
    if (inserted) claims.emplace_back();
    claims[it->second].push_back(i);
  }
  for (const auto& members : claims) {
    std::vector<EventFacts> facts;
    for (std::size_t i : members) facts.push_back(assembled[i].second.facts);
    const AssembledEvent& lead = assembled[members.front()].second;
    CodingPolicy policy = policyFor(*lead.payerProfile, lead.header.form);
    policy.stoppedBillsActualTime = context_.config.stoppedBillsActualTime;
    policy.maxInfusionMinutes = context_.config.maxInfusionMinutes;
    std::vector<EventCoding> codings = codeEncounter(facts, policy, context_.tables);

    std::vector<BilledEvent> billed;
    std::vector<std::uint32_t> billedEvents;
    billed.reserve(members.size());
    for (std::size_t k = 0; k < members.size(); ++k) {
      auto& [event, ready] = assembled[members[k]];
      EventCoding& coding = codings[k];
      if (coding.kind != OutcomeKind::kBilled) {
        result.outcomes.push_back(outcomeFor(event, ready.facts.eventRef, coding.kind, coding.rule,
                                             coding.reason, coding.path, coding.trail));
        continue;
      }
      billed.push_back(BilledEvent{std::move(ready), std::move(coding)});
      billedEvents.push_back(event);
    }
    if (billed.empty()) continue;
    std::vector<const BilledEvent*> pointers;
    for (const BilledEvent& b : billed) pointers.push_back(&b);
    auto reject = [&](const Error& error) {
      for (std::size_t k = 0; k < billed.size(); ++k) {
        result.outcomes.push_back(outcomeFor(billedEvents[k], billed[k].assembled.facts.eventRef,
                                             OutcomeKind::kRejected,
                                             error.rule.empty() ? rule_id::kClmValid : error.rule,
                                             error.message, error.where, billed[k].coding.trail));
      }
    };
    auto claim =
        buildClaim(pointers, context_.config.feeCentsPerUnit, context_.config.institutional);
    if (!claim) {
      reject(claim.error());
      continue;
    }
    ReadyClaim ready;
    ready.claim = std::move(*claim);
    ready.claimKey = billed.front().assembled.claimKey;
    ready.trail = billed.front().assembled.trail;
    for (std::size_t k = 0; k < billed.size(); ++k) {
      const AssembledEvent& a = billed[k].assembled;
      ready.eventKeys.push_back(a.ledgerKey.empty() ? a.facts.eventRef : a.ledgerKey);
      if (a.ledgerKey.empty()) {  // a void's Procedures were recorded with the original claim
        for (const std::string& key : a.carriedKeys) {
          if (std::find(ready.carriedKeys.begin(), ready.carriedKeys.end(), key) ==
              ready.carriedKeys.end()) {
            ready.carriedKeys.push_back(key);
          }
        }
      }
      const EventRecord& record = context_.loaded.events[billedEvents[k]];
      ready.eventPositions.emplace_back(context_.loaded.inputOf(record),
                                        context_.loaded.entryOf(record));
      ready.sourceEvents.push_back(billedEvents[k]);
    }
    if (context_.renderReport) {
      ready.reportElement = ConvertReport::renderClaimElement(ready.claim, ready.trail);
      // The lines' trails are in the rendered element now; the emitter never reads them, and a
      // claim waits for its interchange (up to max_claims_per_transaction of them) without them.
      for (ServiceLine& line : ready.claim.lines) Trail().swap(line.trail);
    }
    result.claims.push_back(std::move(ready));
  }
}

}  // namespace fhir837
