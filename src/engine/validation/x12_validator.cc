#include "engine/validation/x12_validator.h"

#include <cctype>

#include "engine/validation/value_checks.h"

namespace fhir837::validation {

namespace {

constexpr std::size_t kIsaLength = 106;
constexpr int kIsaWidths[] = {2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1};

const SegmentRule& gsRule() {
  static const SegmentRule rule = parseSegmentRule(
      "R ID 2 HC|R AN 2-15|R AN 2-15|R DT 8|R TM 4-8|R N0 1-9|R ID 1-2 X|R AN 1-12 @GUIDE");
  return rule;
}
const SegmentRule& geRule() {
  static const SegmentRule rule = parseSegmentRule("R N0 1-6|R N0 1-9");
  return rule;
}
const SegmentRule& ieaRule() {
  static const SegmentRule rule = parseSegmentRule("R N0 1-5|R N0 9");
  return rule;
}

struct NamedDelimiter {
  char value;
  const char* name;
  const char* element;  // the ISA element that defines it, "" for the positional ones
};

std::string hexByte(char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(c);
  return std::string("0x") + kHex[byte >> 4] + kHex[byte & 0xF];
}

// The problem with one delimiter on its own, or "".
std::string delimiterProblem(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte == 0) return "is NUL (0x00); delimiters must be ASCII characters that are not data";
  if (byte >= 0x80) {
    return "is byte " + hexByte(c) + ", outside ASCII; delimiters must be ASCII characters";
  }
  if (std::isalnum(byte) || c == ' ') {
    return std::string("'") + c +
           "' is a letter, digit or space; delimiters must not occur in data";
  }
  return {};
}

bool oneOf(std::string_view value, std::initializer_list<std::string_view> codes) {
  for (std::string_view code : codes) {
    if (code == value) return true;
  }
  return false;
}

bool validSegmentId(std::string_view id) {
  if (id.size() < 2 || id.size() > 3) return false;
  for (char c : id) {
    if (!std::isupper(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

X12Validator::X12Validator(FindingSink& sink)
    : reporter_(sink),
      loops_(reporter_, [this](const LoopDef& loop,
                               std::uint64_t segment) { rules_.onLoopClosed(loop, segment); }),
      rules_(reporter_) {}

void X12Validator::checkRule(const x12::X12Segment& segment, const SegmentRule& rule,
                             std::string_view loop) {
  checkElements(segment, rule, [&](const std::string& element, const std::string& message) {
    reporter_.error(number(), segment.id(), loop, element, message);
  });
}

bool X12Validator::syntax(const x12::X12Segment& segment) {
  const std::string_view text = segment.text();
  const std::string loop = inTransaction_ ? std::string(loops_.currentLoop()) : "ISA";
  if (!validSegmentId(segment.id())) {
    reporter_.error(number(), "", loop, "", "invalid segment id");
    return false;
  }
  if (!segment.terminated()) {
    reporter_.error(number(), segment.id(), loop, "", "segment has no terminator (end of input)");
  }
  if (segment.id() != "ISA" && text.back() == segment.delimiters().element) {
    reporter_.error(number(), segment.id(), loop, "", "trailing element separator");
  }
  if (segment.size() == 0 ||
      segment.text().find_first_not_of(
          std::string{segment.delimiters().element, segment.delimiters().component},
          segment.id().size()) == std::string_view::npos) {
    reporter_.error(number(), segment.id(), loop, "", "segment has no data elements");
    return false;
  }
  return true;
}

void X12Validator::segment(const x12::X12Segment& segment) {
  ++summary_.segments;
  if (segment.id() == "ISA") {
    isa(segment);
    return;
  }
  if (segment.text().empty()) {
    // Not counted: an extra terminator is one defect, not also a wrong SE01.
    reporter_.error(number() + 1, "", inTransaction_ ? loops_.currentLoop() : "ISA", "",
                    "empty segment (two terminators in a row)");
    return;
  }
  ++interchangeSegments_;
  if (inTransaction_) ++transactionSegments_;
  if (!syntax(segment)) return;
  const std::string_view id = segment.id();
  if (id == "GS") return gs(segment);
  if (id == "ST") return st(segment);
  if (id == "SE") return se(segment);
  if (id == "GE") return ge(segment);
  if (id == "IEA") return iea(segment);
  body(segment);
}

// ISA delimiters: each must be an ASCII non-alphanumeric character that is no other delimiter.
void X12Validator::checkDelimiters(const x12::X12Delimiters& d, std::uint64_t n) {
  const NamedDelimiter all[] = {{d.element, "element separator", ""},
                                {d.repetition, "repetition separator (ISA11)", "ISA11"},
                                {d.component, "component separator (ISA16)", "ISA16"},
                                {d.segment, "segment terminator", ""}};
  for (const auto& one : all) {
    if (std::string problem = delimiterProblem(one.value); !problem.empty()) {
      reporter_.error(n, "ISA", "ISA", one.element, std::string("ISA ") + one.name + " " + problem);
    }
  }
  for (std::size_t a = 0; a < 4; ++a) {
    for (std::size_t b = a + 1; b < 4; ++b) {
      if (all[a].value != all[b].value) continue;
      reporter_.error(n, "ISA", "ISA", *all[b].element ? all[b].element : all[a].element,
                      std::string("ISA ") + all[a].name + " and " + all[b].name +
                          " are the same character; delimiters (element, repetition ISA11, "
                          "component ISA16, terminator) must be four distinct characters");
    }
  }
}

void X12Validator::isa(const x12::X12Segment& segment) {
  if (inInterchange_) {
    if (inTransaction_) closeTransaction("ISA");
    reporter_.error(interchangeSegments_, "ISA", "ISA", "",
                    "new ISA before the IEA of the previous interchange");
  }
  inInterchange_ = true;
  inGroup_ = false;
  groups_ = 0;
  interchangeSegments_ = 1;
  ++summary_.interchanges;
  const std::uint64_t n = 1;
  const std::size_t length = segment.text().size() + 1;
  if (length != kIsaLength) {
    reporter_.error(n, "ISA", "ISA", "",
                    "ISA is " + std::to_string(length) + " characters, must be 106");
  }
  checkDelimiters(segment.delimiters(), n);
  for (std::size_t i = 1; i <= 16; ++i) {
    if (segment.element(i).size() != static_cast<std::size_t>(kIsaWidths[i - 1])) {
      reporter_.error(n, "ISA", "ISA", elementName("ISA", i),
                      "must be exactly " + std::to_string(kIsaWidths[i - 1]) + " characters");
    }
  }
  if (segment.size() > 16) reporter_.error(n, "ISA", "ISA", "", "more than 16 elements");
  auto code = [&](std::size_t i, std::initializer_list<std::string_view> codes) {
    if (!oneOf(segment.element(i), codes)) {
      reporter_.error(n, "ISA", "ISA", elementName("ISA", i), "code not in the standard's list");
    }
  };
  code(1, {"00", "03"});
  code(3, {"00", "01"});
  code(5, {"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"});
  code(7, {"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"});
  code(12, {"00501"});
  code(14, {"0", "1"});
  code(15, {"P", "T"});
  if (!isShortDate(segment.element(9)))
    reporter_.error(n, "ISA", "ISA", "ISA09", "not a valid YYMMDD date");
  if (segment.element(10).size() != 4 || !isTime(segment.element(10))) {
    reporter_.error(n, "ISA", "ISA", "ISA10", "not a valid HHMM time");
  }
  isa13_ = std::string(segment.element(13));
  if (!allDigits(isa13_)) reporter_.error(n, "ISA", "ISA", "ISA13", "must be 9 digits");
  if (!seenIsa13_.insert(isa13_).second) {
    reporter_.error(n, "ISA", "ISA", "ISA13",
                    "interchange control number is not unique in the file");
  }
}

void X12Validator::gs(const x12::X12Segment& segment) {
  if (!inInterchange_) reporter_.error(number(), "GS", "GS", "", "GS outside an interchange");
  if (inTransaction_) closeTransaction("GS");
  if (inGroup_)
    reporter_.error(number(), "GS", "GS", "", "new GS before the GE of the previous group");
  inGroup_ = true;
  ++groups_;
  transactionsInGroup_ = 0;
  checkRule(segment, gsRule(), "GS");
  gs06_ = std::string(segment.element(6));
  gs08_ = std::string(segment.element(8));
  if (!seenGs06_.insert(gs06_).second) {
    reporter_.error(number(), "GS", "GS", "GS06", "group control number is not unique in the file");
  }
}

void X12Validator::st(const x12::X12Segment& segment) {
  if (inTransaction_) closeTransaction("ST");
  if (!inGroup_) reporter_.error(number(), "ST", "ST", "", "ST outside a functional group");
  inTransaction_ = true;
  transactionSegments_ = 1;
  ++transactionsInGroup_;
  ++summary_.transactions;
  st02_ = std::string(segment.element(2));
  if (!seenSt02_.insert(st02_).second) {
    reporter_.error(1, "ST", "ST", "ST02",
                    "transaction set control number is not unique in the file");
  }
  std::string_view version =
      segment.element(3).empty() ? std::string_view(gs08_) : segment.element(3);
  if (!segment.element(3).empty() && segment.element(3) != gs08_) {
    reporter_.error(1, "ST", "ST", "ST03", "differs from GS08");
  }
  guide_ = findGuide(version);
  if (guide_ == nullptr) {
    reporter_.error(1, "ST", "ST", "ST03",
                    "implementation guide is not 005010X222A1 or 005010X223A2");
    return;
  }
  loops_.start(*guide_, 1);
  rules_.startTransaction(*guide_);
  checkRule(segment, *guide_->root().nodes.front().rule, "ST");
}

void X12Validator::se(const x12::X12Segment& segment) {
  if (!inTransaction_) {
    reporter_.error(number(), "SE", "ST", "", "SE without ST");
    return;
  }
  const std::uint64_t n = transactionSegments_;
  if (guide_ != nullptr) {
    if (const Node* node = loops_.place(segment, n); node && node->rule)
      checkRule(segment, *node->rule, "ST");
    loops_.finish(n);
  }
  if (segment.element(1) != std::to_string(n)) {
    reporter_.error(
        n, "SE", "ST", "SE01",
        "count is " + std::to_string(n) + ", SE01 says " + std::string(segment.element(1)));
  }
  if (segment.element(2) != st02_) reporter_.error(n, "SE", "ST", "SE02", "does not match ST02");
  inTransaction_ = false;
  summary_.claims = rules_.claims();
}

void X12Validator::closeTransaction(std::string_view why) {
  reporter_.error(transactionSegments_, std::string(why), "ST", "",
                  "transaction set not closed by SE");
  if (guide_ != nullptr) loops_.finish(transactionSegments_);
  inTransaction_ = false;
  summary_.claims = rules_.claims();
}

void X12Validator::ge(const x12::X12Segment& segment) {
  if (inTransaction_) closeTransaction("GE");
  if (!inGroup_) reporter_.error(number(), "GE", "GS", "", "GE without GS");
  checkRule(segment, geRule(), "GS");
  if (segment.element(1) != std::to_string(transactionsInGroup_)) {
    reporter_.error(number(), "GE", "GS", "GE01",
                    "group has " + std::to_string(transactionsInGroup_) +
                        " transaction sets, GE01 says " + std::string(segment.element(1)));
  }
  if (segment.element(2) != gs06_)
    reporter_.error(number(), "GE", "GS", "GE02", "does not match GS06");
  inGroup_ = false;
}

void X12Validator::iea(const x12::X12Segment& segment) {
  if (inTransaction_) closeTransaction("IEA");
  if (inGroup_) reporter_.error(number(), "IEA", "ISA", "", "functional group not closed by GE");
  if (!inInterchange_) reporter_.error(number(), "IEA", "ISA", "", "IEA without ISA");
  checkRule(segment, ieaRule(), "ISA");
  if (segment.element(1) != std::to_string(groups_)) {
    reporter_.error(number(), "IEA", "ISA", "IEA01",
                    "interchange has " + std::to_string(groups_) + " groups, IEA01 says " +
                        std::string(segment.element(1)));
  }
  if (segment.element(2) != isa13_)
    reporter_.error(number(), "IEA", "ISA", "IEA02", "does not match ISA13");
  inInterchange_ = false;
  inGroup_ = false;
}

void X12Validator::body(const x12::X12Segment& segment) {
  if (!inTransaction_) {
    reporter_.error(number(), segment.id(), "ISA", "", "segment outside a transaction set");
    return;
  }
  if (guide_ == nullptr) return;
  const Node* node = loops_.place(segment, transactionSegments_);
  if (node == nullptr) return;
  const LoopDef& loop = loops_.current();
  if (node->rule) checkRule(segment, *node->rule, loop.id);
  rules_.onSegment(segment, transactionSegments_, loop);
}

void X12Validator::finish() {
  if (inTransaction_) closeTransaction("SE");
  if (inGroup_)
    reporter_.error(interchangeSegments_, "GE", "GS", "", "functional group not closed by GE");
  if (inInterchange_)
    reporter_.error(interchangeSegments_, "IEA", "ISA", "", "interchange not closed by IEA");
  inGroup_ = inInterchange_ = false;
}

Result<ValidationSummary> validateStream(std::istream& in, FindingSink& sink,
                                         const ValidateStreamOptions& options) {
  x12::X12SegmentReader reader(in, options.reader);
  X12Validator validator(sink);
  x12::X12Segment segment;
  bool bomReported = false;
  while (true) {
    auto next = reader.next(segment);
    if (reader.sawByteOrderMark() && !bomReported) {
      bomReported = true;
      sink.add(Finding{Severity::kError, 1, "ISA", "ISA", "",
                       "input starts with a UTF-8 byte order mark (EF BB BF); an interchange "
                       "must start with ISA"});
    }
    if (!next) {
      if (!reader.sawInterchange()) return next.error();
      sink.add(Finding{Severity::kError, validator.summary().segments + 1, "", "ISA", "",
                       next.error().message + " at " + next.error().where});
      break;
    }
    if (!*next) break;
    validator.segment(segment);
  }
  validator.finish();
  return validator.summary();
}

}  // namespace fhir837::validation
