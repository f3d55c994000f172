#include "rules/sc_infusion_chain.h"

#include <algorithm>
#include <numeric>

#include "rule_ids.h"
#include "rules/admin_codes.h"
#include "rules/admin_lines.h"
#include "rules/rule_outcome.h"

namespace fhir837 {

void applyScInfusionChain(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings,
                          const CodingPolicy& policy) {
  std::vector<std::size_t> chain;
  for (std::size_t i = 0; i < codings.size(); ++i) {
    if (codings[i].kind == OutcomeKind::kBilled && codings[i].admin.pump) {
      chain.push_back(i);
    }
  }
  if (chain.size() < 2) return;
  std::stable_sort(chain.begin(), chain.end(), [&](std::size_t a, std::size_t b) {
    return codings[a].admin.startEpoch < codings[b].admin.startEpoch;
  });
  const std::size_t first = chain.front();
  const AdministrationSummary& primary = codings[first].admin;
  std::int64_t totalSeconds = primary.endEpoch - primary.startEpoch;
  std::int64_t chainEnd = primary.endEpoch;
  std::vector<std::string> inputs = {events[first].eventRef + ".effectivePeriod"};
  bool has96371 = false;

  for (std::size_t k = 1; k < chain.size(); ++k) {
    const std::size_t i = chain[k];
    EventCoding& coding = codings[i];
    const AdministrationSummary& admin = coding.admin;
    const std::string path = events[i].eventRef + ".effectivePeriod";
    const bool sameSite =
        admin.siteKey.empty() || primary.siteKey.empty() || admin.siteKey == primary.siteKey;
    const bool sameDrug = admin.drugKey == primary.drugKey;
    // Sites placed at the initial set-up are all part of 96369 (R5): a pump started together
    // with the first one is not a further set-up.
    const bool atInitialSetUp = admin.startEpoch <= primary.startEpoch;
    if ((sameSite && sameDrug) || atInitialSetUp) {
      const std::int64_t gapSeconds = admin.startEpoch - chainEnd;
      if (gapSeconds > 15 * 60) {
        demote(coding, OutcomeKind::kNeedsReview, rule_id::kInfR7,
               "gap of " + std::to_string(gapSeconds / 60) +
                   " min after the previous "
                   "administration of the same infusion (over 15 min): restart or interruption?",
               path);
        continue;
      }
      // Actual infusing time: an overlap with the previous administration counts once.
      totalSeconds +=
          std::max<std::int64_t>(0, admin.endEpoch - std::max(admin.startEpoch, chainEnd));
      chainEnd = std::max(chainEnd, admin.endEpoch);
      inputs.push_back(path);
      replaceAdminLines(coding, {});
      noteOnDrugLines(coding, {rule_id::kInfR7,
                               {path},
                               "continues the infusion of " + events[first].eventRef +
                                   " (gap <= 15 min): time added to it"});
      continue;
    }
    // A set-up at another site does not extend the first site's infusion (its gap check).
    if (!has96371) {
      has96371 = true;
      replaceAdminLines(
          coding,
          {makeAdminLine(events[i], admin, "96371", 1,
                         {rule_id::kInfD2,
                          {path, events[i].eventRef + ".dosage.site"},
                          std::string("second pump set-up with ") +
                              (sameDrug ? "a new site" : "another drug") + " -> 96371 x1"})});
    } else {
      replaceAdminLines(coding, {});
      noteOnDrugLines(coding, {rule_id::kInfD2, {path}, "96371 is reported once per encounter"});
    }
  }
  AdminCodes codes = scInfusionCodes(totalSeconds / 60, policy.addOn);
  replaceAdminLines(codings[first], adminLinesFor(events[first], primary, codes,
                                                  {rule_id::kInfR7, inputs,
                                                   "total infusing time " + codes.detail}));
}

}  // namespace fhir837
