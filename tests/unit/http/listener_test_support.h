#pragma once

// What the listener tests share: a handler that echoes (or parks) requests and a blocking client.

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/http/http_listener.h"

namespace fhir837::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

// Echoes what the listener handed over; requests to /slow wait until the test releases them and
// are answered from the test's thread, as the journal's writer thread answers real ones.
class EchoHandler : public RequestHandler {
 public:
  void handle(HttpRequest request, Respond respond) override {
    {
      std::lock_guard lock(mutex_);
      subjects_.push_back(request.clientSubject);
    }
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
  // The listener's own refusals are shown here; the answer gains a header naming what was seen.
  HttpResponse listenerAnswered(const HttpRequest& seen, HttpResponse answer,
                                std::string_view issueCode) override {
    const std::string record = std::to_string(answer.status) + " " + std::string(issueCode) + " [" +
                               seen.method + " " + seen.target + "] from " + seen.remote;
    {
      std::lock_guard lock(mutex_);
      listenerAnswers_.push_back(record);
    }
    answer.headers.emplace_back("X-Seen", record);
    return answer;
  }
  std::vector<std::string> listenerAnswers() {
    std::lock_guard lock(mutex_);
    return listenerAnswers_;
  }
  std::vector<std::string> screened() {
    std::lock_guard lock(mutex_);
    return screened_;
  }
  // The client certificate subject of every request handled, in order.
  std::vector<std::string> subjects() {
    std::lock_guard lock(mutex_);
    return subjects_;
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
  std::vector<std::string> listenerAnswers_;
  std::vector<std::string> subjects_;
};

// A blocking read on `socket` fails after `timeout` instead of hanging the test.
inline void setReceiveTimeout(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval value{};
  value.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  value.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &value, sizeof value);
}

inline bhttp::request<bhttp::string_body> makeRequest(bhttp::verb verb, const std::string& target,
                                                      const std::string& body = {}) {
  bhttp::request<bhttp::string_body> request(verb, target, 11);
  request.set(bhttp::field::host, "localhost");
  request.set("X-Test", "t1");
  request.body() = body;
  request.prepare_payload();
  return request;
}

// A plain HTTP/1.1 connection; a read that gets nothing for 30 s fails instead of hanging.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    setReceiveTimeout(socket_, std::chrono::seconds(30));
  }
  bhttp::response<bhttp::string_body> send(bhttp::verb verb, const std::string& target,
                                           const std::string& body = {},
                                           std::optional<std::size_t> declaredLength = {}) {
    auto request = makeRequest(verb, target, body);
    if (declaredLength) request.content_length(*declaredLength);
    bhttp::write(socket_, request);
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket_, buffer_, response);
    return response;
  }
  tcp::socket& socket() { return socket_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  net::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

}  // namespace fhir837::http
