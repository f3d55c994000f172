#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "sources/http/http_listener.h"

namespace fhir837::http {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

// Counts requests handed to the handler and not yet answered, so stop() can wait for them.
class InFlight {
 public:
  void begin() {
    std::lock_guard lock(mutex_);
    ++count_;
  }
  void end() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) drained_.notify_all();
  }
  void waitDrained() {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable drained_;
  std::size_t count_ = 0;
};

// The listener answers this itself: the body was not read, so no handler can look at it.
std::string tooLargeOutcome(std::size_t limit) {
  return R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"too-long",)"
         R"("diagnostics":"request body over max_body ()" +
         std::to_string(limit) + R"( bytes): not read"}]})";
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ListenerOptions& options, RequestHandler& handler,
          InFlight& inFlight)
      : stream_(std::move(socket)), options_(options), handler_(handler), inFlight_(inFlight) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->readHeader(); });
  }

 private:
  void readHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.maxHeaderBytes));
    parser_->body_limit(options_.maxBodyBytes);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
  }

  void onHeader(beast::error_code ec) {
    // Beast checks a declared Content-Length against body_limit while reading the header.
    if (ec == bhttp::error::body_limit) return sendTooLarge();
    if (ec) return refuseMalformed(ec);
    const auto& header = parser_->get();
    version_ = header.version();
    if (auto refused = handler_.screenHeader(requestOf(header))) {
      return write(std::move(*refused), false, false);  // the unread body makes it unusable
    }
    if (header.payload_size() && *header.payload_size() > options_.maxBodyBytes) {
      return sendTooLarge();
    }
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
  }

  void onBody(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return sendTooLarge();
    if (ec) return refuseMalformed(ec);
    auto message = parser_->release();
    HttpRequest request = requestOf(message);
    request.body = std::move(message.body());
    keepAlive_ = message.keep_alive();
    version_ = message.version();
    inFlight_.begin();
    auto self = shared_from_this();
    // The handler may answer from another thread (after the journal commits): the answer is
    // written on this connection's executor.
    handler_.handle(std::move(request), [self](HttpResponse response) {
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response), self->keepAlive_, true);
      });
    });
  }

  // The request line, headers and peer of `header` (no body).
  template <class Header>
  HttpRequest requestOf(const Header& header) {
    HttpRequest request;
    request.method = std::string(header.method_string());
    request.target = std::string(header.target());
    for (const auto& field : header) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    beast::error_code peerError;
    const auto peer = stream_.socket().remote_endpoint(peerError);
    if (!peerError) request.remote = peer.address().to_string();
    return request;
  }

  // Bytes that are not HTTP/1.1 get a 400 (431 for an oversized header) naming the parser's
  // complaint; a peer that simply went away gets nothing.
  void refuseMalformed(beast::error_code ec) {
    if (ec.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category() ||
        ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
      return close();
    }
    const bool header = ec == bhttp::error::header_limit;
    HttpResponse response;
    response.status = header ? 431 : 400;
    response.headers.emplace_back("Content-Type", "application/fhir+json");
    response.body =
        std::string(R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":")") +
        (header ? "too-long" : "structure") + R"(","diagnostics":"malformed HTTP request: )" +
        ec.message() + R"("}]})";
    write(std::move(response), false, false);
  }

  void sendTooLarge() {
    HttpResponse response;
    response.status = 413;
    response.headers.emplace_back("Content-Type", "application/fhir+json");
    response.body = tooLargeOutcome(options_.maxBodyBytes);
    version_ = parser_->get().version();
    write(std::move(response), false, false);  // the unread body makes the connection unusable
  }

  // `answered`: the response of a request handed to the handler; stop() waits until it is sent.
  void write(HttpResponse response, bool keepAlive, bool answered) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version_);
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keepAlive);
    message->prepare_payload();
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message, keepAlive, answered](
                           beast::error_code ec, std::size_t) {
                         if (answered) self->inFlight_.end();
                         if (ec || !keepAlive) return self->close();
                         self->readHeader();
                       });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const ListenerOptions& options_;
  RequestHandler& handler_;
  InFlight& inFlight_;
  bool keepAlive_ = true;
  unsigned version_ = 11;
};

class BeastListener final : public Listener {
 public:
  BeastListener(const ListenerOptions& options, RequestHandler& handler)
      : options_(options),
        handler_(handler),
        threads_(options.ioThreads ? options.ioThreads
                                   : std::max(1u, std::thread::hardware_concurrency())),
        io_(static_cast<int>(threads_)),
        acceptor_(io_) {}

  ~BeastListener() override { stop(); }

  Status start() override {
    beast::error_code ec;
    const auto address = net::ip::make_address(options_.host, ec);
    if (ec)
      return makeError(ErrorCode::kConfig, "not an IP address: " + ec.message(), options_.host);
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return makeError(ErrorCode::kIo, "cannot listen: " + ec.message(),
                       options_.host + ":" + std::to_string(options_.port));
    }
    port_ = acceptor_.local_endpoint().port();
    // Keeps the I/O threads running while a request waits for its handler (a connection has no
    // operation pending then): its answer must still be written, during stop() too.
    work_.emplace(io_.get_executor());
    accept();
    for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back([this] { io_.run(); });
    return Status::ok();
  }

  std::uint16_t port() const override { return port_; }
  std::string host() const override { return options_.host; }

  void stop() override {
    if (stopped_.exchange(true)) return;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    // In-flight requests are answered before the I/O threads stop; idle keep-alive connections
    // are then closed with the io_context.
    inFlight_.waitDrained();
    work_.reset();
    io_.stop();
    for (auto& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
    // No I/O thread runs now: closing here is safe, and certain even if the posted close above
    // never ran (the kernel would otherwise keep completing connections into the backlog).
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed by stop()
      std::make_shared<Session>(std::move(socket), options_, handler_, inFlight_)->start();
      accept();
    });
  }

  ListenerOptions options_;
  RequestHandler& handler_;
  unsigned threads_;
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> workers_;
  InFlight inFlight_;
  std::atomic<bool> stopped_{false};
  std::uint16_t port_ = 0;
};

}  // namespace

std::unique_ptr<Listener> makeHttpListener(const ListenerOptions& options,
                                           RequestHandler& handler) {
  return std::make_unique<BeastListener>(options, handler);
}

}  // namespace fhir837::http
