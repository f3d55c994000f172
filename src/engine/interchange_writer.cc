#include "engine/interchange_writer.h"

#include <algorithm>
#include <cctype>
#include <cstddef>

#include "sinks/dir/atomic_file_writer.h"

namespace fhir837 {

namespace fs = std::filesystem;

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

Status writeOne(const AppConfig& config, bool writeFiles, const fs::path& outputDir,
                const Clock& clock, StateStore& store, ClaimForm form,
                std::vector<ReadyClaim>& chunk, ConvertReport& report) {
  std::uint64_t controlNumber = 1;
  std::string filePath;
  if (writeFiles) {
    std::vector<LedgerEntry> entries;
    for (const auto& ready : chunk) {
      for (const auto& key : ready.eventKeys) {
        entries.push_back({key, ready.claim.patientControlNumber, "", 0});
      }
    }
    const std::string partnerKey = config.partner.senderId + "|" + config.partner.receiverId;
    auto reservation = store.reserveInterchange(
        partnerKey,
        [&](std::uint64_t n) {
          return fs::absolute(outputDir / interchangeFileName(form, config.partner, n)).string();
        },
        entries);
    if (!reservation && reservation.error().code == ErrorCode::kRejected) {
      // Another convert sharing the state dir billed one of these events after our ledger
      // check: that claim is not ours to send; the others go on (retry without it).
      const std::string& eventKey = reservation.error().where;
      for (std::size_t c = 0; c < chunk.size(); ++c) {
        const auto& keys = chunk[c].eventKeys;
        if (std::find(keys.begin(), keys.end(), eventKey) == keys.end()) continue;
        for (std::size_t k = 0; k < keys.size(); ++k) {
          OutcomeRecord outcome;
          outcome.input = chunk[c].eventPositions[k].first;
          outcome.entry = chunk[c].eventPositions[k].second;
          outcome.event = keys[k];
          outcome.kind = OutcomeKind::kNotBillable;
          outcome.rule = "LEDGER-1";
          outcome.reason = keys[k] == eventKey
                               ? "already billed by another conversion sharing the state dir"
                               : "claim withdrawn: " + eventKey +
                                     " on the same claim was billed by another conversion";
          outcome.path = keys[k];
          if (Status s = report.addOutcome(std::move(outcome)); !s) return s;
        }
        report.billedEvents -= keys.size();
        chunk.erase(chunk.begin() + static_cast<std::ptrdiff_t>(c));
        break;
      }
      if (chunk.empty()) return Status::ok();
      return writeOne(config, writeFiles, outputDir, clock, store, form, chunk, report);
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
  auto text = emitterFor(form).emit(claims, envelopeFor(config, clock, controlNumber));
  for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i].claim = std::move(claims[i]);
  claims = {};
  if (!text) {
    if (writeFiles) (void)store.abandonInterchange(filePath);
    return text.error();  // every claim passed alone: a failure here is a programming error
  }
  if (writeFiles) {
    if (Status written = writeFileAtomically(filePath, *text); !written) {
      (void)store.abandonInterchange(filePath);
      return written;
    }
    if (Status confirmed = store.confirmInterchange(filePath); !confirmed) return confirmed;
  }
  const std::string fileName = interchangeFileName(form, config.partner, controlNumber);
  report.interchanges.push_back(
      {fileName, form == ClaimForm::k837P ? "837P" : "837I", controlNumber, chunk.size()});
  for (auto& ready : chunk) {
    Status added = ready.reportElement.empty()
                       ? report.addClaim({std::move(ready.claim), fileName, std::move(ready.trail)})
                       : report.addRenderedClaim(std::move(ready.reportElement), fileName);
    if (!added) return added;
  }
  return Status::ok();
}

}  // namespace

InterchangeStream::InterchangeStream(const AppConfig& config, bool writeFiles, fs::path outputDir,
                                     const Clock& clock, StateStore& store, ConvertReport& report,
                                     ConvertProgress* progress)
    : config_(config),
      writeFiles_(writeFiles),
      outputDir_(std::move(outputDir)),
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
  const std::size_t before = report_.claimCount();
  Status written =
      writeOne(config_, writeFiles_, outputDir_, clock_, store_, form, pending, report_);
  if (progress_) {
    progress_->claims.fetch_add(report_.claimCount() - before, std::memory_order_relaxed);
  }
  pending.clear();
  return written;
}

Status InterchangeStream::finish() {
  if (Status s = flush(ClaimForm::k837P); !s) return s;
  return flush(ClaimForm::k837I);
}

}  // namespace fhir837
