#include "rules/event_timing.h"

#include "rule_ids.h"
#include "rules/infusion_duration.h"

namespace fhir837 {

namespace {

// False when effective[x] gives no full day, or a period whose end date is before its start
// (a reversed date range is not a date of service).
bool serviceDates(const EventFacts& facts, AdministrationSummary& admin, std::string& path) {
  const TimingChoice& effective = facts.administration->effective;
  if (effective.period && effective.period->start) {
    auto from = effective.period->start->localDateCcyymmdd();
    if (!from) return false;
    admin.dateFrom = admin.dateTo = *from;
    if (effective.period->end) {
      if (auto to = effective.period->end->localDateCcyymmdd()) admin.dateTo = *to;
    }
    path = facts.eventRef + ".effectivePeriod";
    return admin.dateFrom <= admin.dateTo;
  }
  if (effective.dateTime) {
    auto from = effective.dateTime->localDateCcyymmdd();
    if (!from) return false;
    admin.dateFrom = admin.dateTo = *from;
    path = facts.eventRef + ".effectiveDateTime";
    return true;
  }
  return false;
}

// Whole minutes of a full period of instants; -1 when there is none; -2 when end < start.
std::int64_t periodMinutes(const EventFacts& facts, AdministrationSummary& admin) {
  const auto& period = facts.administration->effective.period;
  if (!period || !period->start || !period->end || !period->start->isInstant() ||
      !period->end->isInstant()) {
    return -1;
  }
  auto minutes = wholeMinutesBetween(*period->start, *period->end);
  // Compare the instants themselves: an end a few seconds before the start truncates to 0 min.
  if (!minutes || *minutes < 0 || *period->end->epochSeconds() < *period->start->epochSeconds()) {
    return -2;
  }
  admin.startEpoch = *period->start->epochSeconds();
  admin.endEpoch = *period->end->epochSeconds();
  admin.minutes = *minutes;
  return *minutes;
}

}  // namespace

RuleVerdict timeEvent(const EventFacts& facts, const CodingPolicy& policy,
                      AdministrationSummary& admin, EventTiming& timing) {
  if (!serviceDates(facts, admin, timing.datePath)) {
    if (!admin.dateFrom.empty()) {
      return endWith(OutcomeKind::kRejected, rule_id::kInfD5,
                     "effectivePeriod.end is before its start", timing.datePath);
    }
    return endWith(OutcomeKind::kNeedsReview, rule_id::kInfD5,
                   "no full date of service in effective[x]", facts.eventRef + ".effective[x]");
  }
  timing.minutes = periodMinutes(facts, admin);
  timing.periodPath = facts.eventRef + ".effectivePeriod";
  if (timing.minutes == -2) {
    return endWith(OutcomeKind::kRejected, rule_id::kInfD5,
                   "effectivePeriod.end is before its start", timing.periodPath);
  }
  if (timing.minutes < 0) return std::nullopt;
  const Period& period = *facts.administration->effective.period;
  if (auto problem = implausiblePeriod(admin.startEpoch, *period.start->offsetMinutes,
                                       admin.endEpoch, policy.maxInfusionMinutes)) {
    return endWith(OutcomeKind::kNeedsReview, problem->rule, problem->reason, timing.periodPath);
  }
  return std::nullopt;
}

}  // namespace fhir837
