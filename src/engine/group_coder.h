#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "coding_types.h"
#include "engine/assembly/claim_assembler.h"
#include "engine/bulk/coverage_links.h"
#include "engine/bulk/spilled_resources.h"
#include "engine/config/app_config.h"
#include "engine/input_loader.h"
#include "engine/interchange_writer.h"

namespace fhir837 {

// One event of a group to code: assembled by the worker, or (a void) already assembled on the
// main thread, which needs the state store.
struct GroupItem {
  std::uint32_t event = 0;  // index into LoadedInputs::events
  std::optional<AssembledEvent> preassembled;
  // The event's resource when the main thread already read it back (its copies compared, its
  // ledger entry checked): owned by the batch's prepare coder, so the worker does not parse the
  // line again.
  const AnyResource* resource = nullptr;
};

struct GroupTask {
  std::vector<GroupItem> items;
};

// An outcome of a group, with the event it is about (for OUTDIR/rejects/).
struct GroupOutcome {
  OutcomeRecord record;
  std::optional<std::uint32_t> event;
};

struct GroupResult {
  std::vector<GroupOutcome> outcomes;
  std::vector<ReadyClaim> claims;
  std::optional<Error> fatal;  // a line could not be read back: the run stops
};

// What every GroupCoder shares, read-only.
struct GroupContext {
  const LoadedInputs& loaded;
  const CoverageLinks& coverageLinks;
  const AppConfig& config;
  const CodingTables& tables;
  std::optional<ClaimForm> formOverride;
  ParseLimits limits;
  bool renderReport = false;  // render each claim's report element on the worker (spooled report)
  std::optional<std::int64_t> nowEpochSeconds;  // the run clock, for DOS-FUTURE
};

// The second pass for one group of events on one thread: reads each event back, assembles it
// (resolving references through this coder's SpilledResources), codes the events of each claim
// together, builds each claim and checks it alone with its form's emitter. Not thread-safe: one
// per worker. Pointers it hands out stay valid until the next run() or beginGroup().
class GroupCoder {
 public:
  explicit GroupCoder(const GroupContext& context);

  GroupResult run(GroupTask& task);

  // For the main thread's void planning: starts a pin window, then reads events and builds
  // scopes like run() does.
  void beginGroup();
  // The event's resource: in its document, or its line read back and bound (an error
  // here is kIo: the line was read once already).
  Result<const AnyResource*> eventResource(const EventRecord& event);
  // The event's resource if eventResource() read it since beginGroup(), else nullptr.
  const AnyResource* eventIfRead(const EventRecord& event) const;
  ResourceScope scopeFor(const EventRecord& event) const;
  // The first I/O error reading a line back, if any.
  const std::optional<Error>& readError() const { return spilled_.readError(); }

 private:
  void codeAndBuild(std::vector<std::pair<std::uint32_t, AssembledEvent>>& assembled,
                    GroupResult& result);
  // The memo key of a relative Type/id reference (same scope, same answer, whoever refers), or
  // empty for a reference whose answer depends on the referrer (#contained, a Bundle entry's base
  // URL) or on its form (urn:, absolute, conditional, logical).
  static std::string referrerFreeKey(const Reference& ref, const AnyResource& from,
                                     const ScopeHolder* holder, const ResourceIndex& memory);
  GroupOutcome outcomeFor(std::uint32_t event, const std::string& eventRef, OutcomeKind kind,
                          std::string rule, std::string reason, std::string path,
                          Trail trail = {}) const;

  const GroupContext& context_;
  ResourceIndex noResources_;  // resolves against the spilled resources alone
  SpilledResources spilled_;
  std::deque<AnyResource> events_;  // NDJSON events read back for the current group
  // Successful lookups of this group's references whose answer cannot depend on the referrer
  // (see referrerFreeKey), by scope, Reference.type and reference.
  mutable std::unordered_map<std::string, const AnyResource*> resolved_;
  // The same events by record: the prepare coder compares an event with each of its copies.
  std::unordered_map<const EventRecord*, const AnyResource*> eventsRead_;
  std::string line_;  // the line being read back, reused
};

OutcomeKind outcomeKindOf(const Error& error);
CodingPolicy policyFor(const PayerProfile& profile, ClaimForm form);

}  // namespace fhir837
