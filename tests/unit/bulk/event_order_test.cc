// The second pass's order: groups by encounter key, events by id, duplicates after the first.
#include "engine/event_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace fhir837 {
namespace {

MedicationAdministration administration(std::string id, std::string context) {
  MedicationAdministration ma;
  ma.id = std::move(id);
  ma.context.reference = std::move(context);
  return ma;
}

TEST(GroupKey, NamesTheEncounterHoweverTheReferenceIsWritten) {
  EXPECT_EQ(groupKeyOf(administration("m", "Encounter/e1")), "Encounter/e1");
  EXPECT_EQ(groupKeyOf(administration("m", "Encounter/e1/_history/4")), "Encounter/e1");
  EXPECT_EQ(groupKeyOf(administration("m", "https://ehr.example/fhir/Encounter/e1")),
            "Encounter/e1");
  EXPECT_EQ(groupKeyOf(administration("m", "urn:uuid:1234")), "urn:uuid:1234");
  EXPECT_EQ(groupKeyOf(administration("m", "Encounter?identifier=urn:v|9")),
            "Encounter?identifier=urn:v|9");
  EXPECT_EQ(groupKeyOf(administration("m7", "")), "~MedicationAdministration/m7")
      << "an event without an encounter is a group of its own";
}

LoadedInputs eventsOf(const std::vector<std::pair<std::string, std::string>>& idAndGroup) {
  LoadedInputs loaded;
  for (const auto& [id, group] : idAndGroup) {
    EventRecord event;
    event.id = {static_cast<std::uint32_t>(loaded.keys.size()),
                static_cast<std::uint32_t>(id.size())};
    loaded.keys += id;
    event.group = {static_cast<std::uint32_t>(loaded.keys.size()),
                   static_cast<std::uint32_t>(group.size())};
    loaded.keys += group;
    loaded.events.push_back(event);
  }
  return loaded;
}

TEST(EventOrder, GroupsByKeyThenEventsById) {
  LoadedInputs loaded = eventsOf(
      {{"m3", "Encounter/b"}, {"m1", "Encounter/a"}, {"m2", "Encounter/b"}, {"m0", "Encounter/a"}});
  EventOrder order = orderEvents(loaded);
  EXPECT_EQ(order.events, (std::vector<std::uint32_t>{3, 1, 2, 0}));
  ASSERT_EQ(order.groups.size(), 2u);
  EXPECT_EQ(order.groups[0].begin, 0u);
  EXPECT_EQ(order.groups[0].end, 2u);
  EXPECT_EQ(order.groups[1].end, 4u);
  EXPECT_EQ(order.duplicate, (std::vector<bool>{false, false, false, false}));
}

TEST(EventOrder, OnlyTheFirstCopyOfAnEventInProcessingOrderIsNotADuplicate) {
  // m1 twice in one group, and once more under another encounter that sorts first.
  LoadedInputs loaded = eventsOf(
      {{"m1", "Encounter/b"}, {"m1", "Encounter/b"}, {"m1", "Encounter/a"}, {"", "x"}, {"", "x"}});
  EventOrder order = orderEvents(loaded);
  EXPECT_EQ(order.duplicate, (std::vector<bool>{true, true, false, false, false}))
      << "events without an id are never duplicates of each other (EVT-ID rejects them)";
  // EVT-CONFLICT compares the copies: each knows the first, the chain links them in order.
  constexpr std::uint32_t kNone = EventOrder::kNoCopy;
  EXPECT_EQ(order.firstCopy, (std::vector<std::uint32_t>{2, 2, 2, 3, 4}));
  EXPECT_EQ(order.nextCopy, (std::vector<std::uint32_t>{1, kNone, 0, kNone, kNone}));
}

TEST(EventOrder, TheOrderDoesNotDependOnTheInputOrder) {
  std::vector<std::pair<std::string, std::string>> events;
  for (int i = 0; i < 300; ++i) {
    events.emplace_back("m" + std::to_string(i * 7919 % 1000),
                        "Encounter/e" + std::to_string(i % 37));
  }
  auto idsInOrder = [](const std::vector<std::pair<std::string, std::string>>& input) {
    LoadedInputs loaded = eventsOf(input);
    EventOrder order = orderEvents(loaded);
    std::vector<std::string> out;
    for (std::uint32_t e : order.events) {
      out.push_back(std::string(loaded.key(loaded.events[e].group)) + "|" +
                    std::string(loaded.key(loaded.events[e].id)));
    }
    return out;
  };
  const auto expected = idsInOrder(events);
  std::mt19937 random(3);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(events.begin(), events.end(), random);
    ASSERT_EQ(idsInOrder(events), expected) << "round " << round;
  }
}

}  // namespace
}  // namespace fhir837
