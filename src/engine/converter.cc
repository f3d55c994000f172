#include "engine/converter.h"

#include <algorithm>
#include <deque>
#include <map>

#include "engine/assembly/procedure_event.h"
#include "engine/batch_workers.h"
#include "engine/bulk/coverage_links.h"
#include "engine/bulk/hash_set64.h"
#include "engine/event_order.h"
#include "engine/group_coder.h"
#include "engine/input_loader.h"
#include "engine/interchange_writer.h"
#include "engine/rejects_writer.h"
#include "rule_ids.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

// Groups handed to the workers at once: enough work per thread to keep both cores busy, few
// enough claims and pinned resources in flight to keep memory flat.
constexpr std::size_t kGroupsPerBatch = 512;

OutcomeRecord outcome(const std::string& input, const std::string& entry, const std::string& event,
                      OutcomeKind kind, std::string rule, std::string reason, std::string path,
                      Trail trail = {}) {
  return OutcomeRecord{
      input,           entry,           event, kind, std::move(rule), std::move(reason),
      std::move(path), std::move(trail)};
}

const std::string& eventStatus(const AnyResource& event) {
  if (const auto* procedure = event.as<Procedure>()) return procedure->status;
  return event.as<MedicationAdministration>()->status;
}

// The encounter part of a claim key ("P|Encounter/e1|payer|member" -> "Encounter/e1").
std::string claimKeyEncounter(std::string_view claimKey) {
  const std::size_t first = claimKey.find('|');
  if (first == std::string_view::npos) return std::string(claimKey);
  const std::size_t second = claimKey.find('|', first + 1);
  return std::string(claimKey.substr(first + 1, second - first - 1));
}

struct VoidVerdict {
  OutcomeKind kind;
  std::string reason;
};

// An entered-in-error administration that was billed: why it cannot be voided now, or a void
// claim (the event coded as it was billed, frequency 8, REF*F8) to code with its group.
struct VoidPlan {
  std::optional<VoidVerdict> verdict;
  std::optional<AssembledEvent> assembled;
};

// The serial part of the second pass (state store, report, output files) and the workers.
class SecondPass {
 public:
  SecondPass(const AppConfig& config, const CodingTables& tables, const ConvertOptions& options,
             const Clock& clock, BillingLedger& store, LoadedInputs& loaded, ConvertReport& report,
             RejectsWriter* rejects)
      : config_(config),
        options_(options),
        store_(store),
        loaded_(loaded),
        report_(report),
        rejects_(rejects),
        context_{loaded,
                 links_,
                 config,
                 tables,
                 options.form,
                 options.limits,
                 options.writeFiles && options.spoolReport,
                 clock.nowEpochSeconds()},
        interchanges_(config, options.writeFiles,
                      options.interchangeDir.empty() ? options.outputDir : options.interchangeDir,
                      clock, store, report, options.progress,
                      [this](OutcomeRecord outcome, std::optional<std::uint32_t> event) {
                        return addOutcome({std::move(outcome), event});
                      }) {}

  Status run();

 private:
  Status resolveConditionalGroups();
  Status prepare(const EventGroup& group, GroupTask& task, std::vector<GroupOutcome>& early);
  Result<VoidPlan> planVoid(std::uint32_t eventIndex, const AnyResource& resource,
                            const LedgerEntry& billed);
  Result<std::optional<std::uint32_t>> conflictingCopy(std::uint32_t eventIndex);
  Status merge(std::vector<GroupOutcome>& early, GroupResult& result);
  Result<bool> clearedToSend(ReadyClaim& claim);
  void holdGroupWhilePending(const std::vector<GroupOutcome>& early, GroupResult& result) const;
  Status addOutcome(GroupOutcome outcome);
  GroupOutcome eventOutcome(std::uint32_t event, const std::string& eventRef, OutcomeKind kind,
                            std::string rule, std::string reason, std::string path) const;

  const AppConfig& config_;
  const ConvertOptions& options_;
  BillingLedger& store_;
  LoadedInputs& loaded_;
  ConvertReport& report_;
  RejectsWriter* rejects_;
  CoverageLinks links_;
  GroupContext context_;
  InterchangeStream interchanges_;
  // The batch being prepared: its coder reads events for the ledger checks and voids on this
  // thread, and its void copies live as long as the batch, since workers code them.
  GroupCoder* prepareCoder_ = nullptr;
  std::deque<AnyResource>* voidCopies_ = nullptr;
  HashSet64 claimKeys_;          // hashes of the claim keys written so far
  HashSet64 claimIds_;           // hashes of the original claims' CLM01s (CLM-ID)
  HashSet64 claimIdEncounters_;  // hashes of CLM01 + encounter of the same claims
  // "MedicationAdministration/ma1" -> the Procedures it is partOf (LoadedInputs::carried...).
  std::multimap<std::string, std::string> carriedBy_;
  const EventOrder* order_ = nullptr;
};

GroupOutcome SecondPass::eventOutcome(std::uint32_t event, const std::string& eventRef,
                                      OutcomeKind kind, std::string rule, std::string reason,
                                      std::string path) const {
  const EventRecord& record = loaded_.events[event];
  return {outcome(loaded_.inputOf(record), loaded_.entryOf(record), eventRef, kind, std::move(rule),
                  std::move(reason), std::move(path)),
          event};
}

// A store that cannot answer is an error of the run, never "not voided" / "no ICN" / "other
// events": those answers would send or withhold a void on a guess.
Result<VoidPlan> SecondPass::planVoid(std::uint32_t eventIndex, const AnyResource& resource,
                                      const LedgerEntry& billed) {
  const std::string eventRef = eventRefOf(resource);
  const std::string where = "claim " + billed.claimId + " (interchange " +
                            std::to_string(billed.interchangeControlNumber) + ")";
  auto voided = store_.findBilled("void:" + eventRef);
  if (!voided) return voided.error();
  if (*voided) {
    return VoidPlan{VoidVerdict{OutcomeKind::kNotBillable,
                                "entered-in-error: " + where + " was already voided (interchange " +
                                    std::to_string((*voided)->interchangeControlNumber) + ")"},
                    std::nullopt};
  }
  auto icn = store_.payerClaimNumber(billed.claimId);
  if (!icn) return icn.error();
  if (!*icn) {
    return VoidPlan{
        VoidVerdict{OutcomeKind::kNeedsReview,
                    "entered-in-error after billing on " + where +
                        ": a void (frequency 8) needs the payer claim control number; record "
                        "it with `fhir837 record-icn " +
                        billed.claimId + " <ICN>` and convert again"},
        std::nullopt};
  }
  auto others = store_.eventsOnClaim(billed.claimId);
  if (!others) return others.error();
  if (*others != 1) {
    return VoidPlan{VoidVerdict{OutcomeKind::kNeedsReview,
                                "entered-in-error on " + where +
                                    ", which also bills other events: send a replacement claim "
                                    "(frequency 7)"},
                    std::nullopt};
  }
  // Code the administration as it was billed (status completed) to rebuild the claim's lines.
  AnyResource& original = voidCopies_->emplace_back(resource);
  if (auto* ma = std::get_if<MedicationAdministration>(&original.value)) ma->status = "completed";
  if (auto* procedure = std::get_if<Procedure>(&original.value)) procedure->status = "completed";
  const ResourceScope scope = prepareCoder_->scopeFor(loaded_.events[eventIndex]);
  auto assembled = assembleEvent(original, scope, config_, options_.form);
  if (!assembled) {
    return VoidPlan{VoidVerdict{OutcomeKind::kNeedsReview,
                                "entered-in-error on " + where +
                                    ": the void cannot be rebuilt: " + assembled.error().message},
                    std::nullopt};
  }
  assembled->facts.eventRef = eventRef;
  assembled->header.frequencyCode = "8";
  assembled->header.payerClaimControlNumber = **icn;
  assembled->header.patientControlNumber = billed.claimId;
  assembled->claimKey = "VOID|" + assembled->claimKey;
  assembled->ledgerKey = "void:" + eventRef;
  assembled->trail.push_back({rule_id::kVoidD6,
                              {eventRef + ".status"},
                              "entered-in-error after billing: void of " + where +
                                  ", payer claim control number from record-icn"});
  return VoidPlan{std::nullopt, std::move(*assembled)};
}

// EVT-CONFLICT: a copy of this event's id whose content differs (the first copy is compared with
// every later one, a later one with the first); identical copies are one event (EVT-DUP).
Result<std::optional<std::uint32_t>> SecondPass::conflictingCopy(std::uint32_t eventIndex) {
  const std::uint32_t first = order_->firstCopy[eventIndex];
  std::vector<std::uint32_t> others;
  if (first != eventIndex) {
    others.push_back(first);
  } else {
    for (std::uint32_t k = order_->nextCopy[eventIndex]; k != EventOrder::kNoCopy;
         k = order_->nextCopy[k]) {
      others.push_back(k);
    }
  }
  if (others.empty()) return std::optional<std::uint32_t>();
  auto mine = prepareCoder_->eventResource(loaded_.events[eventIndex]);
  if (!mine) return mine.error();
  for (std::uint32_t other : others) {
    auto theirs = prepareCoder_->eventResource(loaded_.events[other]);
    if (!theirs) return theirs.error();
    if (!(**mine == **theirs)) return std::optional<std::uint32_t>(other);
  }
  return std::optional<std::uint32_t>();
}

// The checks that need the state store, in processing order on this thread: no id, duplicates,
// already billed (and voids of billed events). What passes goes to the workers.
Status SecondPass::prepare(const EventGroup& group, GroupTask& task,
                           std::vector<GroupOutcome>& early) {
  for (std::uint32_t position = group.begin; position < group.end; ++position) {
    const std::uint32_t index = order_->events[position];
    const EventRecord& event = loaded_.events[index];
    const std::string eventRef(loaded_.key(event.id));  // "<Type>/<id>"
    if (options_.onlyEvents && !options_.onlyEvents->count(eventRef)) continue;
    const bool isProcedure = eventRef.rfind("Procedure/", 0) == 0;
    if (eventRef.back() == '/') {
      early.push_back(eventOutcome(index, eventRef + "(no id)", OutcomeKind::kRejected,
                                   rule_id::kEvtId,
                                   std::string(isProcedure ? "procedure" : "administration") +
                                       " has no id: it could not be billed exactly once",
                                   loaded_.entryOf(event) + ".id"));
      continue;
    }
    auto conflict = conflictingCopy(index);
    if (!conflict) return conflict.error();
    if (*conflict) {
      const EventRecord& other = loaded_.events[**conflict];
      early.push_back(eventOutcome(
          index, eventRef, OutcomeKind::kNeedsReview, rule_id::kEvtConflict,
          std::string("another copy of this ") + (isProcedure ? "procedure" : "administration") +
              " with different content is in " + loaded_.inputOf(other) + " (" +
              loaded_.entryOf(other) + "): which copy is right is not settled silently",
          eventRef));
      continue;
    }
    if (order_->duplicate[index]) {
      early.push_back(eventOutcome(index, eventRef, OutcomeKind::kNotBillable, rule_id::kEvtDup,
                                   "same event already seen in this run", eventRef));
      continue;
    }
    if (isProcedure) {
      // An administration that is partOf this Procedure carries it: one event, billed once.
      if (auto carrier = loaded_.carriedProcedures.find(eventRef);
          carrier != loaded_.carriedProcedures.end()) {
        early.push_back(
            eventOutcome(index, eventRef, OutcomeKind::kNotBillable, rule_id::kProcPartof,
                         carrier->second + " is part of this Procedure (partOf): the event is "
                                           "billed once, with that administration",
                         carrier->second + ".partOf"));
        continue;
      }
    }
    auto billed = store_.findBilled(eventRef);
    if (!billed) return billed.error();
    // An administration whose Procedure (partOf) was billed in an earlier run as an event of
    // its own is that event: billing it again would bill the service twice.
    std::string billedProcedure;
    for (auto it = carriedBy_.find(eventRef);
         options_.writeFiles && !*billed && it != carriedBy_.end() && it->first == eventRef; ++it) {
      billed = store_.findBilled(it->second);
      if (!billed) return billed.error();
      if (*billed) billedProcedure = it->second;
    }
    if (!billedProcedure.empty()) {
      early.push_back(eventOutcome(index, eventRef, OutcomeKind::kNotBillable, rule_id::kLedger1,
                                   "its Procedure " + billedProcedure +
                                       " (partOf) was already billed on claim " +
                                       (*billed)->claimId + " (interchange " +
                                       std::to_string((*billed)->interchangeControlNumber) + ")",
                                   eventRef + ".partOf"));
      continue;
    }
    if (!*billed) {
      task.items.push_back({index, std::nullopt, prepareCoder_->eventIfRead(event)});
      continue;
    }
    auto resource = prepareCoder_->eventResource(event);
    if (!resource) return resource.error();
    if (eventStatus(**resource) == "entered-in-error") {
      // D6: the billed claim is voided (CLM05-3 = 8) when fhir837 knows the payer's claim
      // control number (REF*F8, from the 277CA/835, recorded with `fhir837 record-icn`) and the
      // claim billed nothing else; otherwise a person must finish it.
      auto planned = planVoid(index, **resource, **billed);
      if (!planned) return planned.error();
      if (prepareCoder_->readError()) return *prepareCoder_->readError();
      VoidPlan& plan = *planned;
      if (plan.verdict) {
        early.push_back(eventOutcome(index, eventRef, plan.verdict->kind, rule_id::kVoidD6,
                                     plan.verdict->reason, eventRef + ".status"));
      } else {
        task.items.push_back({index, std::move(plan.assembled)});
      }
      continue;
    }
    if (!options_.writeFiles) {
      // explain codes it again, bills nothing
      task.items.push_back({index, std::nullopt, *resource});
      continue;
    }
    early.push_back(eventOutcome(index, eventRef, OutcomeKind::kNotBillable, rule_id::kLedger1,
                                 "already billed on claim " + (*billed)->claimId +
                                     " (interchange " +
                                     std::to_string((*billed)->interchangeControlNumber) + ")",
                                 eventRef));
  }
  return Status::ok();
}

Status SecondPass::addOutcome(GroupOutcome item) {
  if (item.record.kind == OutcomeKind::kPending && !options_.keepPending) {
    item.record.kind = OutcomeKind::kRejected;  // nothing more will arrive in a batch run
  }
  const OutcomeKind kind = item.record.kind;
  if (rejects_ && item.event &&
      (kind == OutcomeKind::kRejected || kind == OutcomeKind::kNeedsReview)) {
    const EventRecord& event = loaded_.events[*item.event];
    if (event.document == kNotADocument) {
      std::string bytes;
      if (Status s = loaded_.lines->read(event.input, event.span(), bytes); !s) return s;
      if (Status s = rejects_->add(loaded_.inputOf(event), bytes, true); !s) return s;
    } else if (event.document < loaded_.documentBytes.size()) {
      Status s =
          rejects_->add(loaded_.inputOf(event), loaded_.documentBytes[event.document], false);
      if (!s) return s;
    }
  }
  return report_.addOutcome(std::move(item.record));
}

// CLM-GROUP, CLM-ID and LEDGER-2 for a claim about to be sent: false when it needs review
// instead (its events' outcomes are added). Reads the ledger only.
Result<bool> SecondPass::clearedToSend(ReadyClaim& claim) {
  // Every event of `claim` needs review for `rule`; the claim is not sent.
  auto reviewClaim = [this](const ReadyClaim& claim, const char* rule,
                            const std::string& reason) -> Status {
    for (std::size_t k = 0; k < claim.eventKeys.size(); ++k) {
      OutcomeRecord o =
          outcome(claim.eventPositions[k].first, claim.eventPositions[k].second, claim.eventKeys[k],
                  OutcomeKind::kNeedsReview, rule, reason, claim.eventKeys[k]);
      const std::optional<std::uint32_t> event =
          k < claim.sourceEvents.size() ? std::optional(claim.sourceEvents[k]) : std::nullopt;
      if (Status s = addOutcome({std::move(o), event}); !s) return s;
    }
    return Status::ok();
  };
  const std::string& claimId = claim.claim.patientControlNumber;
  // Two groups can build the same claim (same claim key) only when their events name one
  // Encounter in two different ways; sending both would bill the encounter twice.
  if (!claimKeys_.insert(stableHash(claim.claimKey))) {
    Status s = reviewClaim(claim, rule_id::kClmGroup,
                           "another claim with id " + claimId +
                               " was built from events that reference the encounter "
                               "differently; convert them with one reference form");
    if (!s) return s.error();
    return false;
  }
  // A claim whose own events another conversion billed since prepare() is withdrawn by the
  // interchange writer ("already billed by another conversion"); the checks below are about
  // claims earlier runs sent, not about this one.
  bool billedMeanwhile = false;
  if (options_.writeFiles && claim.claim.frequencyCode == "1") {
    for (const auto& key : claim.eventKeys) {
      auto billed = store_.findBilled(key);
      if (!billed) return billed.error();
      billedMeanwhile = billedMeanwhile || billed->has_value();
    }
  }
  if (claim.claim.frequencyCode == "1" && !billedMeanwhile) {
    // CLM-ID: CLM01 is unique per claim sent. claim_id.h keeps different identifiers apart,
    // but two encounters can carry the same identifier value (two systems' visit numbers).
    // Claims of one encounter (837P and 837I, another payer) may share it.
    const std::string encounter = claimKeyEncounter(claim.claimKey);
    const bool newId = claimIds_.insert(stableHash(claimId));
    const bool newPair = claimIdEncounters_.insert(stableHash(claimId + "|" + encounter));
    std::optional<std::string> clash;
    if (!newId && newPair) clash = "another encounter of this run";
    if (!clash && options_.writeFiles) {
      auto other = store_.claimIdOfOtherEncounter(claimId, encounter);
      if (!other) return other.error();
      if (*other) {
        clash = "claim key of interchange " + std::to_string((*other)->interchangeControlNumber) +
                " (an earlier run)";
      }
    }
    if (clash) {
      Status s = reviewClaim(claim, rule_id::kClmId,
                             "claim id " + claimId + " (CLM01) is already used by the " + *clash +
                                 "; give the encounters distinct identifiers");
      if (!s) return s.error();
      return false;
    }
  }
  // LEDGER-2: an earlier run already sent an original claim for this encounter (same claim
  // key); this run's new events of it would go out as a second original with the same CLM01
  // and be coded without the events already billed (96369 again instead of 96371). Until
  // fhir837 builds replacement claims (frequency 7), a person must bill them.
  if (options_.writeFiles && claim.claim.frequencyCode == "1" && !billedMeanwhile) {
    auto billed = store_.findBilledClaim(claim.claimKey, claimId);
    if (!billed) return billed.error();
    const bool ownEvent = *billed && std::find(claim.eventKeys.begin(), claim.eventKeys.end(),
                                               (*billed)->eventKey) != claim.eventKeys.end();
    if (*billed && !ownEvent) {
      Status s = reviewClaim(
          claim, rule_id::kLedger2,
          "encounter already billed on claim " + (*billed)->claimId + " (interchange " +
              std::to_string((*billed)->interchangeControlNumber) +
              "): a new event needs a replacement claim, which fhir837 does not build yet");
      if (!s) return s.error();
      return false;
    }
  }
  return true;
}

Status SecondPass::merge(std::vector<GroupOutcome>& early, GroupResult& result) {
  if (result.fatal) return *result.fatal;
  if (options_.keepPending) holdGroupWhilePending(early, result);
  for (auto& item : early) {
    if (Status s = addOutcome(std::move(item)); !s) return s;
  }
  for (auto& item : result.outcomes) {
    if (Status s = addOutcome(std::move(item)); !s) return s;
  }
  for (auto& claim : result.claims) {
    // One read transaction for the claim's ledger checks, ended before add() may write an
    // interchange (reserveInterchange takes the write lock).
    LedgerReadBatch reads(store_);
    Result<bool> send = reads.begun() ? clearedToSend(claim) : Result<bool>(reads.begun().error());
    if (Status ended = reads.end(); send && !ended) send = ended.error();
    if (!send) return send.error();
    if (!*send) continue;
    report_.billedEvents += claim.eventKeys.size();
    if (Status s = interchanges_.add(std::move(claim)); !s) return s;
  }
  return Status::ok();
}

// An encounter is billed whole: while one of its events waits for data, a claim of the others
// would go out without it (and the late event would need a replacement), so they wait too.
void SecondPass::holdGroupWhilePending(const std::vector<GroupOutcome>& early,
                                       GroupResult& result) const {
  const GroupOutcome* waiting = nullptr;
  const std::vector<GroupOutcome>* lists[] = {&early, &result.outcomes};
  for (const std::vector<GroupOutcome>* list : lists) {
    for (const GroupOutcome& item : *list) {
      if (item.record.kind == OutcomeKind::kPending && !waiting) waiting = &item;
    }
  }
  if (!waiting || result.claims.empty()) return;
  const std::string reason = "waits with " + waiting->record.event + " of the same encounter (" +
                             waiting->record.reason + ")";
  for (ReadyClaim& claim : result.claims) {
    for (std::size_t k = 0; k < claim.eventKeys.size(); ++k) {
      const std::optional<std::uint32_t> event =
          k < claim.sourceEvents.size() ? std::optional(claim.sourceEvents[k]) : std::nullopt;
      result.outcomes.push_back(
          {outcome(claim.eventPositions[k].first, claim.eventPositions[k].second,
                   claim.eventKeys[k], OutcomeKind::kPending, waiting->record.rule, reason,
                   waiting->record.path),
           event});
    }
  }
  result.claims.clear();
}

// Batches in flight: the workers code the next ones while this thread merges one, so a slow
// merge (an interchange written every max_claims_per_transaction claims) does not idle them.
constexpr std::size_t kBatchesInFlight = 3;

// An event whose Encounter is named by a conditional reference (Encounter?identifier=...) gets
// that Encounter's Type/id as its group key, so it is coded with the events that name it by id.
// (An Encounter named by identifier alone is not looked up: such events stay groups of their own.)
Status SecondPass::resolveConditionalGroups() {
  GroupCoder resolver(context_);
  const AnyResource detached;
  for (EventRecord& event : loaded_.events) {
    const std::string_view key = loaded_.key(event.group);
    if (key.find('?') == std::string_view::npos) continue;
    resolver.beginGroup();
    Reference context;
    context.reference = std::string(key);
    auto encounter = resolver.scopeFor(event).resolve(context, detached, "context");
    if (resolver.readError()) return *resolver.readError();
    if (!encounter) continue;  // the assembler reports it with the event
    auto canonical =
        loaded_.addKey(std::string((*encounter)->resourceType()) + "/" + (*encounter)->id());
    if (!canonical) return canonical.error();
    event.group = *canonical;
  }
  return Status::ok();
}

Status SecondPass::run() {
  {
    SpilledResources linker(loaded_.spilled, *loaded_.lines, loaded_.inputNames, options_.limits);
    links_.build(loaded_.spilled, linker, loaded_.global);
    if (linker.readError()) return *linker.readError();
  }
  if (Status s = resolveConditionalGroups(); !s) return s;
  for (const auto& [procedure, administration] : loaded_.carriedProcedures) {
    carriedBy_.emplace(administration, procedure);
  }
  const EventOrder order = orderEvents(loaded_);
  order_ = &order;
  const unsigned jobs = std::max(1u, options_.jobs);
  // Declared before the pool, so destroyed after it: its threads use the batches until joined.
  const std::size_t depth = jobs > 1 ? kBatchesInFlight : 1;
  std::vector<Batch> ring(depth);
  // With one job there is no pool: this thread codes each batch itself, one at a time.
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<GroupCoder> inline_;
  if (jobs > 1) {
    pool = std::make_unique<WorkerPool>(jobs, context_, options_.progress);
  } else {
    inline_ = std::make_unique<GroupCoder>(context_);
  }

  // Prepares a batch on this thread (the state store is not shared), then hands it over.
  auto start = [&](Batch& batch, std::size_t first) -> Status {
    const std::size_t count = std::min(order.groups.size(), first + kGroupsPerBatch) - first;
    batch.tasks.assign(count, {});
    batch.early.assign(count, {});
    batch.results.assign(count, {});
    batch.next = 0;
    batch.done = 0;
    if (!batch.prepareCoder) batch.prepareCoder = std::make_unique<GroupCoder>(context_);
    batch.prepareCoder->beginGroup();
    batch.voidCopies.clear();
    prepareCoder_ = batch.prepareCoder.get();
    voidCopies_ = &batch.voidCopies;
    {
      // prepare() only reads the ledger: the batch's lookups share one read transaction, ended
      // before merge() writes interchanges.
      LedgerReadBatch reads(store_);
      Status status = reads.begun();
      for (std::size_t g = 0; status && g < count; ++g) {
        status = prepare(order.groups[first + g], batch.tasks[g], batch.early[g]);
      }
      if (Status ended = reads.end(); status && !ended) status = ended;
      if (!status) {
        batch.done = count;  // never submitted: nothing to wait for
        return status;
      }
    }
    if (pool) {
      pool->submit(batch);
      return Status::ok();
    }
    for (std::size_t g = 0; g < count; ++g) {
      batch.results[g] = inline_->run(batch.tasks[g]);
      if (options_.progress) {
        options_.progress->events.fetch_add(batch.tasks[g].items.size(), std::memory_order_relaxed);
      }
    }
    batch.done = count;
    return Status::ok();
  };

  const std::size_t batchCount = (order.groups.size() + kGroupsPerBatch - 1) / kGroupsPerBatch;
  Status status = Status::ok();
  std::size_t started = 0;
  for (; status && started < std::min(depth, batchCount); ++started) {
    status = start(ring[started % depth], started * kGroupsPerBatch);
  }
  for (std::size_t merged = 0; status && merged < batchCount; ++merged) {
    Batch& current = ring[merged % depth];
    if (pool) pool->wait(current);
    for (std::size_t g = 0; status && g < current.tasks.size(); ++g) {
      status = merge(current.early[g], current.results[g]);
    }
    if (status && started < batchCount) {
      status = start(current, started * kGroupsPerBatch);
      ++started;
    }
  }
  // On an error, batches may still be in the pool: let them finish before they are destroyed.
  if (pool) {
    for (std::size_t k = 0; k < std::min(depth, started); ++k) pool->wait(ring[k]);
  }
  if (!status) return status;
  return interchanges_.finish();
}

}  // namespace

Result<ConvertReport> convertInputs(const AppConfig& config, const CodingTables& tables,
                                    const ConvertOptions& options, const Clock& clock,
                                    BillingLedger& store) {
  std::error_code ec;
  if (options.writeFiles) {
    fs::create_directories(options.outputDir, ec);
    if (ec) {
      return makeError(ErrorCode::kIo, "cannot create output dir: " + ec.message(),
                       options.outputDir.string());
    }
  }
  ConvertReport report;
  std::optional<RejectsWriter> rejects;
  // explain writes nothing into an output dir: its spill file goes to the system temp dir.
  fs::path spillDir = options.writeFiles ? fs::path() : fs::temp_directory_path(ec);
  if (ec) return makeError(ErrorCode::kIo, "no temp dir for the spill file: " + ec.message(), "");
  if (options.writeFiles) {
    rejects.emplace(options.outputDir);
    spillDir = options.outputDir;
    if (options.spoolReport) {
      if (Status s = report.spool(options.outputDir); !s) return s.error();
    }
  }
  LoadedInputs loaded;
  LoadOptions load{options.limits, std::max(1u, options.jobs), spillDir, options.progress};
  Status loadedAll = loadInputs(
      options.inputs, load, loaded,
      [&](std::optional<OutcomeRecord> outcome, std::optional<RejectedRaw> raw) -> Status {
        if (raw && rejects) {
          if (Status s = rejects->add(*raw); !s) return s;
        }
        return outcome ? report.addOutcome(std::move(*outcome)) : Status::ok();
      });
  if (!loadedAll) return loadedAll.error();
  report.inputs = loaded.inputs;
  if (options.progress) {
    options.progress->totalEvents.store(loaded.events.size(), std::memory_order_relaxed);
    options.progress->phase.store(1, std::memory_order_relaxed);
  }

  SecondPass pass(config, tables, options, clock, store, loaded, report,
                  rejects ? &*rejects : nullptr);
  if (Status s = pass.run(); !s) return s.error();
  if (rejects) rejects->nameInputs(report.inputs);
  if (options.writeFiles) {
    if (Status s = report.writeJson(options.outputDir / "report.json"); !s) return s.error();
  }
  if (options.progress) options.progress->phase.store(2, std::memory_order_relaxed);
  return report;
}

}  // namespace fhir837
