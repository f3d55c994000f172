#include "engine/event_order.h"

#include <algorithm>
#include <numeric>

namespace fhir837 {

EventOrder orderEvents(const LoadedInputs& loaded) {
  EventOrder order;
  const auto count = static_cast<std::uint32_t>(loaded.events.size());
  order.events.resize(count);
  std::iota(order.events.begin(), order.events.end(), 0u);
  // The event index breaks ties: it is the input position (inputs are read in a fixed order).
  std::sort(order.events.begin(), order.events.end(), [&](std::uint32_t a, std::uint32_t b) {
    const EventRecord& x = loaded.events[a];
    const EventRecord& y = loaded.events[b];
    if (int c = loaded.key(x.group).compare(loaded.key(y.group)); c != 0) return c < 0;
    if (int c = loaded.key(x.id).compare(loaded.key(y.id)); c != 0) return c < 0;
    return a < b;
  });
  for (std::uint32_t i = 0; i < count;) {
    std::uint32_t j = i + 1;
    const std::string_view group = loaded.key(loaded.events[order.events[i]].group);
    while (j < count && loaded.key(loaded.events[order.events[j]].group) == group) ++j;
    order.groups.push_back({i, j});
    i = j;
  }

  std::vector<std::uint32_t> byId(order.events);
  std::stable_sort(byId.begin(), byId.end(), [&](std::uint32_t a, std::uint32_t b) {
    return loaded.key(loaded.events[a].id) < loaded.key(loaded.events[b].id);
  });
  order.duplicate.assign(count, false);
  order.firstCopy.resize(count);
  std::iota(order.firstCopy.begin(), order.firstCopy.end(), 0u);
  order.nextCopy.assign(count, EventOrder::kNoCopy);
  for (std::uint32_t i = 0; i < count;) {
    std::uint32_t j = i + 1;
    const std::string_view id = loaded.key(loaded.events[byId[i]].id);
    while (j < count && loaded.key(loaded.events[byId[j]].id) == id) ++j;
    if (!id.empty()) {
      // byId keeps processing order within an id (stable sort of the processing order).
      for (std::uint32_t k = i + 1; k < j; ++k) {
        order.duplicate[byId[k]] = true;
        order.firstCopy[byId[k]] = byId[i];
        order.nextCopy[byId[k - 1]] = byId[k];
      }
    }
    i = j;
  }
  return order;
}

}  // namespace fhir837
