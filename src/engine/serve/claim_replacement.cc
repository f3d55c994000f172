#include "engine/serve/claim_replacement.h"

#include <algorithm>

#include "engine/converter.h"
#include "engine/interchange_writer.h"
#include "engine/serve/claim_fingerprint.h"
#include "rule_ids.h"
#include "store/state_store.h"

namespace fhir837::serve {

namespace {

std::vector<std::string> eventsOn(const Claim& claim) {
  std::vector<std::string> events;
  for (const ServiceLine& line : claim.lines) {
    if (std::find(events.begin(), events.end(), line.sourceEventId) == events.end()) {
      events.push_back(line.sourceEventId);
    }
  }
  return events;
}

EventBillingStatus statusOf(const std::string& eventKey, std::string state, std::string rule,
                            std::string reason) {
  EventBillingStatus status;
  status.eventKey = eventKey;
  status.state = std::move(state);
  status.rule = std::move(rule);
  status.reason = std::move(reason);
  return status;
}

// One claim whose coding today differs from what was sent.
class Replacement {
 public:
  Replacement(const ReplacementInputs& inputs, ReplacementOutcome& out)
      : inputs_(inputs), out_(out) {}

  Status consider(const ClaimRecord& today, const std::string& groupKey,
                  const std::vector<std::string>& groupEvents,
                  const std::map<std::string, const OutcomeRecord*>& dryOutcomes) {
    const std::vector<std::string> events = eventsOn(today.claim);
    std::optional<LedgerEntry> original;
    std::vector<std::string> unbilled;
    for (const std::string& event : events) {
      auto billed = inputs_.ledger.findBilled(event);
      if (!billed) return billed.error();
      if (!*billed) {
        unbilled.push_back(event);
      } else if (!original) {
        original = **billed;
      }
    }
    if (!original) return Status::ok();  // nothing of it was sent: the round bills it anew
    Claim claim = today.claim;
    claim.patientControlNumber = original->claimId;
    const std::string key = sentClaimKey(claim);
    const std::string fingerprint = claimFingerprint(inputs_.config, claim);
    auto sent = inputs_.store.fingerprint(key);
    if (!sent) return sent.error();
    if (!*sent) {
      // Sent before its fingerprint was kept (a crash between writing and recording): what it
      // sent was coded from the data as it stood then, which is what the baseline can only be.
      out_.fingerprints.emplace_back(key, fingerprint);
      return Status::ok();
    }
    if (**sent == fingerprint) return Status::ok();  // the same claim: nothing to replace

    const std::string where = "claim " + original->claimId + " (interchange " +
                              std::to_string(original->interchangeControlNumber) + ")";
    auto icn = inputs_.ledger.payerClaimNumber(original->claimId);
    if (!icn) return icn.error();
    if (!*icn) {
      for (const std::string& event : groupEvents) {
        out_.statuses[event] = statusOf(
            event, "needs-review", rule_id::kServeReplace,
            "the encounter changed after it was billed on " + where +
                ": a replacement claim (frequency 7) needs the payer's claim control number; "
                "record it with `fhir837 record-icn " +
                original->claimId + " <ICN>`");
      }
      out_.awaitingPayerNumber.insert(groupKey);
      return Status::ok();
    }
    const std::string ledgerKey = "replace:" + key + ":" + fingerprint.substr(0, 16);
    auto already = inputs_.ledger.findBilled(ledgerKey);
    if (!already) return already.error();
    LedgerEntry written;
    if (*already) {
      written = **already;  // sent before a crash; only the records are missing
    } else {
      auto sentNow = send(std::move(claim), today.trail, **icn, ledgerKey, unbilled, where);
      if (!sentNow) return sentNow.error();
      if (!*sentNow) {
        for (const std::string& event : groupEvents) {
          out_.statuses[event] =
              statusOf(event, "needs-review", rule_id::kServeReplace,
                       "the replacement of " + where + " was refused: " + refusal_);
        }
        return Status::ok();
      }
      written = **sentNow;
    }
    out_.fingerprints.emplace_back(key, fingerprint);
    for (const std::string& event : groupEvents) {
      const bool onClaim = std::find(events.begin(), events.end(), event) != events.end();
      if (onClaim) {
        EventBillingStatus status = statusOf(
            event, "billed", rule_id::kServeReplace,
            "billed on replacement claim " + written.claimId + " (frequency 7) in " +
                std::filesystem::path(written.file).filename().string() + ", replacing " + where);
        status.claimId = written.claimId;
        status.interchangeFile = std::filesystem::path(written.file).filename().string();
        status.interchangeControlNumber = written.interchangeControlNumber;
        status.transactionSetControlNumber = "0001";
        status.trailJson = line_;
        out_.statuses[event] = status;
      } else if (auto found = dryOutcomes.find(event); found != dryOutcomes.end()) {
        const OutcomeRecord& outcome = *found->second;
        EventBillingStatus status =
            statusOf(event, toString(outcome.kind), outcome.rule,
                     outcome.reason + " (taken off " + where + " by its replacement)");
        status.path = outcome.path;
        out_.statuses[event] = status;
      }
    }
    return Status::ok();
  }

 private:
  // Writes the replacement through the interchange writer: control number and ledger rows
  // reserved before the file, so it goes out once. Absent: the writer refused it (refusal_).
  Result<std::optional<LedgerEntry>> send(Claim claim, Trail trail, const std::string& icn,
                                          const std::string& ledgerKey,
                                          const std::vector<std::string>& unbilled,
                                          const std::string& where) {
    claim.frequencyCode = "7";
    claim.payerClaimControlNumber = icn;
    ReadyClaim ready;
    ready.claimKey = "REPLACE|" + ledgerKey;
    ready.eventKeys.push_back(ledgerKey);
    for (const std::string& event : unbilled) ready.eventKeys.push_back(event);
    for (const std::string& event : ready.eventKeys) ready.eventPositions.emplace_back("", event);
    trail.push_back({rule_id::kServeReplace,
                     {},
                     "replaces " + where +
                         ": the encounter's billed facts changed; payer claim control number "
                         "from record-icn"});
    ready.trail = std::move(trail);
    ready.claim = std::move(claim);
    ConvertReport report;
    InterchangeStream stream(inputs_.config, true, inputs_.outbox, inputs_.clock, inputs_.ledger,
                             report);
    if (Status s = stream.add(std::move(ready)); !s) return s.error();
    if (Status s = stream.finish(); !s) return s.error();
    if (report.claims.empty()) {
      refusal_ = report.outcomes.empty() ? "withdrawn" : report.outcomes.front().reason;
      return std::optional<LedgerEntry>();
    }
    const ClaimRecord& record = report.claims.front();
    line_ = renderClaimJsonLine(record);
    auto entry = inputs_.ledger.findBilled(ledgerKey);
    if (!entry) return entry.error();
    if (!*entry) return makeError(ErrorCode::kIo, "the replacement's ledger row is missing");
    out_.reportLines.emplace_back(record.claim.patientControlNumber + "|" +
                                      std::to_string((*entry)->interchangeControlNumber),
                                  line_);
    return *entry;
  }

  const ReplacementInputs& inputs_;
  ReplacementOutcome& out_;
  std::string refusal_;
  std::string line_;
};

}  // namespace

std::string sentClaimKey(const Claim& claim) {
  return claim.patientControlNumber + (claim.form == ClaimForm::k837P ? "|837P" : "|837I");
}

Result<ReplacementOutcome> replaceChangedClaims(const ReplacementInputs& inputs,
                                                const std::vector<ReplacementGroup>& groups) {
  ReplacementOutcome out;
  if (groups.empty()) return out;
  std::unordered_set<std::string> events;
  std::map<std::string, const ReplacementGroup*> groupOf;
  for (const ReplacementGroup& group : groups) {
    for (const std::string& event : group.eventKeys) {
      events.insert(event);
      groupOf[event] = &group;
    }
  }
  // Coded as if nothing were billed: a private ledger in memory, nothing written.
  auto nothingBilled = StateStore::openInMemory();
  if (!nothingBilled) return nothingBilled.error();
  ConvertOptions options;
  options.inputs = {inputs.inputDir};
  options.outputDir = inputs.workDir;
  options.writeFiles = false;
  options.keepPending = true;
  options.spoolReport = false;
  options.onlyEvents = &events;
  auto today = convertInputs(inputs.config, inputs.tables, options, inputs.clock, **nothingBilled);
  if (!today) return today.error();
  std::map<std::string, const OutcomeRecord*> outcomes;
  for (const OutcomeRecord& outcome : today->outcomes) outcomes[outcome.event] = &outcome;
  Replacement replacement(inputs, out);
  for (const ClaimRecord& claim : today->claims) {
    const std::vector<std::string> claimEvents = eventsOn(claim.claim);
    if (claimEvents.empty() || !groupOf.count(claimEvents.front())) continue;
    const ReplacementGroup& group = *groupOf[claimEvents.front()];
    if (Status s = replacement.consider(claim, group.groupKey, group.eventKeys, outcomes); !s) {
      return s.error();
    }
  }
  return out;
}

}  // namespace fhir837::serve
