#include "sources/archive/byte_streams.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "sources/archive/archive_reader.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

using ::testing::HasSubstr;

// Fails after delivering `bytes`.
class FailAfter : public ByteStream {
 public:
  explicit FailAfter(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<std::size_t> read(char* buffer, std::size_t size) override {
    if (pos_ == bytes_.size()) return makeError(ErrorCode::kIo, "disk gone", "f");
    std::size_t n = std::min(size, bytes_.size() - pos_);
    bytes_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

TEST(FileByteStream, MissingFileFailsOnFirstReadNamingIt) {
  testing::TempDir dir;
  FileByteStream stream(dir.path() / "gone.json", "gone.json");
  char buffer[8];
  auto got = stream.read(buffer, sizeof buffer);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kIo);
  EXPECT_EQ(got.error().where, "gone.json");
  EXPECT_THAT(got.error().message, HasSubstr("cannot open: No such file or directory"));
}

TEST(FileByteStream, DirectoryFailsOnReadWithIo) {
  testing::TempDir dir;
  FileByteStream stream(dir.path(), "dir");
  char buffer[8];
  auto got = stream.read(buffer, sizeof buffer);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kIo);
  EXPECT_EQ(got.error().where, "dir");
  EXPECT_THAT(got.error().message, HasSubstr("read failed: Is a directory"));
}

TEST(PeekableStream, PeekThenReadReplaysFromTheStart) {
  MemoryByteStream inner("0123456789");
  PeekableStream stream(inner);
  EXPECT_EQ(stream.peek(4), "0123");
  EXPECT_EQ(stream.peek(6), "012345");  // peeking further extends the look-ahead
  EXPECT_FALSE(stream.peekedToEnd());
  auto all = readWholeStream(stream, 100, "m");
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, "0123456789");
}

TEST(PeekableStream, ShortStreamAndHeldBackError) {
  MemoryByteStream shortInner("ab");
  PeekableStream shortStream(shortInner);
  EXPECT_EQ(shortStream.peek(10), "ab");
  EXPECT_TRUE(shortStream.peekedToEnd());

  FailAfter failing("abc");
  PeekableStream stream(failing);
  EXPECT_EQ(stream.peek(10), "abc");
  char buffer[10];
  auto first = stream.read(buffer, sizeof buffer);
  ASSERT_TRUE(first);
  EXPECT_EQ(std::string(buffer, *first), "abc");  // the good bytes come first
  auto second = stream.read(buffer, sizeof buffer);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), makeError(ErrorCode::kIo, "disk gone", "f"));
}

TEST(ReadWholeStream, AcceptsExactlyTheLimitAndRefusesOneMore) {
  MemoryByteStream exact("12345");
  auto ok = readWholeStream(exact, 5, "a.json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "12345");
  MemoryByteStream over("123456");
  auto refused = readWholeStream(over, 5, "a.json");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), makeError(ErrorCode::kLimitExceeded,
                                       "input is larger than the limit of 5 bytes", "a.json"));
  FailAfter failing("12");
  auto failed = readWholeStream(failing, 5, "a.json");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "disk gone");
}

TEST(IstreamByteStream, ReadsInChunks) {
  std::istringstream in("hello world");
  IstreamByteStream stream(in, "-");
  char buffer[4];
  std::string out;
  while (true) {
    auto got = stream.read(buffer, sizeof buffer);
    ASSERT_TRUE(got);
    if (*got == 0) break;
    out.append(buffer, *got);
  }
  EXPECT_EQ(out, "hello world");
}

TEST(DetectContainer, MagicBytes) {
  std::string tar(300, '\0');
  tar.replace(257, 5, "ustar");
  std::string shortTar = tar.substr(0, 261);
  struct Case {
    std::string head;
    Container expected;
  } cases[] = {
      {"\x1f\x8b\x08", Container::kGzip},
      {"PK\x03\x04rest", Container::kZip},
      {"PK\x05\x06", Container::kZip},
      {tar, Container::kTar},
      {shortTar, Container::kPlain},
      {"PK\x01\x02", Container::kPlain},
      {"\x1f", Container::kPlain},
      {"", Container::kPlain},
      {"{\"resourceType\"", Container::kPlain},
  };
  for (const auto& c : cases) EXPECT_EQ(detectContainer(c.head), c.expected) << c.head.size();
}

}  // namespace
}  // namespace fhir837
