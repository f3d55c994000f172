#include "rules/iv_sequencing.h"

#include <algorithm>
#include <set>

#include "rules/admin_lines.h"
#include "rules/infusion_duration.h"
#include "rules/rule_outcome.h"

namespace fhir837 {

namespace {

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

CodedLine subsequentLine(const EventFacts& facts, const AdministrationSummary& admin,
                         std::string code, std::int64_t units, std::string detail) {
  return makeAdminLine(facts, admin, std::move(code), units,
                       {"IV-R15", {facts.eventRef + ".effective[x]"}, std::move(detail)});
}

}  // namespace

void applyIvSequencing(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings,
                       const CodingPolicy& policy) {
  std::vector<std::size_t> ivEvents;
  for (std::size_t i = 0; i < codings.size(); ++i) {
    if (codings[i].kind == OutcomeKind::kBilled && hierarchyRank(codings[i].admin.kind) >= 0) {
      ivEvents.push_back(i);
    }
  }
  if (ivEvents.size() < 2) return;
  std::stable_sort(ivEvents.begin(), ivEvents.end(), [&](std::size_t a, std::size_t b) {
    int ra = hierarchyRank(codings[a].admin.kind), rb = hierarchyRank(codings[b].admin.kind);
    if (ra != rb) return ra < rb;
    return codings[a].admin.startEpoch < codings[b].admin.startEpoch;
  });
  const std::size_t initial = ivEvents.front();
  AdministrationSummary& first = codings[initial].admin;
  bool concurrentUsed = false;
  std::int64_t addedSeconds = 0;
  std::int64_t continuedUntil = first.endEpoch;
  std::set<std::string> pushedDrugs = {first.drugKey};

  for (std::size_t k = 1; k < ivEvents.size(); ++k) {
    const std::size_t i = ivEvents[k];
    EventCoding& coding = codings[i];
    const AdministrationSummary& admin = coding.admin;
    const std::string& drug = admin.drugKey;
    const bool sameDrug = drug == first.drugKey;
    const bool overlaps = isInfusion(first.kind) && isInfusion(admin.kind) &&
                          admin.startEpoch < first.endEpoch && first.startEpoch < admin.endEpoch;
    std::vector<CodedLine> lines;
    switch (admin.kind) {
      case AdminKind::kIvInfusion: {
        if (sameDrug && first.kind == AdminKind::kIvInfusion) {
          if (admin.startEpoch - continuedUntil > 15 * 60) {
            demote(coding, OutcomeKind::kNeedsReview, "IV-R15",
                   "same drug restarted more than 15 min after the previous infusion ended",
                   events[i].eventRef + ".effectivePeriod");
            continue;
          }
          // Same drug: the initial infusion simply lasted longer (overlap counted once).
          addedSeconds += std::max<std::int64_t>(
              0, admin.endEpoch - std::max(admin.startEpoch, continuedUntil));
          continuedUntil = std::max(continuedUntil, admin.endEpoch);
          break;
        }
        if (overlaps) {
          if (!concurrentUsed) {
            concurrentUsed = true;
            lines.push_back(subsequentLine(events[i], admin, "96368", 1,
                                           "concurrent infusion of " + drug + " -> 96368 x1"));
          }
          break;
        }
        lines.push_back(
            subsequentLine(events[i], admin, "96367", 1,
                           "sequential infusion of a new drug (" + drug + ") -> 96367 x1"));
        // 96367 covers up to one hour; further hours of it are 96366 (same D1 threshold).
        InfusionUnits units = infusionUnitsForMinutes(admin.minutes, policy.addOn);
        if (units.addOnHours > 0) {
          lines.push_back(subsequentLine(events[i], admin, "96366", units.addOnHours,
                                         std::to_string(admin.minutes) + " min -> 96366 x" +
                                             std::to_string(units.addOnHours)));
        }
        break;
      }
      case AdminKind::kIvPush:
        // 96375 is per new drug; a further push of a drug already given is a repeat (96376).
        if (!pushedDrugs.insert(drug).second) {
          if (policy.form == ClaimForm::k837I) {
            lines.push_back(subsequentLine(events[i], admin, "96376", 1,
                                           "repeat push of the same drug -> 96376 x1 (facility)"));
          }
          // 96376 is facility-only: on 837P the repeat push is not separately reported.
        } else {
          lines.push_back(subsequentLine(events[i], admin, "96375", 1,
                                         "push of a new drug (" + drug + ") -> 96375 x1"));
        }
        break;
      case AdminKind::kChemoIvInfusion:
        if (sameDrug && first.kind == AdminKind::kChemoIvInfusion) {
          // A further bag of the same chemotherapy drug continues it (R7), as for IV therapy.
          if (admin.startEpoch - continuedUntil > 15 * 60) {
            demote(coding, OutcomeKind::kNeedsReview, "IV-R15",
                   "same drug restarted more than 15 min after the previous infusion ended",
                   events[i].eventRef + ".effectivePeriod");
            continue;
          }
          addedSeconds += std::max<std::int64_t>(
              0, admin.endEpoch - std::max(admin.startEpoch, continuedUntil));
          continuedUntil = std::max(continuedUntil, admin.endEpoch);
          break;
        }
        if (overlaps) {
          demote(coding, OutcomeKind::kNeedsReview, "IV-R15",
                 "concurrent chemotherapy infusions: no automatic code", events[i].eventRef);
          continue;
        }
        lines.push_back(subsequentLine(events[i], admin, "96417", 1,
                                       "sequential chemotherapy infusion -> 96417 x1"));
        break;
      case AdminKind::kChemoIvPush:
        lines.push_back(subsequentLine(events[i], admin, "96411", 1,
                                       "additional chemotherapy push -> 96411 x1"));
        break;
      default:
        break;
    }
    if (lines.empty()) {
      noteOnDrugLines(coding, {"IV-R15",
                               {events[i].eventRef + ".effective[x]"},
                               "administration included in " + events[initial].eventRef});
    }
    replaceAdminLines(coding, std::move(lines));
  }

  if (addedSeconds > 0 &&
      (first.kind == AdminKind::kIvInfusion || first.kind == AdminKind::kChemoIvInfusion)) {
    const bool chemo = first.kind == AdminKind::kChemoIvInfusion;
    const std::string initialCode = chemo ? "96413" : "96365";
    const std::string addOnCode = chemo ? "96415" : "96366";
    const std::int64_t totalMinutes = first.minutes + addedSeconds / 60;
    InfusionUnits units = infusionUnitsForMinutes(totalMinutes, policy.addOn);
    std::vector<CodedLine> lines;
    lines.push_back(subsequentLine(events[initial], first, initialCode, 1,
                                   "same drug continued: " + std::to_string(totalMinutes) +
                                       " min in all -> " + initialCode + " x1"));
    if (units.addOnHours > 0) {
      lines.push_back(subsequentLine(events[initial], first, addOnCode, units.addOnHours,
                                     std::to_string(totalMinutes) + " min -> " + addOnCode + " x" +
                                         std::to_string(units.addOnHours)));
    }
    replaceAdminLines(codings[initial], std::move(lines));
  }
}

}  // namespace fhir837
