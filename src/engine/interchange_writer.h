#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "emitters/emitter.h"
#include "engine/clock.h"
#include "engine/config/app_config.h"
#include "engine/progress.h"
#include "engine/report/convert_report.h"
#include "store/billing_ledger.h"

namespace fhir837 {

// A claim that was built and passed its own emitter check, with the events it bills.
struct ReadyClaim {
  Claim claim;
  std::string claimKey;  // what grouped its events (form, encounter, payer, member; voids apart)
  std::vector<std::string> eventKeys;
  // Ledger keys recorded with the claim that are not events of it: the Procedures its
  // administrations are partOf, so no later run bills them on their own.
  std::vector<std::string> carriedKeys;
  std::vector<std::pair<std::string, std::string>> eventPositions;  // (input, entry) per event
  std::vector<std::uint32_t> sourceEvents;  // the caller's id of each event (for rejects), if any
  Trail trail;
  // ConvertReport::renderClaimElement of the claim, when the report is spooled: rendered by the
  // worker that built the claim rather than on the single thread that writes interchanges.
  std::string reportElement;
};

// The emitter for a form (837P: 005010X222A1, 837I: 005010X223A2).
const Emitter& emitterFor(ClaimForm form);

// The envelope of interchange `controlNumber` (ISA13 = GS06 = it; ST02 from 0001).
Envelope envelopeFor(const AppConfig& config, const Clock& clock, std::uint64_t controlNumber);

// "837P-RCV67890-000000042.837": form, receiver, ISA13 — stable and saying what is inside.
std::string interchangeFileName(ClaimForm form, const TradingPartner& partner,
                                std::uint64_t controlNumber);

// Takes claims as they are ready and writes an interchange each time one form has
// config.maxClaimsPerTransaction of them (the rest at finish(), 837P first), so at most one
// interchange per form waits in memory. For each interchange: reserves the control number and
// the ledger rows (before writing), emits, writes atomically, confirms. With writeFiles false
// (explain) nothing is reserved or written. Adds interchange and claim records to `report`.
class InterchangeStream {
 public:
  // Where the events of a claim the emitter refuses go (with ReadyClaim::sourceEvents); by
  // default the report alone.
  using RejectSink = std::function<Status(OutcomeRecord, std::optional<std::uint32_t> source)>;

  InterchangeStream(const AppConfig& config, bool writeFiles, std::filesystem::path outputDir,
                    const Clock& clock, BillingLedger& store, ConvertReport& report,
                    ConvertProgress* progress = nullptr, RejectSink rejected = {});
  Status add(ReadyClaim claim);
  Status finish();

 private:
  Status flush(ClaimForm form);
  Status writeChunk(ClaimForm form, std::vector<ReadyClaim>& chunk);
  Status withdraw(std::vector<ReadyClaim>& chunk, const std::string& eventKey);
  Result<std::size_t> rejectRefused(ClaimForm form, std::vector<ReadyClaim>& chunk);
  Status recordWritten(ClaimForm form, std::uint64_t controlNumber, std::vector<ReadyClaim>& chunk);

  RejectSink rejected_;
  const AppConfig& config_;
  bool writeFiles_;
  std::filesystem::path outputDir_;
  const Clock& clock_;
  BillingLedger& store_;
  ConvertReport& report_;
  ConvertProgress* progress_;
  std::vector<ReadyClaim> pending_[2];  // 837P, 837I
};

}  // namespace fhir837
