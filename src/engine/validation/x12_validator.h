#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <set>
#include <string>

#include "core/result.h"
#include "engine/validation/claim_rules.h"
#include "engine/validation/finding.h"
#include "engine/validation/loop_machine.h"
#include "engine/validation/reporter.h"
#include "x12/x12_segment_reader.h"

namespace fhir837::validation {

struct ValidationSummary {
  std::uint64_t segments = 0;
  std::uint64_t interchanges = 0;
  std::uint64_t transactions = 0;
  std::uint64_t claims = 0;
};

// Streaming 837P/837I validator: feed it segments in file order, then finish(). It checks SNIP
// 1-2 syntax and envelopes itself, places segments with LoopMachine (guide tables), checks element
// rules and hands each placed segment to ClaimRules. Memory: per-transaction loop stack and
// per-claim state, plus the control numbers seen (for uniqueness).
class X12Validator {
 public:
  explicit X12Validator(FindingSink& sink);

  void segment(const x12::X12Segment& segment);
  void finish();

  const ValidationSummary& summary() const { return summary_; }

 private:
  void checkDelimiters(const x12::X12Delimiters& delimiters, std::uint64_t segmentNumber);
  void isa(const x12::X12Segment& segment);
  void gs(const x12::X12Segment& segment);
  void st(const x12::X12Segment& segment);
  void se(const x12::X12Segment& segment);
  void ge(const x12::X12Segment& segment);
  void iea(const x12::X12Segment& segment);
  void body(const x12::X12Segment& segment);
  bool syntax(const x12::X12Segment& segment);
  void checkRule(const x12::X12Segment& segment, const SegmentRule& rule, std::string_view loop);
  void closeTransaction(std::string_view why);
  std::uint64_t number() const {
    return inTransaction_ ? transactionSegments_ : interchangeSegments_;
  }

  Reporter reporter_;
  LoopMachine loops_;
  ClaimRules rules_;
  ValidationSummary summary_;

  bool inInterchange_ = false;
  bool inGroup_ = false;
  bool inTransaction_ = false;
  const Guide* guide_ = nullptr;  // null inside an ST of an unknown guide
  std::uint64_t interchangeSegments_ = 0;
  std::uint64_t transactionSegments_ = 0;
  std::uint64_t groups_ = 0;
  std::uint64_t transactionsInGroup_ = 0;
  std::string isa13_, gs06_, gs08_, st02_;
  std::set<std::string> seenIsa13_, seenGs06_, seenSt02_;
};

struct ValidateStreamOptions {
  x12::X12ReaderLimits reader;
};

// Reads and validates one stream. An Error means the input is unreadable as X12 at all (no ISA
// at the start); a reader failure later in the file becomes a finding instead.
Result<ValidationSummary> validateStream(std::istream& in, FindingSink& sink,
                                         const ValidateStreamOptions& options = {});

}  // namespace fhir837::validation
