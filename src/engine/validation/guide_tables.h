#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/validation/element_rules.h"
#include "x12/x12_segment.h"

namespace fhir837::validation {

enum class GuideKind { k837P, k837I };

// Which segment a table slot accepts: the id plus, optionally, a code in one element/component
// (NM101 entity code, HL03 level, DTP01, REF01, HI01-1). element 0 = any segment with that id.
struct Qualifier {
  std::size_t element = 0;
  std::size_t component = 0;
  std::vector<std::string> values;

  bool matches(const x12::X12Segment& segment) const;
};

struct LoopDef;

// A segment id packed into an integer so slot matching compares one word, not strings.
constexpr std::uint32_t segmentKey(std::string_view id) {
  std::uint32_t key = 0;
  for (std::size_t i = 0; i < id.size() && i < 3; ++i) {
    key = (key << 8) | static_cast<unsigned char>(id[i]);
  }
  return id.size() > 3 ? 0 : key;
}

// One position of a loop in guide order: a segment slot or a nested loop. For a loop node,
// usage/maxUse are the loop's usage and repeat limit; the trigger is the loop's first node.
struct Node {
  const LoopDef* loop = nullptr;  // null: segment slot
  std::string segmentId;
  std::uint32_t key = 0;  // segmentKey(segmentId)
  Qualifier qualifier;
  Usage usage = Usage::kSituational;
  int maxUse = 1;                     // 0 = unbounded (">1" in the guide)
  std::shared_ptr<SegmentRule> rule;  // null: element contents not checked

  bool isLoop() const { return loop != nullptr; }
  // The segment that starts this node (a loop's trigger for loop nodes).
  bool accepts(const x12::X12Segment& segment, std::uint32_t key) const;
  bool accepts(const x12::X12Segment& segment) const {
    return accepts(segment, segmentKey(segment.id()));
  }
  std::string label() const;  // "DTP*434", "loop 2410"
};

struct LoopDef {
  std::string id;
  std::vector<Node> nodes;  // nodes[0] is the loop's trigger segment
};

// A transaction set's loop tree (x12-837-map.md §2/§3, pyx12 position order). The root loop
// "ST" holds ST, BHT, 1000A, 1000B, 2000A and SE.
struct Guide {
  GuideKind kind;
  std::string version;  // GS08 / ST03
  int maxLines = 50;
  std::deque<LoopDef> loops;  // owns every LoopDef (a deque keeps their addresses stable)
  const LoopDef* rootLoop = nullptr;
  const LoopDef& root() const { return *rootLoop; }
};

// The guide for a GS08/ST03 version string, or null when fhir837 does not know it.
const Guide* findGuide(std::string_view version);

// Table helpers shared by guide_837p.cc / guide_837i.cc / guide_parties.cc.
namespace tables {
Qualifier q(std::size_t element, std::string_view values, std::size_t component = 0);
Node seg(std::string id, Usage usage, int maxUse, std::string_view spec = {}, Qualifier qual = {});
Node loop(const LoopDef& def, Usage usage, int maxUse);
LoopDef& addLoop(Guide& guide, std::string id, std::vector<Node> nodes);
constexpr Usage R = Usage::kRequired;
constexpr Usage S = Usage::kSituational;

// Shared loops (header, parties, HL levels); `claim` is the guide's 2300 loop.
void addHeaderAndParties(Guide& guide, const LoopDef& claim);
const LoopDef& addClaim837P(Guide& guide);
const LoopDef& addClaim837I(Guide& guide);
const LoopDef& addOtherSubscriber(Guide& guide);
}  // namespace tables

}  // namespace fhir837::validation
