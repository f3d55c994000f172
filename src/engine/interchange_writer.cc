#include "engine/interchange_writer.h"

#include <algorithm>
#include <cctype>
#include <cstddef>

#include "rule_ids.h"
#include "sinks/dir/atomic_file_writer.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {
// The store records absolute file names so that recovery works from any working directory; a
// path that cannot be made absolute (cwd gone) stays as given rather than throwing.
fs::path absoluteWhereKnown(fs::path dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec);
  return ec ? dir : absolute;
}
}  // namespace

const Emitter& emitterFor(ClaimForm form) {
  static const X12_837PEmitter professional;
  static const X12_837IEmitter institutional;
  if (form == ClaimForm::k837P) return professional;
  return institutional;
}

Envelope envelopeFor(const AppConfig& config, const Clock& clock, std::uint64_t controlNumber) {
  Envelope envelope;
  envelope.partner = config.partner;
  envelope.interchangeControlNumber = controlNumber;
  envelope.groupControlNumber = controlNumber;
  envelope.transactionControlNumber = 1;
  UtcStamp stamp = utcStamp(clock.nowEpochSeconds());
  envelope.date = stamp.date;
  envelope.time = stamp.time;
  envelope.batchReference = std::to_string(controlNumber);
  return envelope;
}

std::string interchangeFileName(ClaimForm form, const TradingPartner& partner,
                                std::uint64_t controlNumber) {
  std::string number = std::to_string(controlNumber);
  number.insert(0, 9 - std::min<std::size_t>(9, number.size()), '0');
  std::string receiver;
  for (char c : partner.receiverId) {
    if (std::isalnum(static_cast<unsigned char>(c))) receiver.push_back(c);
  }
  return std::string(form == ClaimForm::k837P ? "837P" : "837I") + "-" +
         (receiver.empty() ? "RECEIVER" : receiver) + "-" + number + ".837";
}

namespace {

OutcomeRecord eventOutcome(const ReadyClaim& claim, std::size_t k, OutcomeKind kind,
                           std::string rule, std::string reason, std::string path,
                           Trail trail = {}) {
  return OutcomeRecord{claim.eventPositions[k].first,
                       claim.eventPositions[k].second,
                       claim.eventKeys[k],
                       kind,
                       std::move(rule),
                       std::move(reason),
                       std::move(path),
                       std::move(trail)};
}

std::optional<std::uint32_t> sourceOf(const ReadyClaim& claim, std::size_t k) {
  if (k < claim.sourceEvents.size()) return claim.sourceEvents[k];
  return std::nullopt;
}

}  // namespace

// Reserves the control number and the ledger rows (before anything is written, so a crash never
// leaves a file the ledger does not know), emits, writes atomically, confirms. Claims are not
// emitted alone beforehand (that would emit every claim twice); when the emitter refuses the
// interchange, the claims it refuses are found one by one, rejected, and the rest is sent under
// a new control number (the refused attempt's number stays used).
Status InterchangeStream::writeChunk(ClaimForm form, std::vector<ReadyClaim>& chunk) {
  while (!chunk.empty()) {
    std::uint64_t controlNumber = 1;
    std::string filePath;
    if (writeFiles_) {
      std::vector<LedgerEntry> entries;
      for (const auto& ready : chunk) {
        for (const auto& key : ready.eventKeys) {
          entries.push_back({key, ready.claim.patientControlNumber, "", 0, ready.claimKey});
        }
        for (const auto& key : ready.carriedKeys) {
          entries.push_back({key, ready.claim.patientControlNumber, "", 0});
        }
      }
      const std::string partnerKey = config_.partner.senderId + "|" + config_.partner.receiverId;
      auto reservation = store_.reserveInterchange(
          partnerKey,
          [&](std::uint64_t n) {
            // The output dir is made absolute at start-up; no throwing fs::absolute here.
            return (outputDir_ / interchangeFileName(form, config_.partner, n)).string();
          },
          entries);
      if (!reservation && reservation.error().code == ErrorCode::kRejected) {
        if (Status s = withdraw(chunk, reservation.error().where); !s) return s;
        continue;
      }
      if (!reservation) return reservation.error();
      controlNumber = reservation->controlNumber;
      filePath = reservation->file;
    }
    // Moved out for the emitter (which takes contiguous claims) and back after: a chunk is up to
    // max_claims_per_transaction claims, too many to copy.
    std::vector<Claim> claims;
    claims.reserve(chunk.size());
    for (auto& ready : chunk) claims.push_back(std::move(ready.claim));
    auto text = emitterFor(form).emit(claims, envelopeFor(config_, clock_, controlNumber));
    for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i].claim = std::move(claims[i]);
    claims = {};
    if (!text) {
      // The number stays burnt either way; a store that cannot record the abandonment would
      // leave a reservation that a later run takes for a crash, so that is the run's error.
      if (writeFiles_) {
        if (Status s = store_.abandonInterchange(filePath); !s) return s;
      }
      // The emitter names the claim an error is about ("claim INF1: ..."); anything else (the
      // envelope, the structure check) is no claim's fault and stops the run.
      if (!text.error().message.starts_with("claim ")) return text.error();
      auto refused = rejectRefused(form, chunk);
      if (!refused) return refused.error();
      if (*refused == 0) return text.error();  // not any one claim's fault
      continue;
    }
    if (writeFiles_) {
      if (Status written = writeFileAtomically(filePath, *text,
                                               [&] { return store_.commitInterchange(filePath); });
          !written) {
        if (Status s = store_.abandonInterchange(filePath); !s) {
          return makeError(s.error().code,
                           written.error().message +
                               "; and the reservation could not be "
                               "abandoned: " +
                               s.error().message,
                           written.error().where);
        }
        return written;
      }
      if (Status confirmed = store_.confirmInterchange(filePath); !confirmed) return confirmed;
    }
    return recordWritten(form, controlNumber, chunk);
  }
  return Status::ok();
}

// Another convert sharing the state dir billed `eventKey` after our ledger check: the claim
// holding it is not ours to send; the others go on.
Status InterchangeStream::withdraw(std::vector<ReadyClaim>& chunk, const std::string& eventKey) {
  auto taken = std::find_if(chunk.begin(), chunk.end(), [&](const ReadyClaim& c) {
    return std::find(c.eventKeys.begin(), c.eventKeys.end(), eventKey) != c.eventKeys.end() ||
           std::find(c.carriedKeys.begin(), c.carriedKeys.end(), eventKey) != c.carriedKeys.end();
  });
  if (taken == chunk.end()) {
    return makeError(ErrorCode::kRejected, "already billed by another conversion", eventKey);
  }
  for (std::size_t k = 0; k < taken->eventKeys.size(); ++k) {
    const std::string& key = taken->eventKeys[k];
    OutcomeRecord o =
        eventOutcome(*taken, k, OutcomeKind::kNotBillable, rule_id::kLedger1,
                     key == eventKey ? "already billed by another conversion sharing the state dir"
                                     : "claim withdrawn: " + eventKey +
                                           " on the same claim was billed by another conversion",
                     key);
    if (Status s = report_.addOutcome(std::move(o)); !s) return s;
  }
  report_.billedEvents -= taken->eventKeys.size();
  chunk.erase(taken);
  return Status::ok();
}

// Emits each claim of a refused chunk alone; those refused are rejected with their events (the
// emitter's rule id, else CLM-VALID) and leave the chunk. Returns how many left.
Result<std::size_t> InterchangeStream::rejectRefused(ClaimForm form,
                                                     std::vector<ReadyClaim>& chunk) {
  const Envelope trial = envelopeFor(config_, clock_, 1);
  std::size_t refused = 0;
  for (std::size_t c = 0; c < chunk.size();) {
    auto alone = emitterFor(form).emit(std::span<const Claim>(&chunk[c].claim, 1), trial);
    if (alone) {
      ++c;
      continue;
    }
    const Error& e = alone.error();
    for (std::size_t k = 0; k < chunk[c].eventKeys.size(); ++k) {
      OutcomeRecord o = eventOutcome(chunk[c], k, OutcomeKind::kRejected,
                                     e.rule.empty() ? rule_id::kClmValid : e.rule, e.message,
                                     e.where, chunk[c].trail);
      if (Status s = rejected_(std::move(o), sourceOf(chunk[c], k)); !s) return s.error();
    }
    report_.billedEvents -= chunk[c].eventKeys.size();
    chunk.erase(chunk.begin() + static_cast<std::ptrdiff_t>(c));
    ++refused;
  }
  return refused;
}

Status InterchangeStream::recordWritten(ClaimForm form, std::uint64_t controlNumber,
                                        std::vector<ReadyClaim>& chunk) {
  const std::string fileName = interchangeFileName(form, config_.partner, controlNumber);
  report_.interchanges.push_back(
      {fileName, form == ClaimForm::k837P ? "837P" : "837I", controlNumber, chunk.size()});
  for (auto& ready : chunk) {
    Status added =
        ready.reportElement.empty()
            ? report_.addClaim({std::move(ready.claim), fileName, std::move(ready.trail)})
            : report_.addRenderedClaim(std::move(ready.reportElement), fileName);
    if (!added) return added;
  }
  if (progress_) progress_->claims.fetch_add(chunk.size(), std::memory_order_relaxed);
  return Status::ok();
}

InterchangeStream::InterchangeStream(const AppConfig& config, bool writeFiles, fs::path outputDir,
                                     const Clock& clock, BillingLedger& store,
                                     ConvertReport& report, ConvertProgress* progress,
                                     RejectSink rejected)
    : rejected_(
          rejected ? std::move(rejected)
                   : [&report](
                         OutcomeRecord o,
                         std::optional<std::uint32_t>) { return report.addOutcome(std::move(o)); }),
      config_(config),
      writeFiles_(writeFiles),
      outputDir_(absoluteWhereKnown(std::move(outputDir))),
      clock_(clock),
      store_(store),
      report_(report),
      progress_(progress) {}

Status InterchangeStream::add(ReadyClaim claim) {
  const ClaimForm form = claim.claim.form;
  auto& pending = pending_[form == ClaimForm::k837P ? 0 : 1];
  pending.push_back(std::move(claim));
  if (pending.size() < config_.maxClaimsPerTransaction) return Status::ok();
  return flush(form);
}

Status InterchangeStream::flush(ClaimForm form) {
  auto& pending = pending_[form == ClaimForm::k837P ? 0 : 1];
  if (pending.empty()) return Status::ok();
  Status written = writeChunk(form, pending);
  pending.clear();
  return written;
}

Status InterchangeStream::finish() {
  if (Status s = flush(ClaimForm::k837P); !s) return s;
  return flush(ClaimForm::k837I);
}

}  // namespace fhir837
