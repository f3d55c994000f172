#pragma once

#include <cstdint>
#include <vector>

#include "engine/input_loader.h"

namespace fhir837 {

// Events that share a group key (their Encounter) are coded together, since the encounter-level
// rules and the claim need all of them.
struct EventGroup {
  std::uint32_t begin = 0;  // range in EventOrder::events
  std::uint32_t end = 0;
};

// The order the second pass handles the events in: groups sorted by key, events within a group by
// id, then input position. It depends only on the events, never on the thread count, and on the
// order of the input files only through which copy of a duplicated event is billed: the first in
// this order (the copy whose encounter key sorts first, then the earlier input position).
struct EventOrder {
  std::vector<std::uint32_t> events;  // indices into LoadedInputs::events
  std::vector<EventGroup> groups;
  // By event index: an event with the same id comes earlier in this order (EVT-DUP).
  std::vector<bool> duplicate;
  // By event index: the first copy of its id in this order (itself when it is the first), and the
  // next copy after it (kNoCopy when none), so every copy can be compared with the others.
  static constexpr std::uint32_t kNoCopy = UINT32_MAX;
  std::vector<std::uint32_t> firstCopy;
  std::vector<std::uint32_t> nextCopy;
};

EventOrder orderEvents(const LoadedInputs& loaded);

}  // namespace fhir837
