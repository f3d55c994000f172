#include "rules/iv_sequencing.h"

#include <algorithm>
#include <set>

#include "rule_ids.h"
#include "rules/admin_lines.h"
#include "rules/infusion_duration.h"
#include "rules/rule_outcome.h"

namespace fhir837 {

namespace {

constexpr std::int64_t kContinuationGapSeconds = 15 * 60;

int hierarchyRank(AdminKind kind) {
  switch (kind) {
    case AdminKind::kChemoIvInfusion:
      return 0;
    case AdminKind::kIvInfusion:
      return 1;
    case AdminKind::kChemoIvPush:
      return 2;
    case AdminKind::kIvPush:
      return 3;
    default:
      return -1;
  }
}

bool isInfusion(AdminKind kind) {
  return kind == AdminKind::kIvInfusion || kind == AdminKind::kChemoIvInfusion;
}

// The billed IV/chemo events, the initial service first: the facility hierarchy decides, and
// within one rank the earliest start.
std::vector<std::size_t> ivEventsInHierarchyOrder(const std::vector<EventCoding>& codings) {
  std::vector<std::size_t> ivEvents;
  for (std::size_t i = 0; i < codings.size(); ++i) {
    if (codings[i].kind == OutcomeKind::kBilled && hierarchyRank(codings[i].admin.kind) >= 0) {
      ivEvents.push_back(i);
    }
  }
  std::stable_sort(ivEvents.begin(), ivEvents.end(), [&](std::size_t a, std::size_t b) {
    int ra = hierarchyRank(codings[a].admin.kind), rb = hierarchyRank(codings[b].admin.kind);
    if (ra != rb) return ra < rb;
    return codings[a].admin.startEpoch < codings[b].admin.startEpoch;
  });
  return ivEvents;
}

CodedLine subsequentLine(const EventFacts& facts, const AdministrationSummary& admin,
                         std::string code, std::int64_t units, std::string detail) {
  return makeAdminLine(facts, admin, std::move(code), units,
                       {rule_id::kIvR15, {facts.eventRef + ".effective[x]"}, std::move(detail)});
}

// What the later services of one encounter are coded against: the initial service and what the
// earlier ones already used up (the one concurrent code, the drugs already pushed, the time the
// initial infusion was continued by).
struct IvSequence {
  const std::vector<EventFacts>& events;
  const CodingPolicy& policy;
  std::size_t initial;
  const AdministrationSummary& first;
  bool concurrentUsed = false;
  std::int64_t addedSeconds = 0;
  std::int64_t continuedUntil = 0;
  std::set<std::string> pushedDrugs;
};

// A further bag of the initial drug continues the initial infusion (R7): its time is added, an
// overlap counted once. False when the gap is too long to call it one infusion (then demoted).
bool continueInitialInfusion(IvSequence& seq, std::size_t i, EventCoding& coding) {
  const AdministrationSummary& admin = coding.admin;
  if (admin.startEpoch - seq.continuedUntil > kContinuationGapSeconds) {
    demote(coding, OutcomeKind::kNeedsReview, rule_id::kIvR15,
           "same drug restarted more than 15 min after the previous infusion ended",
           seq.events[i].eventRef + ".effectivePeriod");
    return false;
  }
  seq.addedSeconds +=
      std::max<std::int64_t>(0, admin.endEpoch - std::max(admin.startEpoch, seq.continuedUntil));
  seq.continuedUntil = std::max(seq.continuedUntil, admin.endEpoch);
  return true;
}

bool overlapsInitialInfusion(const IvSequence& seq, const AdministrationSummary& admin) {
  return isInfusion(seq.first.kind) && isInfusion(admin.kind) &&
         admin.startEpoch < seq.first.endEpoch && seq.first.startEpoch < admin.endEpoch;
}

// Therapeutic infusion after the initial service: the same drug continues it, another drug is
// concurrent (96368, once) or sequential (96367 + 96366 for its further hours).
bool codeIvInfusion(IvSequence& seq, std::size_t i, EventCoding& coding,
                    std::vector<CodedLine>& lines) {
  const AdministrationSummary& admin = coding.admin;
  const EventFacts& facts = seq.events[i];
  const std::string& drug = admin.drugKey;
  if (drug == seq.first.drugKey && seq.first.kind == AdminKind::kIvInfusion) {
    return continueInitialInfusion(seq, i, coding);
  }
  if (overlapsInitialInfusion(seq, admin)) {
    if (!seq.concurrentUsed) {
      seq.concurrentUsed = true;
      lines.push_back(subsequentLine(facts, admin, "96368", 1,
                                     "concurrent infusion of " + drug + " -> 96368 x1"));
    }
    return true;
  }
  lines.push_back(subsequentLine(facts, admin, "96367", 1,
                                 "sequential infusion of a new drug (" + drug + ") -> 96367 x1"));
  // 96367 covers up to one hour; further hours of it are 96366 (same D1 threshold).
  InfusionUnits units = infusionUnitsForMinutes(admin.minutes, seq.policy.addOn);
  if (units.addOnHours > 0) {
    lines.push_back(subsequentLine(
        facts, admin, "96366", units.addOnHours,
        std::to_string(admin.minutes) + " min -> 96366 x" + std::to_string(units.addOnHours)));
  }
  return true;
}

// 96375 is per new drug; a further push of a drug already given is a repeat (96376), which is
// facility-only: on 837P the repeat push is not separately reported.
void codeIvPush(IvSequence& seq, std::size_t i, const AdministrationSummary& admin,
                std::vector<CodedLine>& lines) {
  const EventFacts& facts = seq.events[i];
  if (seq.pushedDrugs.insert(admin.drugKey).second) {
    lines.push_back(subsequentLine(facts, admin, "96375", 1,
                                   "push of a new drug (" + admin.drugKey + ") -> 96375 x1"));
  } else if (seq.policy.form == ClaimForm::k837I) {
    lines.push_back(subsequentLine(facts, admin, "96376", 1,
                                   "repeat push of the same drug -> 96376 x1 (facility)"));
  }
}

bool codeChemoInfusion(IvSequence& seq, std::size_t i, EventCoding& coding,
                       std::vector<CodedLine>& lines) {
  const AdministrationSummary& admin = coding.admin;
  if (admin.drugKey == seq.first.drugKey && seq.first.kind == AdminKind::kChemoIvInfusion) {
    return continueInitialInfusion(seq, i, coding);
  }
  if (overlapsInitialInfusion(seq, admin)) {
    demote(coding, OutcomeKind::kNeedsReview, rule_id::kIvR15,
           "concurrent chemotherapy infusions: no automatic code", seq.events[i].eventRef);
    return false;
  }
  lines.push_back(subsequentLine(seq.events[i], admin, "96417", 1,
                                 "sequential chemotherapy infusion -> 96417 x1"));
  return true;
}

// The subsequent code of one later service, unless it is demoted instead.
void codeSubsequent(IvSequence& seq, std::size_t i, EventCoding& coding) {
  const AdministrationSummary& admin = coding.admin;
  std::vector<CodedLine> lines;
  switch (admin.kind) {
    case AdminKind::kIvInfusion:
      if (!codeIvInfusion(seq, i, coding, lines)) return;
      break;
    case AdminKind::kIvPush:
      codeIvPush(seq, i, admin, lines);
      break;
    case AdminKind::kChemoIvInfusion:
      if (!codeChemoInfusion(seq, i, coding, lines)) return;
      break;
    case AdminKind::kChemoIvPush:
      lines.push_back(subsequentLine(seq.events[i], admin, "96411", 1,
                                     "additional chemotherapy push -> 96411 x1"));
      break;
    default:
      break;
  }
  if (lines.empty()) {
    noteOnDrugLines(coding, {rule_id::kIvR15,
                             {seq.events[i].eventRef + ".effective[x]"},
                             "administration included in " + seq.events[seq.initial].eventRef});
  }
  replaceAdminLines(coding, std::move(lines));
}

// The initial infusion continued by further bags of its drug is coded again on the total time.
void recodeContinuedInitial(const IvSequence& seq, EventCoding& initial) {
  const AdministrationSummary& first = seq.first;
  if (seq.addedSeconds <= 0 || !isInfusion(first.kind)) return;
  const bool chemo = first.kind == AdminKind::kChemoIvInfusion;
  const std::string initialCode = chemo ? "96413" : "96365";
  const std::string addOnCode = chemo ? "96415" : "96366";
  const std::int64_t totalMinutes = first.minutes + seq.addedSeconds / 60;
  const EventFacts& facts = seq.events[seq.initial];
  InfusionUnits units = infusionUnitsForMinutes(totalMinutes, seq.policy.addOn);
  std::vector<CodedLine> lines;
  lines.push_back(subsequentLine(facts, first, initialCode, 1,
                                 "same drug continued: " + std::to_string(totalMinutes) +
                                     " min in all -> " + initialCode + " x1"));
  if (units.addOnHours > 0) {
    lines.push_back(subsequentLine(facts, first, addOnCode, units.addOnHours,
                                   std::to_string(totalMinutes) + " min -> " + addOnCode + " x" +
                                       std::to_string(units.addOnHours)));
  }
  replaceAdminLines(initial, std::move(lines));
}

}  // namespace

void applyIvSequencing(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings,
                       const CodingPolicy& policy) {
  const std::vector<std::size_t> ivEvents = ivEventsInHierarchyOrder(codings);
  if (ivEvents.size() < 2) return;
  const std::size_t initial = ivEvents.front();
  const AdministrationSummary& first = codings[initial].admin;
  IvSequence seq{events, policy, initial, first};
  seq.continuedUntil = first.endEpoch;
  seq.pushedDrugs = {first.drugKey};
  for (std::size_t k = 1; k < ivEvents.size(); ++k) {
    codeSubsequent(seq, ivEvents[k], codings[ivEvents[k]]);
  }
  recodeContinuedInitial(seq, codings[initial]);
}

}  // namespace fhir837
