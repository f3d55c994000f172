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

namespace fhir837::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

// Echoes what the listener handed over; requests to /slow wait until the test releases them and
// are answered from the test's thread, as the journal's writer thread answers real ones.
class EchoHandler : public RequestHandler {
 public:
  void handle(HttpRequest request, Respond respond) override {
    if (request.target == "/slow") {
      std::lock_guard lock(mutex_);
      parked_.push_back(std::move(respond));
      changed_.notify_all();
      return;
    }
    HttpResponse response;
    response.status = request.method == "POST" ? 201 : 200;
    response.headers.emplace_back("Content-Type", "text/plain");
    response.body = request.method + " " + request.target + " [" + request.header("x-test") + "] " +
                    request.body;
    respond(std::move(response));
  }
  // Requests to /screened are refused from their headers; the headers seen are recorded.
  std::optional<HttpResponse> screenHeader(const HttpRequest& header) override {
    std::lock_guard lock(mutex_);
    screened_.push_back(header.method + " " + header.target + " [" + header.header("x-test") +
                        "] body=" + std::to_string(header.body.size()));
    if (header.target != "/screened") return std::nullopt;
    return HttpResponse{401, {{"WWW-Authenticate", "Bearer"}}, "refused"};
  }
  std::vector<std::string> screened() {
    std::lock_guard lock(mutex_);
    return screened_;
  }
  // Waits (with a deadline) until `count` slow requests are parked.
  bool waitParked(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30),
                             [&] { return parked_.size() >= count; });
  }
  void releaseAll() {
    std::vector<Respond> parked;
    {
      std::lock_guard lock(mutex_);
      parked.swap(parked_);
    }
    for (auto& respond : parked) respond(HttpResponse{202, {}, "released"});
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Respond> parked_;
  std::vector<std::string> screened_;
};

class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  bhttp::response<bhttp::string_body> send(bhttp::verb verb, const std::string& target,
                                           const std::string& body = {},
                                           std::optional<std::size_t> declaredLength = {}) {
    bhttp::request<bhttp::string_body> request(verb, target, 11);
    request.set(bhttp::field::host, "localhost");
    request.set("X-Test", "t1");
    request.body() = body;
    request.prepare_payload();
    if (declaredLength) request.content_length(*declaredLength);
    bhttp::write(socket_, request);
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket_, buffer_, response);
    return response;
  }

 private:
  net::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

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
