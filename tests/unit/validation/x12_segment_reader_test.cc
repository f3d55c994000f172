#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/test_paths.h"
#include "x12/x12_segment_reader.h"

namespace fhir837 {
namespace {

using x12::X12Segment;
using x12::X12SegmentReader;

const std::string kIsa =
    "ISA*00*          *00*          *ZZ*SUB12345       *ZZ*RCV67890       *250312*1030*^*00501*"
    "000000101*0*T*:~";

struct ReadAll {
  std::vector<std::string> texts;
  std::vector<x12::X12Delimiters> delimiters;
  std::optional<Error> error;
};

ReadAll readAll(const std::string& bytes, std::size_t chunk = 64u << 10,
                std::size_t maxSegment = 64u << 10) {
  std::istringstream in(bytes);
  X12SegmentReader reader(in, {chunk, maxSegment});
  X12Segment segment;
  ReadAll all;
  while (true) {
    auto next = reader.next(segment);
    if (!next) {
      all.error = next.error();
      break;
    }
    if (!*next) break;
    all.texts.emplace_back(segment.text());
    all.delimiters.push_back(segment.delimiters());
  }
  return all;
}

TEST(X12SegmentReader, IsaIs106CharsAndGivesTheDelimiters) {
  ASSERT_EQ(kIsa.size(), 106u);
  auto all = readAll(kIsa + "GS*HC*A*B~");
  ASSERT_EQ(all.texts.size(), 2u);
  EXPECT_EQ(all.texts[0], kIsa.substr(0, 105));
  EXPECT_EQ(all.texts[1], "GS*HC*A*B");
  EXPECT_EQ(all.delimiters[1].element, '*');
  EXPECT_EQ(all.delimiters[1].repetition, '^');
  EXPECT_EQ(all.delimiters[1].component, ':');
  EXPECT_EQ(all.delimiters[1].segment, '~');
}

TEST(X12SegmentReader, ElementsAndComponentsAreAddressable) {
  std::istringstream in(kIsa + "SV1*HC:J1559:JZ*8500*UN*100***1:2~");
  X12SegmentReader reader(in);
  X12Segment segment;
  ASSERT_TRUE(*reader.next(segment));
  ASSERT_TRUE(*reader.next(segment));
  EXPECT_EQ(segment.id(), "SV1");
  EXPECT_EQ(segment.size(), 7u);
  EXPECT_EQ(segment.element(2), "8500");
  EXPECT_EQ(segment.element(5), "");
  EXPECT_EQ(segment.element(99), "");
  EXPECT_EQ(segment.component(1, 2), "J1559");
  EXPECT_EQ(segment.component(1, 3), "JZ");
  EXPECT_EQ(segment.component(1, 4), "");
  EXPECT_EQ(segment.componentCount(7), 2u);
  EXPECT_EQ(segment.offset(), 106u);
}

TEST(X12SegmentReader, TerminatorsWithAndWithoutLineBreaksReadTheSame) {
  const std::vector<std::string> expected = {kIsa.substr(0, 105), "GS*HC", "ST*837*0001",
                                             "SE*2*0001"};
  for (const std::string& gap : {"", "\n", "\r\n", "\r\n\r\n"}) {
    std::string bytes;
    for (const auto& text : expected) bytes += text + "~" + gap;
    EXPECT_EQ(readAll(bytes).texts, expected) << "gap size " << gap.size();
  }
}

// Segments split at every possible chunk boundary come out identical to one big read.
TEST(X12SegmentReader, SegmentsSplitAcrossChunksAreReassembled) {
  const std::string bytes =
      testing::readFile(testing::sourceDir() / "tests/fixtures/x12/valid/two_interchanges.x12");
  const auto whole = readAll(bytes);
  ASSERT_FALSE(whole.error);
  ASSERT_GT(whole.texts.size(), 70u);
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 7u, 13u, 105u, 106u, 107u}) {
    auto pieces = readAll(bytes, chunk);
    EXPECT_FALSE(pieces.error) << chunk;
    EXPECT_EQ(pieces.texts, whole.texts) << "chunk " << chunk;
  }
}

TEST(X12SegmentReader, EachInterchangeDeclaresItsOwnDelimiters) {
  std::string second = kIsa;
  second[3] = '|';
  for (char& c : second) c = c == '*' ? '|' : c;
  second[104] = '>';
  second[105] = '\n';
  auto all = readAll(kIsa + "IEA*1*000000101~\n" + second + "GS|HC|A>B\nIEA|1|000000101\n");
  ASSERT_EQ(all.texts.size(), 5u);
  EXPECT_EQ(all.texts[3], "GS|HC|A>B");
  EXPECT_EQ(all.delimiters[3].element, '|');
  EXPECT_EQ(all.delimiters[3].component, '>');
  EXPECT_EQ(all.delimiters[3].segment, '\n');
  EXPECT_EQ(all.texts[4], "IEA|1|000000101");
}

// A BOM is skipped so the ISA can still be read, but remembered for the validator (issue 9).
TEST(X12SegmentReader, ByteOrderMarkIsSkippedAndReported) {
  for (const bool bom : {false, true}) {
    std::istringstream in((bom ? "\xEF\xBB\xBF" : "") + kIsa + "GS*HC~");
    X12SegmentReader reader(in);
    X12Segment segment;
    auto next = reader.next(segment);
    ASSERT_TRUE(next) << next.error();
    ASSERT_TRUE(*next);
    EXPECT_EQ(segment.id(), "ISA");
    EXPECT_EQ(reader.sawByteOrderMark(), bom);
  }
}

// NUL and high-bit delimiters are read as declared: judging them is the validator's job.
TEST(X12SegmentReader, NulAndHighBitDelimitersAreReadAsDeclared) {
  std::string isa = kIsa;
  isa[isa.size() - 2] = '\0';
  isa.back() = '\x85';
  ReadAll all = readAll(isa + "GS*HC\x85");
  ASSERT_FALSE(all.error);
  ASSERT_EQ(all.texts.size(), 2u);
  EXPECT_EQ(all.delimiters[0].component, '\0');
  EXPECT_EQ(all.delimiters[0].segment, '\x85');
  EXPECT_EQ(all.texts[1], "GS*HC");
}

TEST(X12SegmentReader, InputWithoutIsaIsAnError) {
  for (const std::string& bytes : {std::string(), std::string("   \n"), std::string("GS*HC~"),
                                   std::string("{\"resourceType\":\"Bundle\"}")}) {
    auto all = readAll(bytes);
    ASSERT_TRUE(all.error) << bytes;
    EXPECT_EQ(all.error->code, ErrorCode::kSyntax);
    EXPECT_NE(all.error->message.find("no ISA header"), std::string::npos) << all.error->message;
  }
}

TEST(X12SegmentReader, TruncatedIsaIsAnError) {
  auto all = readAll(kIsa.substr(0, 60));
  ASSERT_TRUE(all.error);
  EXPECT_EQ(all.error->where, "byte 0");
  EXPECT_NE(all.error->message.find("ISA header malformed"), std::string::npos);
}

TEST(X12SegmentReader, OverlongSegmentStopsWithLimitError) {
  auto all = readAll(kIsa + "NTE*ADD*" + std::string(500, 'A') + "~", 64, 200);
  ASSERT_TRUE(all.error);
  EXPECT_EQ(all.error->code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(all.error->where, "byte 106");
  EXPECT_EQ(all.texts.size(), 1u);
}

TEST(X12SegmentReader, LastSegmentWithoutTerminatorIsFlagged) {
  std::istringstream in(kIsa + "IEA*1*000000101");
  X12SegmentReader reader(in);
  X12Segment segment;
  ASSERT_TRUE(*reader.next(segment));
  EXPECT_TRUE(segment.terminated());
  ASSERT_TRUE(*reader.next(segment));
  EXPECT_EQ(segment.text(), "IEA*1*000000101");
  EXPECT_FALSE(segment.terminated());
  EXPECT_FALSE(*reader.next(segment));
}

}  // namespace
}  // namespace fhir837
