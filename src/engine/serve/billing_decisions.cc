#include "engine/serve/billing_decisions.h"

#include <algorithm>
#include <map>

#include "core/json_string.h"
#include "engine/serve/claim_fingerprint.h"
#include "engine/serve/claim_replacement.h"
#include "rule_ids.h"

namespace fhir837::serve {

namespace fs = std::filesystem;

namespace {

std::string fileNameOf(const std::string& path) { return fs::path(path).filename().string(); }

// The report line of a billed claim this round did not build (it was written before a crash,
// and the round that wrote it never recorded its line): what the ledger knows of it.
std::string ledgerClaimLine(const LedgerEntry& entry, const std::vector<std::string>& events) {
  std::string line = "{\"claim_id\":";
  appendJsonString(line, entry.claimId);
  line += ",\"interchange_file\":";
  appendJsonString(line, fileNameOf(entry.file));
  line += ",\"isa13\":" + std::to_string(entry.interchangeControlNumber) + ",\"events\":[";
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (k > 0) line += ',';
    appendJsonString(line, events[k]);
  }
  line += "],\"recovered_from_ledger\":true}";
  return line;
}

}  // namespace

Result<std::vector<GroupDecision>> decideRound(const AppConfig& config, BillingLedger& ledger,
                                               const ConvertReport& report,
                                               const std::vector<RoundGroup>& groups,
                                               std::int64_t now,
                                               std::chrono::seconds pendingTimeout,
                                               BillingStore::Update& update) {
  std::vector<GroupDecision> decisions;

  std::map<std::string, std::uint64_t> numberOfFile;
  for (const InterchangeRecord& interchange : report.interchanges) {
    numberOfFile[interchange.file] = interchange.controlNumber;
  }
  std::map<std::string, std::string> claimLines;  // "CLM01|ISA13" -> line
  for (const ClaimRecord& claim : report.claims) {
    const std::string key =
        claim.claim.patientControlNumber + "|" + std::to_string(numberOfFile[claim.file]);
    const std::string line = renderClaimJsonLine(claim);
    claimLines[key] = line;
    update.reportLines.emplace_back(key, line);
    if (claim.claim.frequencyCode == "1") {
      update.fingerprints.emplace_back(sentClaimKey(claim.claim),
                                       claimFingerprint(config, claim.claim));
    }
  }
  std::map<std::string, const OutcomeRecord*> outcomes;
  for (const OutcomeRecord& outcome : report.outcomes) outcomes[outcome.event] = &outcome;

  std::map<std::string, std::pair<LedgerEntry, std::vector<std::string>>> recovered;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string& groupKey = groups[g].groupKey;
    BillingStore::GroupState state = groups[g].state;
    const std::int64_t wasPendingSince = state.pendingSince;
    state.processedSeq = std::max(state.processedSeq, groups[g].lastChangeSeq);
    state.pendingSince = 0;
    GroupDecision& decision = decisions.emplace_back();
    for (const std::string& eventKey : groups[g].eventKeys) {
      EventBillingStatus status;
      status.eventKey = eventKey;
      auto billed = ledger.findBilled(eventKey);
      if (!billed) return billed.error();
      const auto found = outcomes.find(eventKey);
      // A Procedure an administration is partOf is recorded in the ledger with that
      // administration's claim, but it is not an event of the claim: it says so, as batch does.
      const bool carried = found != outcomes.end() && found->second->rule == rule_id::kProcPartof;
      // A billed event now entered-in-error: its void (or why it cannot be sent yet).
      const bool voiding = found != outcomes.end() && found->second->rule == rule_id::kVoidD6;
      if (*billed && !carried && !voiding) {
        const LedgerEntry& entry = **billed;
        status.state = "billed";
        status.rule = rule_id::kLedger1;
        status.claimId = entry.claimId;
        status.interchangeFile = fileNameOf(entry.file);
        status.interchangeControlNumber = entry.interchangeControlNumber;
        status.transactionSetControlNumber = "0001";
        const std::string key =
            entry.claimId + "|" + std::to_string(entry.interchangeControlNumber);
        status.reason = "billed on claim " + entry.claimId + " in " + status.interchangeFile;
        if (auto line = claimLines.find(key); line != claimLines.end()) {
          status.trailJson = line->second;
        } else {
          decision.sentEarlier = true;
          auto& [ledgerEntry, events] = recovered[key];
          ledgerEntry = entry;
          events.push_back(eventKey);
        }
        auto voided = ledger.findBilled("void:" + eventKey);
        if (!voided) return voided.error();
        if (*voided) {
          status.state = "not-billable";
          status.rule = rule_id::kVoidD6;
          status.reason = "entered-in-error: claim " + entry.claimId + " was voided in " +
                          fileNameOf((*voided)->file);
        }
      } else if (found != outcomes.end()) {
        const OutcomeRecord& outcome = *found->second;
        status.state = toString(outcome.kind);
        status.rule = outcome.rule;
        status.reason = outcome.reason;
        status.path = outcome.path;
        status.trailJson = renderOutcomeJsonLine(outcome);
        if (outcome.kind == OutcomeKind::kNeedsReview && outcome.rule == rule_id::kVoidD6) {
          // A void waits for the payer's claim control number (record-icn) like a
          // replacement does: looked at again until it can go out.
          decision.awaitingPayerNumber = true;
          state.pendingSince = wasPendingSince != 0 ? wasPendingSince : now;
        }
        if (outcome.kind == OutcomeKind::kPending) {
          state.pendingSince = wasPendingSince != 0 ? wasPendingSince : now;
          status.waitingFor.push_back(outcome.reason + " (" + outcome.path + ")");
          if (now - state.pendingSince >= pendingTimeout.count()) {
            decision.expired = true;
            status.state = "needs-review";
            status.reason = "waited longer than pending_timeout (" +
                            std::to_string(pendingTimeout.count()) + " s) for: " + outcome.reason;
          }
        }
      } else {
        status.state = "pending";
        status.rule = rule_id::kServeWait;
        status.reason = "the coding round gave this event no outcome; it is coded again";
      }
      update.statuses.push_back(status);
      update.statusGroups.emplace_back(eventKey, groupKey);
    }
    decision.state = state;
    update.groups.emplace_back(groupKey, state);
  }
  for (auto& [key, claim] : recovered) {
    auto& [entry, events] = claim;
    const std::string line = ledgerClaimLine(entry, events);
    update.reportLines.emplace_back(key, line);
    for (EventBillingStatus& status : update.statuses) {
      if (status.state == "billed" && status.trailJson.empty() &&
          std::find(events.begin(), events.end(), status.eventKey) != events.end()) {
        status.trailJson = line;
      }
    }
  }
  return decisions;
}

}  // namespace fhir837::serve
