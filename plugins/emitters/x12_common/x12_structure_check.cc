#include "emitters/x12_common/x12_structure_check.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"

namespace fhir837::x12 {

namespace {

constexpr std::size_t kIsaLength = 106;

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

struct Hl {
  std::string id, parent, level, childCode;
};

class Checker {
 public:
  Checker(char element, char component) : element_(element), component_(component) {}

  Status segment(std::string_view text, const std::string& isa13) {
    ++index_;
    if (text.empty()) return fail("segment", "empty segment");
    fields_ = split(text, element_);
    const std::string_view id = fields_[0];
    if (text.back() == element_) return fail(std::string(id), "trailing element separator");
    if (fields_.size() < 2) return fail(std::string(id), "segment without elements");
    for (std::string_view field : fields_) {
      if (!field.empty() && field.back() == component_ && id != "ISA") {
        return fail(std::string(id), "trailing empty component");
      }
    }
    if (inTransaction_) ++transactionSegments_;
    if (id == "ISA") return index_ == 1 ? Status::ok() : fail("ISA", "second ISA");
    if (id == "GS") {
      ++groups_;
      transactionsInGroup_ = 0;
      gs06_ = field(6);
      return Status::ok();
    }
    if (id == "ST") {
      inTransaction_ = true;
      transactionSegments_ = 1;
      ++transactionsInGroup_;
      st02_ = field(2);
      hls_.clear();
      return Status::ok();
    }
    if (id == "SE") return endTransaction();
    if (id == "GE") {
      if (field(1) != std::to_string(transactionsInGroup_)) return fail("GE01", "wrong ST count");
      if (field(2) != gs06_) return fail("GE02", "does not match GS06");
      return Status::ok();
    }
    if (id == "IEA") {
      sawIea_ = true;
      if (field(1) != std::to_string(groups_)) return fail("IEA01", "wrong GS count");
      if (field(2) != isa13) return fail("IEA02", "does not match ISA13");
      return Status::ok();
    }
    if (id == "HL") return hl();
    if (id == "CLM") return claim();
    if (id == "LX") {
      if (!clm02_) return fail("LX01", "LX outside a claim");
      if (field(1) != std::to_string(++lastLx_)) return fail("LX01", "out of sequence");
      return Status::ok();
    }
    if (id == "SV1") return addCharge(2, "SV102");
    if (id == "SV2") return addCharge(3, "SV203");
    return Status::ok();
  }

  Status finish() {
    if (inTransaction_) return fail("SE", "transaction set not closed");
    if (!sawIea_) return fail("IEA", "missing IEA");
    return Status::ok();
  }

 private:
  std::string field(std::size_t i) const {
    return i < fields_.size() ? std::string(fields_[i]) : std::string();
  }

  Error fail(std::string where, std::string_view problem) const {
    return makeError(ErrorCode::kSyntax,
                     "segment " + std::to_string(index_) + ": " + std::string(problem),
                     std::move(where));
  }

  Status hl() {
    if (auto s = closeClaim(); !s) return s;
    Hl hl{field(1), field(2), field(3), field(4)};
    if (hl.id != std::to_string(hls_.size() + 1)) return fail("HL01", "out of sequence");
    const Hl* parent = nullptr;
    for (const Hl& earlier : hls_) {
      if (earlier.id == hl.parent) parent = &earlier;
    }
    if (!hl.parent.empty() && parent == nullptr) return fail("HL02", "names no earlier HL");
    std::string expectedParentLevel = hl.level == "22" ? "20" : hl.level == "23" ? "22" : "";
    if ((parent ? parent->level : std::string()) != expectedParentLevel) {
      return fail("HL02", "parent has the wrong level");
    }
    if (hl.childCode != "0" && hl.childCode != "1") return fail("HL04", "must be 0 or 1");
    hls_.push_back(std::move(hl));
    return Status::ok();
  }

  Status claim() {
    if (auto s = closeClaim(); !s) return s;
    clm02_ = parseMoneyCents(field(2));
    if (!clm02_) return fail("CLM02", "not an amount");
    lastLx_ = 0;
    lineTotal_ = 0;
    return Status::ok();
  }

  Status addCharge(std::size_t position, const char* where) {
    auto cents = parseMoneyCents(field(position));
    if (!cents) return fail(where, "not an amount");
    lineTotal_ += *cents;
    return Status::ok();
  }

  Status closeClaim() {
    if (!clm02_) return Status::ok();
    std::int64_t claimed = *clm02_;
    clm02_.reset();
    if (lastLx_ == 0) return fail("LX01", "claim without service lines");
    if (claimed != lineTotal_) return fail("CLM02", "differs from the sum of line charges");
    return Status::ok();
  }

  Status endTransaction() {
    if (auto s = closeClaim(); !s) return s;
    if (!inTransaction_) return fail("SE", "SE without ST");
    inTransaction_ = false;
    if (field(1) != std::to_string(transactionSegments_))
      return fail("SE01", "wrong segment count");
    if (field(2) != st02_) return fail("SE02", "does not match ST02");
    for (const Hl& hl : hls_) {
      bool hasChild = false;
      for (const Hl& other : hls_) hasChild |= other.parent == hl.id;
      if ((hl.childCode == "1") != hasChild) {
        return fail("HL04", "HL " + hl.id + " child code does not match its children");
      }
    }
    return Status::ok();
  }

  char element_, component_;
  std::vector<std::string_view> fields_;
  std::size_t index_ = 0;
  std::size_t groups_ = 0, transactionsInGroup_ = 0, transactionSegments_ = 0;
  bool inTransaction_ = false, sawIea_ = false;
  std::string gs06_, st02_;
  std::vector<Hl> hls_;
  std::optional<std::int64_t> clm02_;
  std::int64_t lineTotal_ = 0;
  int lastLx_ = 0;
};

}  // namespace

Status checkStructure(std::string_view text) {
  if (text.size() < kIsaLength || text.substr(0, 3) != "ISA") {
    return makeError(ErrorCode::kSyntax, "does not start with a 106-character ISA", "ISA");
  }
  const char element = text[3], component = text[104], terminator = text[105];
  std::vector<std::string_view> isa = split(text.substr(0, kIsaLength - 1), element);
  if (isa.size() != 17 || isa[16].size() != 1 || text.find(terminator) != kIsaLength - 1) {
    return makeError(ErrorCode::kSyntax, "ISA is not 106 characters with 16 elements", "ISA");
  }
  const std::string isa13(isa[13]);
  Checker checker(element, component);
  std::vector<std::string_view> segments = split(text, terminator);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string_view segment = segments[i];
    while (!segment.empty() && (segment.front() == '\n' || segment.front() == '\r')) {
      segment.remove_prefix(1);
    }
    if (i + 1 == segments.size() && segment.empty()) break;  // after the last terminator
    if (auto s = checker.segment(segment, isa13); !s) return s;
  }
  return checker.finish();
}

}  // namespace fhir837::x12
