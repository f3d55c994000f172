#include "engine/validation/claim_rules.h"

#include "engine/codesets/code_tables.h"
#include "engine/validation/value_checks.h"

namespace fhir837::validation {

namespace {

constexpr int kIcd10Start = 20151001;
constexpr std::size_t kMaxDiagnoses = 12;
constexpr std::size_t kMaxPointers = 4;
constexpr std::size_t kMaxModifiers = 4;
constexpr std::size_t kRecommendedClm01 = 20;

bool isIcd9Qualifier(std::string_view q) {
  return q == "BK" || q == "BF" || q == "BJ" || q == "PR" || q == "BN";
}
bool isIcd10DiagnosisQualifier(std::string_view q) {
  return q == "ABK" || q == "ABF" || q == "ABJ" || q == "APR" || q == "ABN";
}

std::string cents(std::int64_t value) {
  std::string sign = value < 0 ? "-" : "";
  if (value < 0) value = -value;
  std::string fraction = std::to_string(value % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return sign + std::to_string(value / 100) + "." + fraction;
}

}  // namespace

void ClaimRules::startTransaction(const Guide& guide) {
  guide_ = &guide;
  hls_.clear();
  hlCount_ = 0;
  inClaim_ = false;
}

void ClaimRules::onSegment(const x12::X12Segment& segment, std::uint64_t number,
                           const LoopDef& loop) {
  const std::string_view id = segment.id();
  const std::string& where = loop.id;
  if (id == "HL") return hl(segment, number, where);
  if (id == "CLM") return clm(segment, number, where);
  if (id == "HI" && inClaim_) return hi(segment, number, where);
  if (id == "LX" || id == "SV1" || id == "SV2" || id == "LIN") {
    return serviceLine(segment, number, where);
  }
  if (id == "DTP") return dtp(segment, number, where);
  if (id == "NM1") return nm1(segment, number, where);
  if (id == "N4") return n4(segment, number, where);
  if (id == "REF") {
    if (where == "2300" && segment.element(1) == "F8") claim_.hasF8 = true;
    if (where == "2010AA" && segment.element(1) == "EI" &&
        (segment.element(2).size() != 9 || !allDigits(segment.element(2)))) {
      reporter_.error(number, id, where, "REF02", "EIN must be 9 digits without a hyphen");
    }
    return;
  }
  if (id == "SBR" && !hls_.empty() && hls_.back().level == "22") {
    hls_.back().sbr02 = std::string(segment.element(2));
    hls_.back().sbrSegment = number;
    return;
  }
  if (id == "DMG") {
    if (segment.element(1) == "D8" && !segment.element(2).empty() &&
        !isCalendarDate(segment.element(2))) {
      reporter_.error(number, id, where, "DMG02", "not a valid D8 (CCYYMMDD) date");
    }
    if (where == "2010BA" && !hls_.empty()) hls_.back().subscriberDmg = true;
    return;
  }
  if (id == "N3" && where == "2010BA" && !hls_.empty()) hls_.back().subscriberN3 = true;
}

void ClaimRules::hl(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop) {
  Hl entry{std::string(segment.element(3)), std::string(segment.element(1)),
           std::string(segment.element(4)), number};
  if (entry.id != std::to_string(++hlCount_)) {
    reporter_.error(number, "HL", loop, "HL01",
                    "out of sequence: expected " + std::to_string(hlCount_));
  }
  // The loop machine has already closed the HLs this one is not nested in.
  const std::string parentLevel = entry.level == "22" ? "20" : entry.level == "23" ? "22" : "";
  Hl* parent = hls_.empty() ? nullptr : &hls_.back();
  if (!parentLevel.empty()) {
    if (parent == nullptr || parent->level != parentLevel) {
      reporter_.error(number, "HL", loop, "HL02", "no enclosing HL of level " + parentLevel);
    } else {
      parent->hasChildren = true;
      if (segment.element(2) != parent->id) {
        reporter_.error(number, "HL", loop, "HL02",
                        "does not name the parent HL (expected " + parent->id + ")");
      }
    }
  }
  hls_.push_back(std::move(entry));
}

void ClaimRules::closeHl(std::uint64_t number) {
  if (hls_.empty()) return;
  const Hl& hl = hls_.back();
  const std::string loop = hl.level == "20" ? "2000A" : hl.level == "22" ? "2000B" : "2000C";
  if (hl.childCode == "1" && !hl.hasChildren) {
    reporter_.error(hl.segment, "HL", loop, "HL04", "is 1 but no child HL follows");
  } else if (hl.childCode == "0" && hl.hasChildren) {
    reporter_.error(hl.segment, "HL", loop, "HL04", "is 0 but a child HL follows");
  }
  if (hl.level == "22" && hl.sbrSegment != 0) {
    if (hl.sbr02 == "18" && hl.hasChildren) {
      reporter_.error(hl.sbrSegment, "SBR", loop, "SBR02",
                      "is 18 (self) but a 2000C patient loop follows");
    } else if (hl.sbr02.empty() && !hl.hasChildren) {
      reporter_.error(hl.sbrSegment, "SBR", loop, "SBR02",
                      "is empty but no 2000C patient loop follows (18 required when the "
                      "subscriber is the patient)");
    }
    if (hl.sbr02 == "18" && !(hl.subscriberN3 && hl.subscriberN4 && hl.subscriberDmg)) {
      reporter_.error(number, "NM1", "2010BA", "",
                      "N3, N4 and DMG are required in 2010BA when the subscriber is the patient");
    }
  }
  hls_.pop_back();
}

void ClaimRules::onLoopClosed(const LoopDef& loop, std::uint64_t number) {
  if (loop.id == "2000A" || loop.id == "2000B" || loop.id == "2000C") return closeHl(number);
  if (loop.id == "2300") return closeClaim(number);
  if (loop.id == "2400" && guide_->kind == GuideKind::k837I && !claim_.lineHasDate) {
    reporter_.warning(claim_.lineSegment, "LX", "2400", "",
                      "DTP*472 service date missing (required on outpatient lines, RFI 1435)");
  }
}

void ClaimRules::clm(const x12::X12Segment& segment, std::uint64_t number,
                     const std::string& loop) {
  claim_ = Claim{};
  inClaim_ = true;
  ++claims_;
  claim_.segment = number;
  claim_.charge = amountCents(segment.element(2));
  claim_.frequency = std::string(segment.component(5, 3));
  if (segment.element(1).size() > kRecommendedClm01) {
    reporter_.warning(number, "CLM", loop, "CLM01",
                      "longer than 20 characters (receivers keep 20; some reject longer)");
  }
  std::string_view code = segment.component(5, 1);
  if (guide_->kind == GuideKind::k837I) {
    if (code.size() == 2 && (code[0] < '1' || code[0] > '9' || code[1] < '1' || code[1] > '9')) {
      reporter_.error(number, "CLM", loop, "CLM05-1", "facility type code digits must be 1-9");
    }
  } else if (!code.empty() && (code.size() != 2 || !allDigits(code))) {
    reporter_.error(number, "CLM", loop, "CLM05-1", "place of service must be 2 digits");
  } else if (!code.empty()) {
    checkPlaceOfService(code, number, "CLM", loop, "CLM05-1");
  }
}

void ClaimRules::checkPlaceOfService(std::string_view code, std::uint64_t number,
                                     std::string_view segmentId, const std::string& loop,
                                     const std::string& element) {
  const codesets::CodeTable& table = codesets::placeOfServiceCodes();
  if (table.find(code) == nullptr) {
    reporter_.error(number, segmentId, loop, element,
                    "place of service '" + std::string(code) + "' is not in " + table.id() +
                        ", version " + table.version());
  }
}

void ClaimRules::hi(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop) {
  std::string_view first = segment.component(1, 1);
  const bool diagnosis =
      isIcd9Qualifier(first) || isIcd10DiagnosisQualifier(first) || first == "ABK" || first == "BK";
  if (!diagnosis) return;
  for (std::size_t i = 1; i <= segment.size(); ++i) {
    std::string_view qualifier = segment.component(i, 1);
    std::string_view code = segment.component(i, 2);
    if (qualifier.empty()) continue;
    const std::string element = elementName("HI", i, 1);
    if (isIcd9Qualifier(qualifier)) {
      claim_.icd9.push_back({number, element});
    } else if (isIcd10DiagnosisQualifier(qualifier) && !code.empty()) {
      if (code.find('.') != std::string_view::npos) {
        reporter_.error(number, "HI", loop, elementName("HI", i, 2),
                        "ICD-10-CM code must be sent without the decimal point");
      } else if (!isIcd10CmShape(code)) {
        reporter_.error(number, "HI", loop, elementName("HI", i, 2),
                        "not an ICD-10-CM code (letter, digit, 1-5 more; upper case)");
      }
    }
    // Pointers (SV107) index the principal HI segment of 837P: ABK/ABF in one list of 12.
    if (first == "ABK" || first == "BK") ++claim_.diagnoses;
  }
  if (guide_->kind == GuideKind::k837P && claim_.diagnoses > kMaxDiagnoses) {
    reporter_.error(number, "HI", loop, "HI13",
                    "more than 12 diagnosis codes (" + std::to_string(claim_.diagnoses) + ")");
  }
}

void ClaimRules::serviceLine(const x12::X12Segment& segment, std::uint64_t number,
                             const std::string& loop) {
  const std::string_view id = segment.id();
  if (id == "LX") {
    claim_.lineHasDate = false;
    claim_.lineSegment = number;
    if (segment.element(1) != std::to_string(claim_.nextLx)) {
      reporter_.error(number, "LX", loop, "LX01",
                      "out of sequence: expected " + std::to_string(claim_.nextLx));
    }
    ++claim_.nextLx;
    return;
  }
  if (id == "LIN") {
    if (segment.element(2) == "N4" &&
        (segment.element(3).size() != 11 || !allDigits(segment.element(3)))) {
      reporter_.error(number, "LIN", loop, "LIN03", "NDC must be 11 digits without hyphens");
    }
    return;
  }
  const bool professional = id == "SV1";
  const std::size_t procedure = professional ? 1 : 2;
  const std::size_t charge = professional ? 2 : 3;
  if (auto value = amountCents(segment.element(charge))) {
    claim_.lineTotal += *value;
  } else {
    claim_.lineChargesValid = false;
  }
  if (segment.componentCount(procedure) > 2 + kMaxModifiers + 1) {
    reporter_.error(number, id, loop, elementName(id, procedure),
                    "more than 4 procedure modifiers");
  }
  if (!professional) return;
  if (!segment.element(5).empty()) {
    checkPlaceOfService(segment.element(5), number, id, loop, "SV105");
  }
  const std::size_t pointers = segment.componentCount(7);
  if (pointers > kMaxPointers) {
    reporter_.error(number, id, loop, "SV107", "more than 4 diagnosis pointers");
  }
  for (std::size_t c = 1; c <= pointers; ++c) {
    std::string_view pointer = segment.component(7, c);
    if (pointer.empty() || !allDigits(pointer) || pointer.size() > 2) continue;  // type check
    std::size_t value = static_cast<std::size_t>(std::stoi(std::string(pointer)));
    if (value < 1 || value > claim_.diagnoses) {
      reporter_.error(number, id, loop, elementName(id, 7, c),
                      "diagnosis pointer " + std::to_string(value) + " is outside the HI list (" +
                          std::to_string(claim_.diagnoses) + " codes)");
    }
  }
}

void ClaimRules::dtp(const x12::X12Segment& segment, std::uint64_t number,
                     const std::string& loop) {
  std::string_view format = segment.element(2);
  std::string_view value = segment.element(3);
  if (format.empty() || value.empty()) return;  // the element rules report missing elements
  if (!isDateByFormat(format, value)) {
    reporter_.error(number, "DTP", loop, "DTP03",
                    "not a valid " + std::string(format) + " date/time for DTP02");
    return;
  }
  std::string_view qualifier = segment.element(1);
  if (format == "D8" || format == "RD8") {
    int last = dateKey(format == "D8" ? value : value.substr(9));
    if (inClaim_ && (qualifier == "472" || qualifier == "434")) {
      claim_.lastDate = std::max(claim_.lastDate, last);
    }
  }
  if (qualifier == "472") claim_.lineHasDate = true;
}

void ClaimRules::nm1(const x12::X12Segment& segment, std::uint64_t number,
                     const std::string& loop) {
  if (segment.element(8) == "XX" && !segment.element(9).empty() &&
      !isValidNpi(segment.element(9))) {
    reporter_.error(number, "NM1", loop, "NM109",
                    "NPI is not 10 digits with a valid check digit (Luhn, prefix 80840)");
  }
}

void ClaimRules::n4(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop) {
  if (loop == "2010BA" && !hls_.empty()) hls_.back().subscriberN4 = true;
  checkStateAndCountry(segment, number, loop);
  std::string_view zip = segment.element(3);
  if (zip.empty() || !segment.element(4).empty()) return;  // non-US postal codes vary
  if (loop == "2010AA") {
    if (zip.size() != 9 || !allDigits(zip)) {
      reporter_.error(number, "N4", loop, "N403", "billing provider ZIP code must be 9 digits");
    }
  } else if ((zip.size() != 5 && zip.size() != 9) || !allDigits(zip)) {
    reporter_.error(number, "N4", loop, "N403", "ZIP code must be 5 or 9 digits");
  }
}

// N402 from code source 22 (a US state or territory unless N404 names another country; a
// Canadian province with N404 CA; required for both), N404 from code source 5, never US (the TR3
// sends N404 only for addresses outside the United States).
void ClaimRules::checkStateAndCountry(const x12::X12Segment& segment, std::uint64_t number,
                                      const std::string& loop) {
  const std::string_view state = segment.element(2);
  const std::string_view country = segment.element(4);
  const codesets::CodeTable& states = codesets::stateProvinceCodes();
  const codesets::CodeTable& countries = codesets::countryCodes();
  if (!country.empty()) {
    if (countries.find(country) == nullptr) {
      reporter_.error(number, "N4", loop, "N404",
                      "country code '" + std::string(country) + "' is not in " + countries.id() +
                          ", version " + countries.version());
      return;
    }
    if (country == "US") {
      reporter_.error(number, "N4", loop, "N404",
                      "country code US must not be sent: N404 is only for addresses outside the "
                      "United States");
      return;
    }
  }
  const std::string_view expected = country.empty() ? std::string_view("US") : country;
  if (state.empty()) {
    if (expected == "US" || expected == "CA") {
      reporter_.error(
          number, "N4", loop, "N402",
          "state or province code is required for an address in " + std::string(expected));
    }
    return;
  }
  if (expected != "US" && expected != "CA") {
    reporter_.error(number, "N4", loop, "N402",
                    "state or province code is only sent for an address in the US or Canada "
                    "(N407 holds other countries' subdivisions)");
    return;
  }
  const codesets::CodeEntry* entry = states.find(state);
  if (entry == nullptr || entry->country != expected) {
    reporter_.error(number, "N4", loop, "N402",
                    "state code '" + std::string(state) + "' is not in " + states.id() +
                        ", version " + states.version() + ", for an address in " +
                        std::string(expected));
  }
}

void ClaimRules::closeClaim(std::uint64_t) {
  if (!inClaim_) return;
  inClaim_ = false;
  const std::string id = guide_->kind == GuideKind::k837P ? "SV102" : "SV203";
  if (claim_.charge && claim_.lineChargesValid && *claim_.charge != claim_.lineTotal) {
    reporter_.error(claim_.segment, "CLM", "2300", "CLM02",
                    "total " + cents(*claim_.charge) + " differs from the sum of " + id + " " +
                        cents(claim_.lineTotal));
  }
  if ((claim_.frequency == "7" || claim_.frequency == "8") && !claim_.hasF8) {
    reporter_.error(claim_.segment, "CLM", "2300", "CLM05-3",
                    "frequency " + claim_.frequency +
                        " (replacement/void) requires REF*F8 payer claim control number");
  }
  if (claim_.lastDate >= kIcd10Start) {
    for (const Icd9Use& use : claim_.icd9) {
      reporter_.error(use.segment, "HI", "2300", use.element,
                      "ICD-9 qualifier used for services after 2015-09-30 (use ABK/ABF)");
    }
  }
}

}  // namespace fhir837::validation
