#pragma once

#include <string>

#include "core/result.h"
#include "engine/config/app_config.h"
#include "model/claim.h"
#include "model/resources.h"

namespace fhir837 {

struct MatchedPayer {
  const PayerProfile* profile = nullptr;
  Payer payer;      // NM103 / NM109
  std::string how;  // for the trail: "payer id 60054 (CARIN payerid)" / "name pattern 'aetna'"
};

// PAY-D12 (coding-rules D12): payer id from the payor Organization's identifier typed CARIN BB
// `payerid`, else from a configured identifier system; matched to a profile by id, else by a
// name pattern. No match, or a match without any payer id, is an error naming the payor.
Result<MatchedPayer> matchPayer(const Organization& payor, const std::string& path,
                                const AppConfig& config);

}  // namespace fhir837
