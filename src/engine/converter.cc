#include "engine/converter.h"

#include <deque>
#include <map>
#include <set>

#include "emitters/emitter.h"
#include "encounter_coder.h"
#include "engine/claim_builder.h"
#include "engine/input_loader.h"
#include "engine/interchange_writer.h"
#include "sinks/dir/atomic_file_writer.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

OutcomeRecord outcome(const std::string& input, const std::string& entry, const std::string& event,
                      OutcomeKind kind, std::string rule, std::string reason, std::string path,
                      Trail trail = {}) {
  return OutcomeRecord{
      input,           entry,           event, kind, std::move(rule), std::move(reason),
      std::move(path), std::move(trail)};
}

OutcomeKind kindOf(const Error& error) {
  return error.code == ErrorCode::kNeedsReview ? OutcomeKind::kNeedsReview : OutcomeKind::kRejected;
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

struct PendingEvent {
  std::string input, entry;
  BilledEvent billed;
};

// An event that passed the per-event checks and was assembled, waiting for its encounter.
struct AssembledPending {
  std::string input, entry;
  AssembledEvent assembled;
};

// Everything the events of one run produced so far.
struct RunState {
  LoadedInputs loaded;  // events point into these
  ConvertReport report;
  std::vector<AssembledPending> assembled;
  std::deque<AnyResource> voidCopies;  // entered-in-error events re-coded for their void
  std::vector<PendingEvent> billed;
  std::set<std::string> seenEvents;
};

struct VoidVerdict {
  OutcomeKind kind;
  std::string reason;
};

// An entered-in-error administration that was billed: returns why it cannot be voided now, or
// nothing after queueing a void claim (the event coded as it was billed, frequency 8, REF*F8).
std::vector<VoidVerdict> planVoid(const AppConfig& config, const ConvertOptions& options,
                                  StateStore& store, const AnyResource& resource,
                                  const ResourceScope& scope, const LedgerEntry& billed,
                                  RunState& run) {
  const std::string eventRef = "MedicationAdministration/" + resource.id();
  const std::string where = "claim " + billed.claimId + " (interchange " +
                            std::to_string(billed.interchangeControlNumber) + ")";
  auto voided = store.findBilled("void:" + eventRef);
  if (voided && *voided) {
    return {{OutcomeKind::kNotBillable,
             "entered-in-error: " + where + " was already voided (interchange " +
                 std::to_string((*voided)->interchangeControlNumber) + ")"}};
  }
  auto icn = store.payerClaimNumber(billed.claimId);
  if (!icn || !*icn) {
    return {{OutcomeKind::kNeedsReview,
             "entered-in-error after billing on " + where +
                 ": a void (frequency 8) needs the payer claim control number; record it with "
                 "`fhir837 record-icn " +
                 billed.claimId + " <ICN>` and convert again"}};
  }
  auto others = store.eventsOnClaim(billed.claimId);
  if (!others || *others != 1) {
    return {{OutcomeKind::kNeedsReview,
             "entered-in-error on " + where +
                 ", which also bills other events: send a replacement claim (frequency 7)"}};
  }
  // Code the administration as it was billed (status completed) to rebuild the claim's lines.
  AnyResource& original = run.voidCopies.emplace_back(resource);
  std::get<MedicationAdministration>(original.value).status = "completed";
  auto assembled = assembleAdministration(original, scope, config, options.form);
  if (!assembled) {
    return {{OutcomeKind::kNeedsReview,
             "entered-in-error on " + where +
                 ": the void cannot be rebuilt: " + assembled.error().message}};
  }
  assembled->facts.eventRef = eventRef;
  assembled->header.frequencyCode = "8";
  assembled->header.payerClaimControlNumber = **icn;
  assembled->header.patientControlNumber = billed.claimId;
  assembled->claimKey = "VOID|" + assembled->claimKey;
  assembled->ledgerKey = "void:" + eventRef;
  assembled->trail.push_back({"VOID-D6",
                              {eventRef + ".status"},
                              "entered-in-error after billing: void of " + where +
                                  ", payer claim control number from record-icn"});
  run.assembled.push_back({"", "", std::move(*assembled)});
  return {};
}

void assembleEvents(const AppConfig& config, const ConvertOptions& options, StateStore& store,
                    RunState& run) {
  for (const LoadedEvent& event : run.loaded.events) {
    const AnyResource* resource = event.resource;
    const std::string& input = event.input;
    const std::string& entry = event.entry;
    const ResourceScope& scope = run.loaded.scopes[event.scope]->scope;
    const std::string eventRef = "MedicationAdministration/" + resource->id();
    if (resource->id().empty()) {
      run.report.outcomes.push_back(outcome(input, entry, "MedicationAdministration/(no id)",
                                            OutcomeKind::kRejected, "EVT-ID",
                                            "administration has no id: it could not be billed "
                                            "exactly once",
                                            entry + ".id"));
      continue;
    }
    if (!run.seenEvents.insert(eventRef).second) {
      run.report.outcomes.push_back(outcome(input, entry, eventRef, OutcomeKind::kNotBillable,
                                            "EVT-DUP", "same event already seen in this run",
                                            eventRef));
      continue;
    }
    auto billed = store.findBilled(eventRef);
    const auto* ma = resource->as<MedicationAdministration>();
    if (billed && *billed && ma->status == "entered-in-error") {
      // D6: the billed claim is voided (CLM05-3 = 8) when fhir837 knows the payer's claim
      // control number (REF*F8, from the 277CA/835, recorded with `fhir837 record-icn`) and the
      // claim billed nothing else; otherwise a person must finish it.
      if (auto verdict = planVoid(config, options, store, *resource, scope, **billed, run);
          !verdict.empty()) {
        run.report.outcomes.push_back(outcome(input, entry, eventRef, verdict.front().kind,
                                              "VOID-D6", verdict.front().reason,
                                              eventRef + ".status"));
      } else {
        run.assembled.back().input = input;
        run.assembled.back().entry = entry;
      }
      continue;
    }
    if (billed && *billed && options.writeFiles) {
      run.report.outcomes.push_back(
          outcome(input, entry, eventRef, OutcomeKind::kNotBillable, "LEDGER-1",
                  "already billed on claim " + (*billed)->claimId + " (interchange " +
                      std::to_string((*billed)->interchangeControlNumber) + ")",
                  eventRef));
      continue;
    }
    auto assembled = assembleAdministration(*resource, scope, config, options.form);
    if (!assembled) {
      const Error& e = assembled.error();
      run.report.outcomes.push_back(outcome(input, entry, eventRef, kindOf(e),
                                            e.rule.empty() ? "CTX" : e.rule, e.message, e.where));
      continue;
    }
    run.assembled.push_back({input, entry, std::move(*assembled)});
  }
}

// Codes the assembled events encounter by encounter (events sharing a claim key are coded
// together, so the encounter-level rules see all of them).
void codeEncounters(const AppConfig& config, const CodingTables& tables, RunState& run) {
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < run.assembled.size(); ++i) {
    auto [it, inserted] = index.emplace(run.assembled[i].assembled.claimKey, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  for (const auto& group : groups) {
    std::vector<EventFacts> facts;
    for (std::size_t i : group) facts.push_back(run.assembled[i].assembled.facts);
    const AssembledEvent& lead = run.assembled[group.front()].assembled;
    CodingPolicy policy = policyFor(*lead.payerProfile, lead.header.form);
    policy.stoppedBillsActualTime = config.stoppedBillsActualTime;
    std::vector<EventCoding> codings = codeEncounter(facts, policy, tables);
    for (std::size_t k = 0; k < group.size(); ++k) {
      AssembledPending& pending = run.assembled[group[k]];
      EventCoding& coding = codings[k];
      if (coding.kind != OutcomeKind::kBilled) {
        run.report.outcomes.push_back(
            outcome(pending.input, pending.entry, pending.assembled.facts.eventRef, coding.kind,
                    coding.rule, coding.reason, coding.path, coding.trail));
        continue;
      }
      run.billed.push_back({pending.input, pending.entry,
                            BilledEvent{std::move(pending.assembled), std::move(coding)}});
    }
  }
}

struct ClaimGroup {
  std::vector<const PendingEvent*> events;
};

// Events sharing a claim key become one claim, in order of first appearance.
std::vector<ClaimGroup> groupClaims(const RunState& run) {
  std::vector<ClaimGroup> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& event : run.billed) {
    auto [it, inserted] = index.emplace(event.billed.assembled.claimKey, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].events.push_back(&event);
  }
  return groups;
}

void rejectGroup(RunState& run, const ClaimGroup& group, const Error& error) {
  for (const PendingEvent* event : group.events) {
    run.report.outcomes.push_back(
        outcome(event->input, event->entry, event->billed.assembled.facts.eventRef,
                OutcomeKind::kRejected, error.rule.empty() ? "CLM-VALID" : error.rule,
                error.message, error.where, event->billed.coding.trail));
  }
}

// Builds every claim and checks it alone with its form's emitter (a claim the emitter refuses is
// rejected with its events, the others go on), then hands them to the interchange writer.
Status emitClaims(const AppConfig& config, const ConvertOptions& options, const Clock& clock,
                  StateStore& store, RunState& run) {
  std::vector<ReadyClaim> ready;
  auto groups = groupClaims(run);
  for (const auto& group : groups) {
    std::vector<const BilledEvent*> events;
    for (const PendingEvent* e : group.events) events.push_back(&e->billed);
    auto claim = buildClaim(events, config.feeCentsPerUnit, config.institutional);
    if (!claim) {
      rejectGroup(run, group, claim.error());
      continue;
    }
    Claim single[] = {*claim};
    if (auto check = emitterFor(claim->form).emit(single, envelopeFor(config, clock, 1)); !check) {
      rejectGroup(run, group, check.error());
      continue;
    }
    ReadyClaim item{std::move(*claim), {}, {}, group.events.front()->billed.assembled.trail};
    for (const PendingEvent* e : group.events) {
      item.eventKeys.push_back(e->billed.assembled.ledgerKey.empty()
                                   ? e->billed.assembled.facts.eventRef
                                   : e->billed.assembled.ledgerKey);
      item.eventPositions.emplace_back(e->input, e->entry);
    }
    run.report.billedEvents += group.events.size();
    ready.push_back(std::move(item));
  }
  return writeInterchanges(config, options.writeFiles, options.outputDir, clock, store,
                           std::move(ready), run.report);
}

// The raw input behind every rejected or needs-review event (and every unparseable line or
// document), for OUTDIR/rejects/: fix it there and feed it back to convert.
std::vector<RejectedRaw> rejectedInputs(const RunState& run) {
  std::vector<RejectedRaw> raw = run.loaded.rejectedRaw;
  std::map<std::pair<std::string, std::string>, const LoadedEvent*> byPosition;
  for (const auto& event : run.loaded.events) byPosition[{event.input, event.entry}] = &event;
  for (const auto& outcome : run.report.outcomes) {
    if (outcome.kind != OutcomeKind::kRejected && outcome.kind != OutcomeKind::kNeedsReview)
      continue;
    auto it = byPosition.find({outcome.input, outcome.entry});
    if (it == byPosition.end()) continue;
    const LoadedEvent& event = *it->second;
    if (event.document == SIZE_MAX) {
      raw.push_back({event.input, event.rawLine, true});
    } else if (event.document < run.loaded.documentBytes.size()) {
      raw.push_back({event.input, run.loaded.documentBytes[event.document], false});
    }
  }
  return raw;
}

}  // namespace

Result<ConvertReport> convertInputs(const AppConfig& config, const CodingTables& tables,
                                    const ConvertOptions& options, const Clock& clock,
                                    StateStore& store) {
  std::error_code ec;
  if (options.writeFiles) {
    fs::create_directories(options.outputDir, ec);
    if (ec) {
      return makeError(ErrorCode::kIo, "cannot create output dir: " + ec.message(),
                       options.outputDir.string());
    }
  }
  RunState run;
  if (Status s = loadInputs(options.inputs, options.limits, options.jobs, run.loaded); !s)
    return s.error();
  run.report.inputs = run.loaded.inputs;
  run.report.outcomes = run.loaded.lineOutcomes;
  assembleEvents(config, options, store, run);
  codeEncounters(config, tables, run);
  if (Status s = emitClaims(config, options, clock, store, run); !s) return s.error();
  if (options.writeFiles) {
    if (Status s = writeRejects(options.outputDir, rejectedInputs(run)); !s) return s.error();
    Status written =
        writeFileAtomically(options.outputDir / "report.json", renderReportJson(run.report));
    if (!written) return written.error();
  }
  return std::move(run.report);
}

}  // namespace fhir837
