#include "engine/claim_builder.h"

#include <algorithm>
#include "rule_ids.h"

namespace fhir837 {

Result<Claim> buildClaim(const std::vector<const BilledEvent*>& events,
                         const std::map<std::string, std::int64_t>& feeCentsPerUnit,
                         const InstitutionalSettings& institutional) {
  Claim claim = events.front()->assembled.header;
  for (const BilledEvent* event : events) {
    // Events of one claim may cite different reasons: each brings its diagnoses into the list
    // and its pointers are re-based on the merged list.
    const auto& own = event->assembled.header.diagnoses;
    std::vector<int> pointers;
    for (int pointer : event->assembled.diagnosisPointers) {
      const std::string& code = own[static_cast<std::size_t>(pointer - 1)];
      auto it = std::find(claim.diagnoses.begin(), claim.diagnoses.end(), code);
      if (it == claim.diagnoses.end()) {
        if (claim.diagnoses.size() == 12) continue;
        claim.diagnoses.push_back(code);
        it = claim.diagnoses.end() - 1;
      }
      pointers.push_back(static_cast<int>(it - claim.diagnoses.begin()) + 1);
    }
    if (pointers.empty()) pointers.push_back(1);
    for (const CodedLine& coded : event->coding.lines) {
      auto fee = feeCentsPerUnit.find(coded.procedureCode);
      if (fee == feeCentsPerUnit.end()) {
        return makeError(ErrorCode::kRejected,
                         "no fee for " + coded.procedureCode + " in the [fees] schedule",
                         coded.sourceEventId, rule_id::kFee1);
      }
      ServiceLine line;
      line.procedureCode = coded.procedureCode;
      line.modifiers = coded.modifiers;
      line.units = coded.units;
      line.chargeCents = fee->second * coded.units;
      line.serviceDateFrom = coded.dateFrom;
      line.serviceDateTo = coded.dateTo;
      line.diagnosisPointers = pointers;
      line.drug = coded.drug;
      line.sourceEventId = coded.sourceEventId;
      line.trail = event->coding.trail;
      line.trail.insert(line.trail.end(), coded.trail.begin(), coded.trail.end());
      if (claim.form == ClaimForm::k837I) {
        auto custom = institutional.revenueCodes.find(coded.procedureCode);
        line.revenueCode = custom != institutional.revenueCodes.end()
                               ? custom->second
                               : (coded.administration ? institutional.administrationRevenueCode
                                                       : institutional.drugRevenueCode);
        line.trail.push_back({rule_id::kRevR19, {}, "revenue code " + line.revenueCode});
      }
      claim.lines.push_back(std::move(line));
    }
  }
  const std::size_t maxLines = claim.form == ClaimForm::k837I ? 999 : 50;  // x12 map §4
  if (claim.lines.size() > maxLines) {
    return makeError(ErrorCode::kRejected,
                     "claim would have more than " + std::to_string(maxLines) + " service lines",
                     claim.sourceEncounterId, rule_id::kClmLines);
  }
  return claim;
}

}  // namespace fhir837
