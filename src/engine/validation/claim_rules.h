#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/validation/guide_tables.h"
#include "engine/validation/reporter.h"

namespace fhir837::validation {

// The cross-segment rules of x12-837-map.md that a loop table cannot express, several of which
// pyx12 misses: HL01 sequence / HL02 parent / HL04 against the children present, SBR02=18 iff no
// 2000C, CLM02 = sum of line charges, diagnosis pointers inside the HI list, ICD-10 shape and no
// ICD-9 qualifier after 2015-09-30, NPI check digits, 2010AA ZIP+4, LX sequence, REF*F8 for
// replacements/voids, DTP date formats, and the external code sets of src/engine/codesets/
// (N402 state/province, N404 country, CLM05-1/SV105 place of service). State is per transaction set
// / per claim only.
class ClaimRules {
 public:
  ClaimRules(Reporter& reporter) : reporter_(reporter) {}

  void startTransaction(const Guide& guide);
  void onSegment(const x12::X12Segment& segment, std::uint64_t number, const LoopDef& loop);
  void onLoopClosed(const LoopDef& loop, std::uint64_t number);

  std::uint64_t claims() const { return claims_; }

 private:
  struct Hl {
    std::string level;
    std::string id;
    std::string childCode;
    std::uint64_t segment = 0;
    bool hasChildren = false;
    std::string sbr02;  // 2000B only
    std::uint64_t sbrSegment = 0;
    bool subscriberN3 = false, subscriberN4 = false, subscriberDmg = false;
  };
  struct Icd9Use {
    std::uint64_t segment;
    std::string element;
  };
  struct Claim {
    std::uint64_t segment = 0;
    std::optional<std::int64_t> charge;
    std::int64_t lineTotal = 0;
    bool lineChargesValid = true;
    std::string frequency;
    bool hasF8 = false;
    std::size_t diagnoses = 0;
    std::vector<Icd9Use> icd9;  // bounded by the 12-code HI limits
    int lastDate = 0;           // latest service/statement date seen (YYYYMMDD)
    int nextLx = 1;
    bool lineHasDate = false;
    std::uint64_t lineSegment = 0;
  };

  void hl(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop);
  void clm(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop);
  void hi(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop);
  void serviceLine(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop);
  void dtp(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop);
  void nm1(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop);
  void n4(const x12::X12Segment& segment, std::uint64_t number, const std::string& loop);
  void checkPlaceOfService(std::string_view code, std::uint64_t number, std::string_view segmentId,
                           const std::string& loop, const std::string& element);
  void checkStateAndCountry(const x12::X12Segment& segment, std::uint64_t number,
                            const std::string& loop);
  void closeClaim(std::uint64_t number);
  void closeHl(std::uint64_t number);

  Reporter& reporter_;
  const Guide* guide_ = nullptr;
  std::vector<Hl> hls_;  // open HL levels: at most 2000A > 2000B > 2000C
  std::uint64_t hlCount_ = 0;
  Claim claim_;
  bool inClaim_ = false;
  std::uint64_t claims_ = 0;
};

}  // namespace fhir837::validation
