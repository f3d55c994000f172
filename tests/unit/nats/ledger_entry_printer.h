#pragma once

#include <ostream>

#include "store/billing_ledger.h"

namespace fhir837 {

// gtest's printer for ledger rows in assertion messages.
inline void PrintTo(const LedgerEntry& entry, std::ostream* out) {
  *out << "{" << entry.eventKey << ", " << entry.claimId << ", " << entry.file << ", "
       << entry.interchangeControlNumber << ", " << entry.claimKey << "}";
}

}  // namespace fhir837
