#include "engine/validation/loop_machine.h"

#include <algorithm>

namespace fhir837::validation {

namespace {

// Every node of every loop in the guide with this segment id (for explaining a misfit).
const Node* anyNodeWithId(const Guide& guide, std::string_view id) {
  for (const LoopDef& def : guide.loops) {
    for (const Node& node : def.nodes) {
      if (!node.isLoop() && node.segmentId == id) return &node;
    }
  }
  return nullptr;
}

}  // namespace

void LoopMachine::start(const Guide& guide, std::uint64_t) {
  guide_ = &guide;
  stack_.clear();
  skipped_ = 0;
  open(guide.root());
}

std::string_view LoopMachine::currentLoop() const {
  return stack_.empty() ? std::string_view("ST") : std::string_view(stack_.back().def->id);
}

void LoopMachine::open(const LoopDef& def) {
  Open entry{&def, 0, std::vector<int>(def.nodes.size(), 0)};
  entry.counts[0] = 1;
  stack_.push_back(std::move(entry));
}

const Node* LoopMachine::place(const x12::X12Segment& segment, std::uint64_t number) {
  if (stack_.empty()) return nullptr;
  // The trigger (node 0) never repeats inside its own instance: a second one starts a new loop.
  const std::uint32_t key = segmentKey(segment.id());
  std::size_t depth = stack_.size();
  std::size_t found = 0;
  bool hit = false;
  while (depth > 0 && !hit) {
    --depth;
    const Open& open = stack_[depth];
    for (std::size_t i = std::max<std::size_t>(open.pos, 1); i < open.def->nodes.size(); ++i) {
      if (open.def->nodes[i].accepts(segment, key)) {
        found = i;
        hit = true;
        break;
      }
    }
  }
  if (!hit) {
    if (skipped_++ == 0) reportUnexpected(segment, number);
    return nullptr;
  }
  reportSkipped(number, segment.id());
  while (stack_.size() > depth + 1) closeTop(number, segment.id());
  Open& open = stack_.back();
  reportMissing(open, open.pos + 1, found, number, segment.id());
  open.pos = found;
  const Node& node = open.def->nodes[found];
  int count = ++open.counts[found];
  if (node.maxUse > 0 && count > node.maxUse) {
    if (node.isLoop()) {
      reporter_.error(number, segment.id(), open.def->id, "",
                      "loop " + node.loop->id + " repeats " + std::to_string(count) +
                          " times, the guide allows " + std::to_string(node.maxUse));
    } else {
      reporter_.error(number, segment.id(), open.def->id, "",
                      "segment " + node.label() + " used " + std::to_string(count) +
                          " times, the guide allows " + std::to_string(node.maxUse));
    }
  }
  if (!node.isLoop()) return &node;
  this->open(*node.loop);
  return &node.loop->nodes.front();
}

void LoopMachine::reportSkipped(std::uint64_t number, std::string_view segmentId) {
  if (skipped_ > 1) {
    reporter_.error(number, segmentId, currentLoop(), "",
                    std::to_string(skipped_ - 1) +
                        " more segment(s) after the misplaced one were skipped until this one "
                        "fit the guide again");
  }
  skipped_ = 0;
}

void LoopMachine::finish(std::uint64_t segment) {
  reportSkipped(segment, "SE");
  while (!stack_.empty()) closeTop(segment, "SE");
}

void LoopMachine::closeTop(std::uint64_t segment, std::string_view segmentId) {
  const Open& top = stack_.back();
  reportMissing(top, top.pos + 1, top.def->nodes.size(), segment, segmentId);
  const LoopDef& def = *top.def;
  stack_.pop_back();
  if (onClose_) onClose_(def, segment);
}

void LoopMachine::reportMissing(const Open& open, std::size_t from, std::size_t to,
                                std::uint64_t segment, std::string_view segmentId) {
  for (std::size_t i = from; i < to; ++i) {
    const Node& node = open.def->nodes[i];
    if (node.usage != Usage::kRequired || open.counts[i] > 0) continue;
    reporter_.error(segment, segmentId, open.def->id, "",
                    (node.isLoop() ? "required " : "required segment ") + node.label() +
                        " is missing in loop " + open.def->id);
  }
}

void LoopMachine::reportUnexpected(const x12::X12Segment& segment, std::uint64_t number) const {
  const std::string_view id = segment.id();
  const std::string loop(currentLoop());
  const Node* known = anyNodeWithId(*guide_, id);
  if (known == nullptr) {
    reporter_.error(number, id, loop, "", "segment is not used in this transaction set");
    return;
  }
  // Fits an earlier position of an open loop: out of order.
  for (const Open& open : stack_) {
    for (std::size_t i = 1; i <= open.pos && i < open.def->nodes.size(); ++i) {
      if (!open.def->nodes[i].isLoop() && open.def->nodes[i].accepts(segment)) {
        reporter_.error(number, id, open.def->id, "",
                        "segment out of order in loop " + open.def->id);
        return;
      }
    }
  }
  if (known->qualifier.element != 0) {
    std::string element = elementName(id, known->qualifier.element, known->qualifier.component);
    reporter_.error(number, id, loop, element,
                    "code in " + element +
                        " is not valid at this point of the transaction (in "
                        "or after loop " +
                        loop + ")");
    return;
  }
  reporter_.error(number, id, loop, "", "segment not expected in or after loop " + loop);
}

}  // namespace fhir837::validation
