#include "encounter_coder.h"

#include <algorithm>
#include <map>
#include <set>

#include "coder.h"
#include "rule_ids.h"
#include "rules/iv_sequencing.h"
#include "rules/modifiers.h"
#include "rules/procedure_code_rule.h"
#include "rules/rule_outcome.h"
#include "rules/sc_infusion_chain.h"

namespace fhir837 {

namespace {

bool billed(const EventCoding& coding) { return coding.kind == OutcomeKind::kBilled; }

// INF-D8 (R14): an SC pump infusion with any IV service in one encounter has no published
// hierarchy (and no IV subsequent code is an add-on to 96369), so a person decides.
void applyMixedInfusionReview(const std::vector<EventFacts>& events,
                              std::vector<EventCoding>& codings) {
  auto isIv = [](AdminKind kind) {
    return kind == AdminKind::kIvInfusion || kind == AdminKind::kChemoIvInfusion ||
           kind == AdminKind::kIvPush || kind == AdminKind::kChemoIvPush;
  };
  bool sc = false, iv = false;
  for (const auto& c : codings) {
    if (!billed(c)) continue;
    sc = sc || c.admin.kind == AdminKind::kScInfusion;
    iv = iv || isIv(c.admin.kind);
  }
  if (!sc || !iv) return;
  for (std::size_t i = 0; i < codings.size(); ++i) {
    const AdminKind kind = codings[i].admin.kind;
    if (billed(codings[i]) &&
        (kind == AdminKind::kScInfusion || codings[i].admin.pump || isIv(kind))) {
      demote(codings[i], OutcomeKind::kNeedsReview, rule_id::kInfD8,
             "SC infusion and IV service in one encounter: which is initial is not published",
             events[i].eventRef);
    }
  }
}

// MUE-D11: units of one code on one date above the payer's MUE limit.
void applyMueLimits(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings,
                    const CodingPolicy& policy) {
  if (policy.mueUnits.empty()) return;
  std::map<std::pair<std::string, std::string>, std::int64_t> used;
  for (std::size_t i = 0; i < codings.size(); ++i) {
    if (!billed(codings[i])) continue;
    for (const auto& line : codings[i].lines) {
      auto limit = policy.mueUnits.find(line.procedureCode);
      if (limit == policy.mueUnits.end()) continue;
      std::int64_t& total = used[{line.procedureCode, line.dateFrom}];
      if (total + line.units > limit->second) {
        demote(codings[i], OutcomeKind::kNeedsReview, rule_id::kMueD11,
               line.procedureCode + " would reach " + std::to_string(total + line.units) +
                   " units on " + line.dateFrom + ", above the payer's MUE of " +
                   std::to_string(limit->second),
               events[i].eventRef);
        break;
      }
      total += line.units;
    }
  }
}

// NCCI-R16 (R16, §3 XE/XS/XP/XU/59): a column-2 code billed with its column-1 code on the same
// date is bundled (indicator 0: the column-2 event needs review) or takes a bypass modifier
// (indicator 1): XS when the two administrations used different sites, XP when different
// practitioners performed them, else XU; 59 for payers that take no X modifiers. XE needs a
// separate encounter, which never happens inside one claim.
void applyNcciEdits(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings,
                    const CodingPolicy& policy, const NcciTable* table) {
  if (!table || table->empty()) return;
  for (std::size_t a = 0; a < codings.size(); ++a) {
    for (std::size_t b = 0; b < codings.size(); ++b) {
      if (!billed(codings[a]) || !billed(codings[b])) continue;
      for (const auto& first : codings[a].lines) {
        for (auto& second : codings[b].lines) {
          if (&first == &second || first.dateFrom != second.dateFrom) continue;
          const NcciEdit* edit =
              table->find(first.procedureCode, second.procedureCode, first.dateFrom);
          if (!edit || edit->modifierIndicator == '9') continue;
          if (edit->modifierIndicator == '0') {
            demote(codings[b], OutcomeKind::kNeedsReview, rule_id::kNcciR16,
                   second.procedureCode + " is bundled into " + first.procedureCode + " on " +
                       first.dateFrom + " (PTP modifier indicator 0)",
                   events[b].eventRef);
            goto nextPair;
          }
          const bool otherSite = codings[a].admin.siteKey != codings[b].admin.siteKey &&
                                 !codings[b].admin.siteKey.empty();
          const bool otherPractitioner = !events[a].performerKey.empty() &&
                                         !events[b].performerKey.empty() &&
                                         events[a].performerKey != events[b].performerKey;
          const std::string modifier = !policy.xModifiers  ? "59"
                                       : otherSite         ? "XS"
                                       : otherPractitioner ? "XP"
                                                           : "XU";
          if (std::find(second.modifiers.begin(), second.modifiers.end(), modifier) ==
              second.modifiers.end()) {
            second.modifiers.push_back(modifier);
            orderModifiers(second.modifiers);
            second.trail.push_back({rule_id::kNcciR16,
                                    {events[b].eventRef},
                                    "PTP edit " + first.procedureCode + "/" + second.procedureCode +
                                        " (indicator 1) -> " + modifier});
          }
          if (second.modifiers.size() > 4) {
            demote(codings[b], OutcomeKind::kNeedsReview, rule_id::kMod4,
                   "more than 4 modifiers on " + second.procedureCode, events[b].eventRef);
            goto nextPair;
          }
        }
      }
    nextPair:;
    }
  }
}

// INF-R6: an add-on code needs one of its primaries on the same claim and date.
const std::map<std::string, std::set<std::string>>& addOnPrimaries() {
  static const std::map<std::string, std::set<std::string>> table = {
      {"96370", {"96369"}},
      {"96371", {"96369"}},
      {"96366", {"96365", "96367"}},
      {"96367", {"96365", "96374", "96409", "96413"}},
      {"96368", {"96365", "96413"}},
      {"96375", {"96365", "96374", "96409", "96413"}},
      {"96376", {"96365", "96374", "96409", "96413"}},
      {"96415", {"96413"}},
      {"96417", {"96413"}},
      {"96411", {"96409", "96413"}},
  };
  return table;
}

void applyAddOnGuard(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings) {
  bool changed = true;
  while (changed) {  // demoting a primary can orphan further add-ons
    changed = false;
    std::set<std::pair<std::string, std::string>> present;
    for (const auto& c : codings) {
      if (!billed(c)) continue;
      for (const auto& line : c.lines) present.insert({line.procedureCode, line.dateFrom});
    }
    for (std::size_t i = 0; i < codings.size() && !changed; ++i) {
      if (!billed(codings[i])) continue;
      for (const auto& line : codings[i].lines) {
        auto rule = addOnPrimaries().find(line.procedureCode);
        if (rule == addOnPrimaries().end()) continue;
        bool found = false;
        for (const auto& primary : rule->second)
          found = found || present.count({primary, line.dateFrom});
        if (!found) {
          demote(codings[i], OutcomeKind::kNeedsReview, rule_id::kInfR6,
                 "add-on " + line.procedureCode + " without its primary on the claim for " +
                     line.dateFrom,
                 events[i].eventRef);
          changed = true;
          break;
        }
      }
    }
  }
}

}  // namespace

std::vector<EventCoding> codeEncounter(const std::vector<EventFacts>& events,
                                       const CodingPolicy& policy, const CodingTables& tables) {
  std::vector<EventCoding> codings;
  codings.reserve(events.size());
  for (const auto& facts : events) codings.push_back(codeEvent(facts, policy, tables));
  applyMixedInfusionReview(events, codings);
  applyScInfusionChain(events, codings, policy);
  applyIvSequencing(events, codings, policy);
  for (std::size_t i = 0; i < codings.size(); ++i)
    applyModifierRules(events[i], policy, codings[i]);
  applyNcciEdits(events, codings, policy, tables.ncci);
  applyMueLimits(events, codings, policy);
  applyAddOnGuard(events, codings);
  for (std::size_t i = 0; i < codings.size(); ++i) rewriteForProcedure(events[i], codings[i]);
  return codings;
}

}  // namespace fhir837
