#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "x12/x12_segment.h"

namespace fhir837::validation {

enum class Usage { kRequired, kSituational, kNotUsed };

// X12 data element types (map legend) plus kAmount: an R that must also be a HIPAA amount
// (at most 2 decimals, at most 10 digits) and kComposite for elements made of components.
enum class DataType { kAN, kID, kDT, kTM, kR, kN0, kAmount, kComposite };

struct ElementRule {
  Usage usage = Usage::kSituational;
  DataType type = DataType::kAN;
  int minLength = 1;
  int maxLength = 80;
  std::vector<std::string> codes;       // empty: any value of the right shape
  std::vector<ElementRule> components;  // kComposite only
};

// The element rules of one segment in one loop of one guide.
struct SegmentRule {
  std::vector<ElementRule> elements;  // elements[0] is element 01
};

// Parses the compact table notation used by the guide tables (guide_*.cc):
//   elements separated by '|'; each "U TYPE LEN [CODES]" where U is R/S/N, TYPE one of
//   AN ID DT TM R N0 $ ($ = amount), LEN "min-max" or "n", CODES comma-separated or "@name" (a
//   shared list, see codeList()); a composite is "U{comp;comp;...}" with components in the same
//   notation; a lone "N" is a not-used element.
// A malformed spec is a programming error and throws std::logic_error at table build time.
SegmentRule parseSegmentRule(std::string_view spec);

// Shared code lists from x12-837-map.md (SBR01, SBR09, PAT01, ...). Throws for an unknown name.
const std::vector<std::string>& codeList(std::string_view name);

// (element name like "CLM05-2", message)
using ElementReport = std::function<void(const std::string&, const std::string&)>;

// Usage (R missing / N present), too many elements or components, type, length and code list.
void checkElements(const x12::X12Segment& segment, const SegmentRule& rule,
                   const ElementReport& report);

// "CLM05" / "CLM05-2" names.
std::string elementName(std::string_view segmentId, std::size_t element, std::size_t component = 0);

}  // namespace fhir837::validation
