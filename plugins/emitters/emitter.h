#pragma once

#include <span>
#include <string>

#include "core/result.h"
#include "model/claim.h"

namespace fhir837 {

// Turns coded claims into one X12 interchange. Implementations are pure and deterministic: no
// clock, no I/O, no randomness; the envelope carries identity, control numbers and the timestamp,
// so the same claims and envelope always give the same bytes. A claim that cannot be written
// validly fails the whole call (kInvalidValue naming the claim and the X12 element) instead of
// producing a file a receiver would reject.
class Emitter {
 public:
  virtual ~Emitter() = default;
  virtual Result<std::string> emit(std::span<const Claim> claims,
                                   const Envelope& envelope) const = 0;
};

// 005010X222A1 professional claims (plugins/emitters/x12_837p/README.md).
class X12_837PEmitter final : public Emitter {
 public:
  Result<std::string> emit(std::span<const Claim> claims, const Envelope& envelope) const override;
};

// 005010X223A2 institutional claims (plugins/emitters/x12_837i/README.md).
class X12_837IEmitter final : public Emitter {
 public:
  Result<std::string> emit(std::span<const Claim> claims, const Envelope& envelope) const override;
};

}  // namespace fhir837
