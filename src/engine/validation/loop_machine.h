#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "engine/validation/guide_tables.h"
#include "engine/validation/reporter.h"

namespace fhir837::validation {

// Places each segment of a transaction set in the guide's loop tree (guide_tables.h), the way
// pyx12 walks its maps: look forward from the current position in the innermost open loop, then
// in each enclosing loop (closing the inner ones), and enter a child loop when its trigger
// matches. Reports missing required segments/loops, max use / repeat overflows, and segments
// that fit nowhere. Keeps only the stack of open loops (depth <= 6).
class LoopMachine {
 public:
  using LoopClosed = std::function<void(const LoopDef&, std::uint64_t segment)>;

  LoopMachine(Reporter& reporter, LoopClosed onClose)
      : reporter_(reporter), onClose_(std::move(onClose)) {}

  // Opens the root loop with ST at `segment`.
  void start(const Guide& guide, std::uint64_t segment);
  // The node the segment was placed on, or null when it fits nowhere (reported).
  const Node* place(const x12::X12Segment& segment, std::uint64_t number);
  // Closes every open loop (after SE, or when the transaction set is cut short).
  void finish(std::uint64_t segment);

  bool active() const { return !stack_.empty(); }
  std::string_view currentLoop() const;
  // The innermost open loop; only while active().
  const LoopDef& current() const { return *stack_.back().def; }

 private:
  struct Open {
    const LoopDef* def;
    std::size_t pos = 0;
    std::vector<int> counts;
  };

  void open(const LoopDef& def);
  void closeTop(std::uint64_t segment, std::string_view segmentId);
  void reportMissing(const Open& open, std::size_t from, std::size_t to, std::uint64_t segment,
                     std::string_view segmentId);
  void reportUnexpected(const x12::X12Segment& segment, std::uint64_t number) const;
  void reportSkipped(std::uint64_t number, std::string_view segmentId);

  Reporter& reporter_;
  LoopClosed onClose_;
  const Guide* guide_ = nullptr;
  std::vector<Open> stack_;
  // Segments skipped since the last one that fit: reported once, not one error each.
  std::uint64_t skipped_ = 0;
};

}  // namespace fhir837::validation
