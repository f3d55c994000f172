#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "emitters/emitter.h"
#include "engine/clock.h"
#include "engine/config/app_config.h"
#include "engine/report/convert_report.h"
#include "store/state_store.h"

namespace fhir837 {

// A claim that was built and passed its own emitter check, with the events it bills.
struct ReadyClaim {
  Claim claim;
  std::vector<std::string> eventKeys;
  std::vector<std::pair<std::string, std::string>> eventPositions;  // (input, entry) per event
  Trail trail;
};

// The emitter for a form (837P: 005010X222A1, 837I: 005010X223A2).
const Emitter& emitterFor(ClaimForm form);

// The envelope of interchange `controlNumber` (ISA13 = GS06 = it; ST02 from 0001).
Envelope envelopeFor(const AppConfig& config, const Clock& clock, std::uint64_t controlNumber);

// "837P-RCV67890-000000042.837": form, receiver, ISA13 — stable and saying what is inside.
std::string interchangeFileName(ClaimForm form, const TradingPartner& partner,
                                std::uint64_t controlNumber);

// Groups claims per form (837P first), splits each form into interchanges of at most
// config.maxClaimsPerTransaction claims, and for each: reserves the control number and the
// ledger rows (before writing), emits, writes atomically, confirms. With writeFiles false
// (explain) nothing is reserved or written. Appends interchange and claim records to `report`.
Status writeInterchanges(const AppConfig& config, bool writeFiles,
                         const std::filesystem::path& outputDir, const Clock& clock,
                         StateStore& store, std::vector<ReadyClaim> claims, ConvertReport& report);

}  // namespace fhir837
