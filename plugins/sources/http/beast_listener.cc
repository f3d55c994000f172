#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "sources/http/http_listener.h"

namespace fhir837::http {

namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

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

// What every session of one listener shares.
struct SessionContext {
  const ListenerOptions& options;
  RequestHandler& handler;
  InFlight& inFlight;
  std::atomic<std::size_t> open{0};  // connections within max_connections
};

// The answers the listener gives itself (nothing was handed to a handler): an OperationOutcome
// with one issue.
HttpResponse outcome(int status, const char* code, const std::string& diagnostics) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/fhir+json");
  response.body =
      std::string(R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":")") +
      code + R"(","diagnostics":")" + diagnostics + R"("}]})";
  return response;
}

// How long a finished TLS connection may take to exchange close_notify.
constexpr std::chrono::seconds kTlsShutdownGrace{5};
// How long a half-closed connection's input is still read and dropped.
constexpr std::chrono::seconds kLinger{2};
// How long a failed accept (no descriptor left) waits before the next.
constexpr std::chrono::milliseconds kAcceptRetry{100};
// Retry-After of the 503 answered over max_connections: long enough for a request to finish.
constexpr const char* kRetryAfterSeconds = "5";

// One connection, plain or TLS: the same request logic over either stream.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `counted`: holds one of the max_connections slots; otherwise it is answered 503.
  template <class... StreamArgs>
  Session(SessionContext& context, bool counted, StreamArgs&&... streamArgs)
      : stream_(std::forward<StreamArgs>(streamArgs)...),
        timer_(stream_.get_executor()),
        context_(context),
        options_(context.options),
        counted_(counted) {}

  ~Session() {
    if (counted_) --context_.open;
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->handshake();
      } else {
        self->readHeader();
      }
    });
  }

 private:
  auto& socket() { return beast::get_lowest_layer(stream_).socket(); }

  // One deadline at a time. When it passes, the pending operation is cancelled and its handler
  // sees expired_: a request still arriving gets 408, anything else is closed.
  void arm(std::chrono::steady_clock::duration after) {
    expired_ = false;
    timer_.expires_after(after);
    timer_.async_wait(
        [self = this->shared_from_this(), generation = ++generation_](beast::error_code ec) {
          if (ec || generation != self->generation_) return;
          self->expired_ = true;
          beast::error_code ignored;
          self->socket().cancel(ignored);
        });
  }
  void disarm() {
    ++generation_;
    expired_ = false;
    timer_.cancel();
  }

  void handshake() {
    arm(options_.handshakeTimeout);
    stream_.async_handshake(
        ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
          // Not TLS, an old protocol, no or a foreign client certificate.
          if (ec || self->expired_) return self->closeSocket();
          self->clientSubject_ = verifiedClientSubject(self->stream_.native_handle());
          self->readHeader();
        });
  }

  void readHeader() {
    arm(options_.requestTimeout);
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.maxHeaderBytes));
    parser_->body_limit(options_.maxBodyBytes);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               self->onHeader(ec);
                             });
  }

  void onHeader(beast::error_code ec) {
    if (expired_) return sendTimeout();
    // Beast checks a declared Content-Length against body_limit while reading the header.
    if (ec == bhttp::error::body_limit) return sendTooLarge();
    if (ec) return refuseMalformed(ec);
    const auto& header = parser_->get();
    version_ = header.version();
    if (!counted_) return sendThrottled();
    if (auto refused = context_.handler.screenHeader(requestOf(header))) {
      return write(std::move(*refused), false, false);  // the unread body makes it unusable
    }
    if (header.payload_size() && *header.payload_size() > options_.maxBodyBytes) {
      return sendTooLarge();
    }
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
  }

  void onBody(beast::error_code ec) {
    if (expired_) return sendTimeout();
    if (ec == bhttp::error::body_limit) return sendTooLarge();
    if (ec) return refuseMalformed(ec);
    // No deadline while the handler works: a pending answer is never cut by a timer.
    disarm();
    auto message = parser_->release();
    HttpRequest request = requestOf(message);
    request.body = std::move(message.body());
    keepAlive_ = message.keep_alive();
    version_ = message.version();
    context_.inFlight.begin();
    auto self = this->shared_from_this();
    // The handler may answer from another thread (after the journal commits): the answer is
    // written on this connection's executor.
    context_.handler.handle(std::move(request), [self](HttpResponse response) {
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response), self->keepAlive_, true);
      });
    });
  }

  // The request line, headers, peer and client certificate of `header` (no body).
  template <class Header>
  HttpRequest requestOf(const Header& header) {
    HttpRequest request = fromPeer();
    request.method = std::string(header.method_string());
    request.target = std::string(header.target());
    for (const auto& field : header) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    return request;
  }

  // A request with only its peer address and client certificate known.
  HttpRequest fromPeer() {
    HttpRequest request;
    beast::error_code peerError;
    const auto peer = socket().remote_endpoint(peerError);
    if (!peerError) request.remote = peer.address().to_string();
    request.clientSubject = clientSubject_;
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
    const char* code = header ? "too-long" : "structure";
    answerItself(outcome(header ? 431 : 400, code, "malformed HTTP request: " + ec.message()),
                 code);
  }

  void sendTooLarge() {
    version_ = parser_->get().version();
    // The unread body makes the connection unusable.
    answerItself(outcome(413, "too-long",
                         "request body over max_body (" + std::to_string(options_.maxBodyBytes) +
                             " bytes): not read"),
                 "too-long");
  }

  void sendTimeout() {
    answerItself(outcome(408, "timeout",
                         "request not complete within request_timeout (" +
                             std::to_string(options_.requestTimeout.count()) + " ms)"),
                 "timeout");
  }

  void sendThrottled() {
    HttpResponse response =
        outcome(503, "throttled",
                "over max_connections (" + std::to_string(options_.maxConnections) +
                    " open connections): retry later");
    response.headers.emplace_back("Retry-After", kRetryAfterSeconds);
    answerItself(std::move(response), "throttled");
  }

  // A refusal of the listener's own, shown to the handler (access log, metrics, request id),
  // then sent; the connection closes after it (what is left of the request is unread).
  void answerItself(HttpResponse response, std::string_view issueCode) {
    // What the parser took in so far: a header refused for its declared body length is complete
    // although the parser does not count it done; a malformed one has what preceded the fault.
    const HttpRequest seen = parser_ ? requestOf(parser_->get()) : fromPeer();
    write(context_.handler.listenerAnswered(seen, std::move(response), issueCode), false, false);
  }

  // `answered`: the response of a request handed to the handler; stop() waits until it is sent.
  // A client that does not take its response within request_timeout is dropped.
  void write(HttpResponse response, bool keepAlive, bool answered) {
    arm(options_.requestTimeout);
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version_);
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keepAlive);
    message->prepare_payload();
    bhttp::async_write(stream_, *message,
                       [self = this->shared_from_this(), message, keepAlive, answered](
                           beast::error_code ec, std::size_t) {
                         if (answered) self->context_.inFlight.end();
                         if (ec || self->expired_ || !keepAlive) return self->close();
                         self->awaitNextRequest();
                       });
  }

  // Keep-alive: idle_timeout until the next request's first byte, then request_timeout.
  void awaitNextRequest() {
    if (buffer_.size() > 0) return readHeader();  // pipelined
    arm(options_.idleTimeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](
                                                       beast::error_code ec, std::size_t bytes) {
      if (ec || self->expired_) return self->close();
      self->buffer_.commit(bytes);
      self->readHeader();
    });
  }

  // TLS first says close_notify (bounded by a grace period), then the TCP side closes.
  void close() {
    if constexpr (kTls) {
      if (!shuttingDown_) {
        shuttingDown_ = true;
        arm(kTlsShutdownGrace);
        return stream_.async_shutdown(
            [self = this->shared_from_this()](beast::error_code) { self->closeSocket(); });
      }
    }
    closeSocket();
  }

  // Half-closes, then reads and drops what the peer still sends (an unread body, a slow
  // loris's next bytes) for a moment: closing with unread input would reset the connection,
  // and the peer could lose the answer it has not read yet.
  void closeSocket() {
    beast::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_send, ignored);
    arm(kLinger);
    drain();
  }
  void drain() {
    buffer_.clear();
    socket().async_read_some(buffer_.prepare(4096),
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec || self->expired_) return self->disarm();
                               self->drain();
                             });
  }

  Stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  SessionContext& context_;
  const ListenerOptions& options_;
  const bool counted_;
  std::string clientSubject_;
  std::uint64_t generation_ = 0;
  bool expired_ = false;
  bool shuttingDown_ = false;
  bool keepAlive_ = true;
  unsigned version_ = 11;
};

class BeastListener final : public Listener {
 public:
  BeastListener(const ListenerOptions& options, RequestHandler& handler)
      : options_(options),
        sessions_{options_, handler, inFlight_},
        threads_(options.ioThreads ? options.ioThreads
                                   : std::max(1u, std::thread::hardware_concurrency())),
        io_(static_cast<int>(threads_)),
        acceptor_(io_),
        acceptRetry_(io_) {}

  ~BeastListener() override { stop(); }

  Status start() override {
    if (options_.tls.enabled()) {
      auto context = makeServerTlsContext(options_.tls);
      if (!context) return context.error();
      tls_ = std::move(*context);
    }
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
  bool tls() const override { return tls_ != nullptr; }

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
      if (ec == net::error::operation_aborted || stopped_) return;  // closed by stop()
      if (ec) {
        // Out of descriptors (EMFILE) and the like: accepting again later, not never.
        acceptRetry_.expires_after(kAcceptRetry);
        acceptRetry_.async_wait([this](beast::error_code waitError) {
          if (!waitError && !stopped_) accept();
        });
        return;
      }
      // Only this handler adds (accepts are serial); sessions give their slot back as they end.
      const bool counted = sessions_.open.load() < options_.maxConnections;
      if (counted) ++sessions_.open;
      if (tls_) {
        std::make_shared<Session<TlsStream>>(sessions_, counted, std::move(socket), *tls_)->start();
      } else {
        std::make_shared<Session<PlainStream>>(sessions_, counted, std::move(socket))->start();
      }
      accept();
    });
  }

  ListenerOptions options_;
  InFlight inFlight_;
  // Sessions still queued in io_ when it is destroyed use these: they are declared before it.
  SessionContext sessions_;
  std::shared_ptr<ssl::context> tls_;
  unsigned threads_;
  net::io_context io_;
  tcp::acceptor acceptor_;
  net::steady_timer acceptRetry_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopped_{false};
  std::uint16_t port_ = 0;
};

}  // namespace

std::unique_ptr<Listener> makeHttpListener(const ListenerOptions& options,
                                           RequestHandler& handler) {
  return std::make_unique<BeastListener>(options, handler);
}

}  // namespace fhir837::http
