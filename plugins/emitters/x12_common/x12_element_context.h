#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "model/claim.h"

namespace fhir837::x12 {

// Who an emitter error is about: "claim <CLM01>", or "envelope" for ISA/GS/1000A/1000B values.
// Messages name the claim and say what is wrong with the element, never the value itself (it may
// be a name, a birth date or a member id).
class ElementContext {
 public:
  explicit ElementContext(std::string label) : label_(std::move(label)) {}

  static ElementContext forEnvelope() { return ElementContext("envelope"); }
  // "claim INF20250310001"; a claim without a usable CLM01 is named by position and source
  // encounter instead ("claim #2 (Encounter/enc7)").
  static ElementContext forClaim(const Claim& claim, std::size_t index);

  const std::string& label() const { return label_; }

  // kInvalidValue, where = "<loop> <element>" (e.g. "2010AA NM109").
  Error invalid(std::string_view where, std::string_view problem) const;

 private:
  std::string label_;
};

}  // namespace fhir837::x12
