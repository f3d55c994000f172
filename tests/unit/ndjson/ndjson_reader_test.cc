#include "ndjson/ndjson_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace fhir837 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Hands out 1..7 bytes per read (cycling) so every line boundary meets a chunk boundary somewhere,
// and optionally fails once `failAfter` bytes were delivered.
class TrickleStream : public ByteStream {
 public:
  TrickleStream(std::string bytes, std::optional<std::size_t> failAfter = std::nullopt,
                std::size_t offset = 0)
      : bytes_(std::move(bytes)), failAfter_(failAfter), step_(offset) {}

  Result<std::size_t> read(char* buffer, std::size_t size) override {
    ++reads_;
    std::size_t limit = failAfter_.value_or(bytes_.size());
    if (pos_ >= limit && failAfter_) {
      return makeError(ErrorCode::kSyntax, "corrupt gzip data", "x.ndjson.gz");
    }
    std::size_t n = std::min({size, 1 + step_++ % 7, limit - pos_});
    bytes_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }
  int reads() const { return reads_; }

 private:
  std::string bytes_;
  std::optional<std::size_t> failAfter_;
  std::size_t step_ = 0;
  std::size_t pos_ = 0;
  int reads_ = 0;
};

// "N:text" per line, "!code|where|message" per error, until the reader is done.
std::vector<std::string> collect(NdjsonReader& reader) {
  std::vector<std::string> out;
  for (int guard = 0; !reader.done() && guard < 10000; ++guard) {
    auto line = reader.next();
    if (!line) {
      const Error& e = line.error();
      out.push_back(std::string("!") + toString(e.code) + "|" + e.where + "|" + e.message);
      continue;
    }
    if (!*line) break;
    out.push_back(std::to_string((*line)->lineNumber) + ":" + std::string((*line)->text));
  }
  EXPECT_TRUE(reader.done());
  return out;
}

std::vector<std::string> split(const std::string& bytes, NdjsonLimits limits = {},
                               std::size_t offset = 0) {
  TrickleStream stream(bytes, std::nullopt, offset);
  NdjsonReader reader(stream, "x.ndjson", limits);
  return collect(reader);
}

struct SplitCase {
  const char* name;
  std::string input;
  std::vector<std::string> lines;
};

TEST(NdjsonReader, SplitsLinesWhateverTheChunking) {
  const std::vector<SplitCase> cases = {
      {"empty", "", {}},
      {"one line with newline", "{\"a\":1}\n", {"1:{\"a\":1}"}},
      {"final line without newline", "{}\n{\"b\":2}", {"1:{}", "2:{\"b\":2}"}},
      {"crlf", "{\"a\":1}\r\n{\"b\":2}\r\n", {"1:{\"a\":1}", "2:{\"b\":2}"}},
      {"crlf final without newline", "{}\r\n{}\r", {"1:{}", "2:{}"}},
      {"blank lines skipped, numbers kept",
       "\n\n{\"a\":1}\n  \t\r\n\r\n{\"b\":2}\n\n",
       {"3:{\"a\":1}", "6:{\"b\":2}"}},
      {"only blank lines", "\n \n\r\n\t", {}},
      {"inner CR kept", "{\"a\":\"x\ry\"}\n", {"1:{\"a\":\"x\ry\"}"}},
      {"leading spaces kept", "  {}\n", {"1:  {}"}},
  };
  for (const auto& c : cases) {
    // Every phase of the 1..7 cycle, plus whole 64 KiB chunks.
    for (std::size_t offset = 0; offset < 7; ++offset) {
      EXPECT_EQ(split(c.input, {}, offset), c.lines) << c.name << " offset " << offset;
    }
    MemoryByteStream whole(c.input);
    NdjsonReader reader(whole, "x.ndjson");
    EXPECT_EQ(collect(reader), c.lines) << c.name << " in one chunk";
  }
}

// "offset:text" per line: what the loader reads back from a regular file in the second pass.
std::vector<std::string> offsets(const std::string& bytes, NdjsonLimits limits, std::size_t phase) {
  TrickleStream stream(bytes, std::nullopt, phase);
  NdjsonReader reader(stream, "x.ndjson", limits);
  std::vector<std::string> out;
  while (!reader.done()) {
    auto line = reader.next();
    if (!line) continue;
    if (!*line) break;
    out.push_back(std::to_string((*line)->offset) + ":" + std::string((*line)->text));
  }
  EXPECT_EQ(reader.bytesRead(), bytes.size());
  return out;
}

TEST(NdjsonReader, EachLineKnowsItsByteOffsetInTheStream) {
  NdjsonLimits limits;
  limits.maxLineBytes = 12;
  const std::string input =
      "\n{\"a\":1}\r\n  \n{\"long\":\"xxxx\"}\n\t{}\n{\"b\":\"" + std::string(3, 'y') + "\"}";
  for (std::size_t chunk : {1u, 2u, 5u, 64u}) {
    limits.chunkBytes = chunk;
    for (std::size_t phase = 0; phase < 7; ++phase) {
      EXPECT_THAT(offsets(input, limits, phase),
                  ElementsAre("1:{\"a\":1}", "29:\t{}", "33:{\"b\":\"yyy\"}"))
          << "chunk " << chunk << " phase " << phase;
    }
  }
}

TEST(NdjsonReader, LineSpanningManySmallChunksIsReassembled) {
  std::string big(5000, 'x');
  std::string input = "{\"a\":\"" + big + "\"}\n{}\n";
  NdjsonLimits limits;
  limits.chunkBytes = 3;
  EXPECT_THAT(split(input, limits), ElementsAre("1:{\"a\":\"" + big + "\"}", "2:{}"));
}

TEST(NdjsonReader, TooLongLineIsAnErrorForThatLineOnly) {
  NdjsonLimits limits;
  limits.maxLineBytes = 8;
  limits.chunkBytes = 4;
  const std::string tooLong =
      "!limit-exceeded|x.ndjson: line 2|NDJSON line longer than 8 bytes; line skipped";
  // Line 1 is exactly 8 bytes (allowed); line 2 has 9; line 3 continues normally.
  EXPECT_THAT(split("{\"a\":12}\n{\"a\":123}\n{}\n", limits),
              ElementsAre("1:{\"a\":12}", tooLong, "3:{}"));
  // A CR counts toward the limit: "{\"a\":12}\r" is 9 bytes.
  EXPECT_THAT(split("{}\n{\"a\":12}\r\n{}", limits), ElementsAre("1:{}", tooLong, "3:{}"));
  // A too-long last line without newline is still reported, then the input ends.
  EXPECT_THAT(split("{}\n{\"a\":\"long-long\"}", limits), ElementsAre("1:{}", tooLong));
  // Much longer than a chunk and the limit: skipped without being held in memory.
  EXPECT_THAT(split("{}\n" + std::string(100000, 'y') + "\n{\"z\":1}\n", limits),
              ElementsAre("1:{}", tooLong, "3:{\"z\":1}"));
}

TEST(NdjsonReader, StreamErrorEndsTheFileWithThatError) {
  // Fails after 10 bytes: line 1 (8 bytes + LF) arrives, the partial line 2 is dropped.
  TrickleStream stream("{\"a\":12}\n{\"b\":3}\n{}\n", 10);
  NdjsonReader reader(stream, "x.ndjson.gz");
  EXPECT_THAT(collect(reader),
              ElementsAre("1:{\"a\":12}", "!syntax|x.ndjson.gz|corrupt gzip data"));
  // Done: no more reads, no repeated error.
  int reads = stream.reads();
  auto after = reader.next();
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->has_value());
  EXPECT_EQ(stream.reads(), reads);
}

TEST(NdjsonReader, ErrorBeforeAnyByte) {
  TrickleStream stream("{}\n", 0);
  NdjsonReader reader(stream, "x.ndjson.gz");
  EXPECT_THAT(collect(reader), ElementsAre("!syntax|x.ndjson.gz|corrupt gzip data"));
}

TEST(NdjsonReader, ViewPointsIntoReaderUntilNextCall) {
  MemoryByteStream stream("{\"first\":1}\n{\"second\":2}\n");
  NdjsonReader reader(stream, "x.ndjson");
  auto first = reader.next();
  ASSERT_TRUE(first && *first);
  std::string copy((*first)->text);
  auto second = reader.next();
  ASSERT_TRUE(second && *second);
  EXPECT_EQ(copy, "{\"first\":1}");
  EXPECT_EQ((*second)->text, "{\"second\":2}");
  EXPECT_EQ(reader.source(), "x.ndjson");
}

}  // namespace
}  // namespace fhir837
