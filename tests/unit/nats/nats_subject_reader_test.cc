#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "nats_test_fixture.h"
#include "store/nats/nats_cluster_client.h"

namespace fhir837 {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

struct Read {
  std::uint64_t sequence;
  std::uint64_t pendingAfter;
  std::string payload;
  bool operator==(const Read&) const = default;
};
std::ostream& operator<<(std::ostream& out, const Read& read) {
  return out << "{" << read.sequence << ", " << read.pendingAfter << ", " << read.payload << "}";
}

// Reads until `count` messages came (a fetch may return fewer than asked), or the deadline.
std::vector<Read> readAtLeast(SubjectReader& reader, std::size_t count,
                              milliseconds deadline = milliseconds(30000)) {
  std::vector<Read> reads;
  const auto until = Clock::now() + deadline;
  while (reads.size() < count && Clock::now() < until) {
    auto batch = reader.next(count - reads.size(), milliseconds(500));
    if (!batch) {
      ADD_FAILURE() << batch.error();
      break;
    }
    for (auto& message : *batch) {
      reads.push_back(Read{message.sequence, message.pendingAfter, std::move(message.payload)});
    }
  }
  return reads;
}

class NatsSubjectReaderTest : public testing::NatsTest {
 protected:
  void SetUp() override {
    NatsTest::SetUp();
    if (IsSkipped()) return;
    client_ = connect();
    ASSERT_TRUE(client_);
    stream_ = "READ_" + suffix_;
    prefix_ = "read_" + suffix_ + ".";
    auto log = client_->log(stream_, {prefix_ + ">"}, replicas_);
    ASSERT_TRUE(log) << log.error();
    log_ = std::move(log.value());
  }

  std::uint64_t publish(const std::string& partition, const std::string& payload) {
    auto ack = log_->publish(prefix_ + partition, "id-" + std::to_string(++published_), payload);
    EXPECT_TRUE(ack) << ack.error();
    return ack ? ack->sequence : 0;
  }

  std::unique_ptr<SubjectReader> reader(const std::string& partition, std::uint64_t from) {
    auto opened = client_->reader(stream_, prefix_ + partition, from);
    EXPECT_TRUE(opened) << opened.error();
    return opened ? std::move(opened.value()) : nullptr;
  }

  std::unique_ptr<NatsClusterClient> client_;
  std::unique_ptr<DeduplicatingLog> log_;
  std::string stream_, prefix_;
  int published_ = 0;
};

TEST_F(NatsSubjectReaderTest, ReadsOneSubjectInOrderFromAStartSequence) {
  publish("p0", "a");  // 1
  publish("p1", "x");  // 2
  publish("p0", "b");  // 3
  publish("p0", "c");  // 4
  publish("p1", "y");  // 5

  auto p0 = reader("p0", 1);
  ASSERT_TRUE(p0);
  EXPECT_EQ(readAtLeast(*p0, 3), (std::vector<Read>{{1, 2, "a"}, {3, 1, "b"}, {4, 0, "c"}}));
  auto p1 = reader("p1", 1);
  ASSERT_TRUE(p1);
  EXPECT_EQ(readAtLeast(*p1, 2), (std::vector<Read>{{2, 1, "x"}, {5, 0, "y"}}));
  // From a sequence inside the stream: what came before it is not read.
  auto fromThree = reader("p0", 3);
  ASSERT_TRUE(fromThree);
  EXPECT_EQ(readAtLeast(*fromThree, 2), (std::vector<Read>{{3, 1, "b"}, {4, 0, "c"}}));
  // `max` bounds a batch.
  auto limited = reader("p0", 1);
  ASSERT_TRUE(limited);
  auto one = limited->next(1, milliseconds(5000));
  ASSERT_TRUE(one) << one.error();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].sequence, 1u);
  auto none = limited->next(0, milliseconds(5000));
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(none->size(), 0u);
  EXPECT_EQ(readAtLeast(*limited, 2), (std::vector<Read>{{3, 1, "b"}, {4, 0, "c"}}));
}

TEST_F(NatsSubjectReaderTest, WaitsWhenNothingArrivesThenFollowsNewMessages) {
  publish("p0", "a");
  auto p0 = reader("p0", 1);
  ASSERT_TRUE(p0);
  EXPECT_EQ(readAtLeast(*p0, 1), (std::vector<Read>{{1, 0, "a"}}));

  const auto before = Clock::now();
  auto nothing = p0->next(10, milliseconds(300));
  ASSERT_TRUE(nothing) << nothing.error();
  EXPECT_EQ(nothing->size(), 0u);
  EXPECT_GE(Clock::now() - before, milliseconds(250));  // it waited, it did not spin

  // Published while the reader follows: all of them, in order, none twice.
  std::thread producer([&] {
    for (int i = 0; i < 50; ++i) {
      publish(i % 5 == 0 ? "p1" : "p0", "m" + std::to_string(i));
    }
  });
  std::vector<Read> followed = readAtLeast(*p0, 40);
  producer.join();
  ASSERT_EQ(followed.size(), 40u);
  std::vector<std::string> payloads;
  for (std::size_t i = 0; i < followed.size(); ++i) {
    payloads.push_back(followed[i].payload);
    if (i > 0) {
      EXPECT_GT(followed[i].sequence, followed[i - 1].sequence);
    }
  }
  std::vector<std::string> expected;
  for (int i = 0; i < 50; ++i) {
    if (i % 5 != 0) expected.push_back("m" + std::to_string(i));
  }
  EXPECT_EQ(payloads, expected);
  EXPECT_EQ(followed.back().pendingAfter, 0u);
  EXPECT_EQ(followed.back().sequence, 51u);
}

TEST_F(NatsSubjectReaderTest, FromBeyondTheEndWaitsForThatSequence) {
  publish("p0", "a");  // 1
  publish("p0", "b");  // 2
  auto ahead = reader("p0", 5);
  ASSERT_TRUE(ahead);
  auto nothing = ahead->next(10, milliseconds(300));
  ASSERT_TRUE(nothing) << nothing.error();
  EXPECT_EQ(nothing->size(), 0u);
  publish("p0", "c");  // 3
  publish("p1", "x");  // 4
  publish("p0", "d");  // 5
  publish("p0", "e");  // 6
  EXPECT_EQ(readAtLeast(*ahead, 2), (std::vector<Read>{{5, 1, "d"}, {6, 0, "e"}}));
}

TEST_F(NatsSubjectReaderTest, AMissingStreamIsAnErrorAfterTheClientTimeout) {
  settings_.timeout = milliseconds(500);
  auto client = connect();
  ASSERT_TRUE(client);
  auto missing = client->reader("NO_SUCH_" + suffix_, "nothing.here", 1);
  ASSERT_TRUE(missing) << missing.error();
  Result<std::vector<SubjectReader::Message>> read = std::vector<SubjectReader::Message>();
  const auto until = Clock::now() + std::chrono::seconds(10);
  while (read && Clock::now() < until) {
    read = (*missing)->next(10, milliseconds(200));
    if (read) {
      EXPECT_EQ(read->size(), 0u);
    }
  }
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kIo);
  EXPECT_EQ(read.error().message.rfind("subscribe to nothing.here of stream NO_SUCH_" + suffix_, 0),
            0u)
      << read.error().message;
}

}  // namespace
}  // namespace fhir837
