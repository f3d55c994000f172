#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "sources/http/http_listener.h"
#include "unit/http/listener_test_support.h"

namespace fhir837::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

class ListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ListenerOptions options;
    options.port = 0;
    options.ioThreads = 2;
    options.maxBodyBytes = 1024;
    listener_ = makeHttpListener(options, handler_);
    Status started = listener_->start();
    ASSERT_TRUE(started) << started.error().describe();
    ASSERT_NE(listener_->port(), 0);
  }
  EchoHandler handler_;
  std::unique_ptr<Listener> listener_;
};

TEST_F(ListenerTest, KeepAliveRequestsOnOneConnection) {
  Client client(listener_->port());
  auto first = client.send(bhttp::verb::post, "/fhir/Patient", "{\"a\":1}");
  EXPECT_EQ(first.result_int(), 201);
  EXPECT_EQ(first.body(), "POST /fhir/Patient [t1] {\"a\":1}");
  EXPECT_TRUE(first.keep_alive());
  auto second = client.send(bhttp::verb::get, "/fhir/metadata?_format=json");
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(second.body(), "GET /fhir/metadata?_format=json [t1] ");
}

TEST_F(ListenerTest, BodyOverTheLimitIs413WithoutReadingIt) {
  Client client(listener_->port());
  // Declares 1 MiB and sends none of it: the answer comes from the header alone.
  auto response = client.send(bhttp::verb::post, "/fhir/Patient", "", 1u << 20);
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(response[bhttp::field::content_type], "application/fhir+json");
  EXPECT_EQ(response.body(),
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"too-long",)"
            R"("diagnostics":"request body over max_body (1024 bytes): not read"}]})");
  EXPECT_FALSE(response.keep_alive());
  // The handler saw the refusal (for its access log and metrics) and could amend the answer.
  EXPECT_EQ(response["X-Seen"], "413 too-long [POST /fhir/Patient] from 127.0.0.1");
  EXPECT_EQ(handler_.listenerAnswers(),
            std::vector<std::string>{"413 too-long [POST /fhir/Patient] from 127.0.0.1"});
}

TEST_F(ListenerTest, ScreenedRequestIsAnsweredFromItsHeaderWithoutReadingTheBody) {
  Client client(listener_->port());
  // Declares 512 bytes and sends none: only the screen's answer can come back.
  auto refused = client.send(bhttp::verb::post, "/screened", "", 512);
  EXPECT_EQ(refused.result_int(), 401);
  EXPECT_EQ(refused[bhttp::field::www_authenticate], "Bearer");
  EXPECT_EQ(refused.body(), "refused");
  EXPECT_FALSE(refused.keep_alive());
  Client second(listener_->port());
  auto passed = second.send(bhttp::verb::post, "/fhir/Patient", "{}");
  EXPECT_EQ(passed.result_int(), 201);
  EXPECT_EQ(handler_.screened(), (std::vector<std::string>{"POST /screened [t1] body=0",
                                                           "POST /fhir/Patient [t1] body=0"}));
}

TEST_F(ListenerTest, BytesThatAreNotHttpGet400) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), listener_->port()));
  net::write(socket, net::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(response.body(),
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"structure",)"
            R"("diagnostics":"malformed HTTP request: bad version"}]})");
  // Refused before a request line could be read: only the peer is known.
  EXPECT_EQ(response["X-Seen"], "400 structure [ ] from 127.0.0.1");
}

TEST_F(ListenerTest, ConcurrentClients) {
  std::vector<std::future<std::string>> answers;
  for (int i = 0; i < 16; ++i) {
    answers.push_back(std::async(std::launch::async, [this, i] {
      Client client(listener_->port());
      std::string all;
      for (int k = 0; k < 5; ++k) {
        all += client.send(bhttp::verb::put, "/r/" + std::to_string(i), std::to_string(k)).body();
        all += "|";
      }
      return all;
    }));
  }
  for (int i = 0; i < 16; ++i) {
    const std::string prefix = "PUT /r/" + std::to_string(i) + " [t1] ";
    EXPECT_EQ(answers[i].get(),
              prefix + "0|" + prefix + "1|" + prefix + "2|" + prefix + "3|" + prefix + "4|");
  }
}

TEST_F(ListenerTest, StopAnswersInFlightRequestsFirst) {
  auto slow = std::async(std::launch::async, [this] {
    Client client(listener_->port());
    return client.send(bhttp::verb::post, "/slow", "x");
  });
  ASSERT_TRUE(handler_.waitParked(1));
  auto stopped = std::async(std::launch::async, [this] { listener_->stop(); });
  // stop() waits for the parked request; it cannot finish before the release.
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  handler_.releaseAll();
  stopped.get();
  auto response = slow.get();
  EXPECT_EQ(response.result_int(), 202);
  EXPECT_EQ(response.body(), "released");
  // No longer accepting.
  net::io_context io;
  tcp::socket socket(io);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), listener_->port()), ec);
  EXPECT_TRUE(ec);
}

// The limits hostile clients meet, with timeouts short enough for a test.
class LimitsTest : public ::testing::Test {
 protected:
  static ListenerOptions limits() {
    ListenerOptions options;
    options.ioThreads = 2;
    options.maxBodyBytes = 1024;
    options.maxHeaderBytes = 1024;
    options.requestTimeout = std::chrono::milliseconds(800);
    options.idleTimeout = std::chrono::milliseconds(500);
    options.maxConnections = 2;
    return options;
  }
  void start(const ListenerOptions& options) {
    listener_ = makeHttpListener(options, handler_);
    Status started = listener_->start();
    ASSERT_TRUE(started) << started.error().describe();
  }
  void SetUp() override { start(limits()); }

  // Reads what the listener sends on `client` until it closes: the response, then the end.
  static void expectClosed(Client& client) {
    char byte = 0;
    beast::error_code ec;
    const std::size_t read = client.socket().read_some(net::buffer(&byte, 1), ec);
    EXPECT_EQ(read, 0u);
    EXPECT_EQ(ec, net::error::eof) << ec.message();
  }

  EchoHandler handler_;
  std::unique_ptr<Listener> listener_;
};

using Clock = std::chrono::steady_clock;

constexpr const char* k408Body =
    R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout",)"
    R"j("diagnostics":"request not complete within request_timeout (800 ms)"}]})j";

// Writes `prefix`, then one byte every 100 ms until told to stop or the listener hangs up.
class Trickle {
 public:
  Trickle(tcp::socket& socket, std::string prefix, char filler)
      : thread_([this, &socket, prefix = std::move(prefix), filler] {
          beast::error_code ec;
          net::write(socket, net::buffer(prefix), ec);
          std::unique_lock lock(mutex_);
          while (!ec && !stop_.wait_for(lock, std::chrono::milliseconds(100),
                                        [this] { return stopped_; })) {
            net::write(socket, net::buffer(&filler, 1), ec);
          }
        }) {}
  ~Trickle() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    stop_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopped_ = false;
  std::thread thread_;
};

TEST_F(LimitsTest, HeaderOverMaxHeaderIs431) {
  Client client(listener_->port());
  auto request = makeRequest(bhttp::verb::get, "/fhir/metadata");
  request.set("X-Padding", std::string(2000, 'a'));
  bhttp::write(client.socket(), request);
  bhttp::response<bhttp::string_body> response;
  bhttp::read(client.socket(), client.buffer(), response);
  EXPECT_EQ(response.result_int(), 431);
  EXPECT_EQ(response.body(),
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"too-long",)"
            R"("diagnostics":"malformed HTTP request: header limit exceeded"}]})");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(handler_.screened().empty());
}

TEST_F(LimitsTest, SlowLorisHeaderIsAnswered408AtRequestTimeoutAndClosed) {
  Client client(listener_->port());
  const auto started = Clock::now();
  bhttp::response<bhttp::string_body> response;
  {
    // A header that never ends: one more byte of X-Slow every 100 ms, forever.
    Trickle loris(client.socket(),
                  "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", 'a');
    bhttp::read(client.socket(), client.buffer(), response);
  }
  const auto elapsed = Clock::now() - started;
  EXPECT_EQ(response.result_int(), 408);
  EXPECT_EQ(response[bhttp::field::content_type], "application/fhir+json");
  EXPECT_EQ(response.body(), k408Body);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_GE(elapsed, std::chrono::milliseconds(800));
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
  expectClosed(client);
  EXPECT_TRUE(handler_.screened().empty());
}

TEST_F(LimitsTest, SlowBodyIsAnswered408AtRequestTimeout) {
  Client client(listener_->port());
  const auto started = Clock::now();
  bhttp::response<bhttp::string_body> response;
  {
    // The header is complete; the 1000-byte body comes at 10 bytes a second.
    Trickle slowBody(
        client.socket(),
        "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n", 'x');
    bhttp::read(client.socket(), client.buffer(), response);
  }
  EXPECT_EQ(response.result_int(), 408);
  EXPECT_EQ(response.body(), k408Body);
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(3000));
  EXPECT_EQ(handler_.screened(),
            (std::vector<std::string>{"POST /fhir/Patient [] body=0"}));  // header, not body
  EXPECT_TRUE(handler_.subjects().empty());                               // never handled
}

TEST_F(LimitsTest, IdleKeepAliveConnectionIsClosedAtIdleTimeoutWithoutAnswer) {
  Client client(listener_->port());
  auto response = client.send(bhttp::verb::get, "/fhir/metadata");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_TRUE(response.keep_alive());
  const auto answered = Clock::now();
  expectClosed(client);
  const auto elapsed = Clock::now() - answered;
  // The timer started as the response left, a little before the client had read it.
  EXPECT_GE(elapsed, std::chrono::milliseconds(400));
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
}

TEST_F(LimitsTest, PendingAnswerIsNotCutByTheIdleOrRequestTimer) {
  Client client(listener_->port());
  auto request = makeRequest(bhttp::verb::post, "/slow", "x");
  bhttp::write(client.socket(), request);
  ASSERT_TRUE(handler_.waitParked(1));
  // Time must pass here, not a condition: both timeouts (500 and 800 ms) elapse while the
  // handler holds the request.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  handler_.releaseAll();
  bhttp::response<bhttp::string_body> response;
  bhttp::read(client.socket(), client.buffer(), response);
  EXPECT_EQ(response.result_int(), 202);
  EXPECT_EQ(response.body(), "released");
  EXPECT_TRUE(response.keep_alive());
  // The connection is still open and serves the next request.
  EXPECT_EQ(client.send(bhttp::verb::get, "/after").body(), "GET /after [t1] ");
}

TEST_F(LimitsTest, ConnectionsOverMaxConnectionsAre503ThrottledWithRetryAfter) {
  // Idle connections must hold their slots for the length of the test.
  listener_->stop();
  ListenerOptions options = limits();
  options.idleTimeout = std::chrono::seconds(60);
  start(options);
  Client first(listener_->port());
  Client second(listener_->port());
  EXPECT_EQ(first.send(bhttp::verb::get, "/a").result_int(), 200);
  EXPECT_EQ(second.send(bhttp::verb::get, "/b").result_int(), 200);
  Client third(listener_->port());
  auto refused = third.send(bhttp::verb::post, "/fhir/Patient", "{}");
  EXPECT_EQ(refused.result_int(), 503);
  EXPECT_EQ(refused[bhttp::field::retry_after], "5");
  EXPECT_EQ(refused[bhttp::field::content_type], "application/fhir+json");
  EXPECT_EQ(refused.body(),
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"throttled",)"
            R"("diagnostics":"over max_connections (2 open connections): retry later"}]})");
  EXPECT_FALSE(refused.keep_alive());
  expectClosed(third);
  // A closed connection gives its slot back.
  first.socket().close();
  int status = 0;
  for (auto until = Clock::now() + std::chrono::seconds(10); Clock::now() < until;) {
    Client next(listener_->port());
    status = next.send(bhttp::verb::get, "/c").result_int();
    if (status == 200) break;
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(
      handler_.screened(),
      (std::vector<std::string>{"GET /a [t1] body=0", "GET /b [t1] body=0", "GET /c [t1] body=0"}));
}

TEST(ListenerStartTest, BadAddressIsAConfigError) {
  EchoHandler handler;
  ListenerOptions options;
  options.host = "not-an-ip";
  auto listener = makeHttpListener(options, handler);
  Status started = listener->start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kConfig);
  EXPECT_EQ(started.error().where, "not-an-ip");
}

}  // namespace
}  // namespace fhir837::http
