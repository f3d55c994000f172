#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>
#include <chrono>

#include "sources/http/http_listener.h"
#include "unit/http/listener_test_pki.h"
#include "unit/http/listener_test_support.h"

namespace fhir837::http {
namespace {

namespace ssl = net::ssl;
using Clock = std::chrono::steady_clock;

// Trusts the test CA; presents `identity` when given.
ssl::context clientContext(const testpki::Pki& pki, const testpki::Identity* identity) {
  ssl::context context(ssl::context::tls_client);
  context.load_verify_file(pki.ca.certFile.string());
  context.set_verify_mode(ssl::verify_peer);
  if (identity) {
    context.use_certificate_chain_file(identity->certFile.string());
    context.use_private_key_file(identity->keyFile.string(), ssl::context::pem);
  }
  return context;
}

// The OpenSSL reason of an error from an SSL operation (SSL_R_...), 0 for other errors.
int sslReason(const beast::error_code& ec) {
  return ec.category() == net::error::get_ssl_category() ? ERR_GET_REASON(ec.value()) : 0;
}

class TlsClient {
 public:
  TlsClient(std::uint16_t port, ssl::context& context) : stream_(io_, context) {
    stream_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    setReceiveTimeout(stream_.next_layer(), std::chrono::seconds(30));
  }
  beast::error_code handshake() {
    beast::error_code ec;
    stream_.handshake(ssl::stream_base::client, ec);
    return ec;
  }
  // The handshake, then one request; the first error on the way (TLS 1.3 reports a refused
  // client certificate only when the client next reads).
  beast::error_code exchange(bhttp::request<bhttp::string_body> request,
                             bhttp::response<bhttp::string_body>& response) {
    beast::error_code ec = handshake();
    if (!ec) bhttp::write(stream_, request, ec);
    if (!ec) bhttp::read(stream_, buffer_, response, ec);
    return ec;
  }
  ssl::stream<tcp::socket>& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  net::io_context io_;
  ssl::stream<tcp::socket> stream_;
  beast::flat_buffer buffer_;
};

class TlsListenerTest : public ::testing::Test {
 protected:
  void start(bool mutual) {
    ListenerOptions options;
    options.ioThreads = 2;
    options.maxBodyBytes = 1024;
    options.requestTimeout = std::chrono::milliseconds(800);
    options.handshakeTimeout = std::chrono::milliseconds(500);
    options.tls = {pki_.server.certFile, pki_.server.keyFile,
                   mutual ? pki_.ca.certFile : std::filesystem::path()};
    listener_ = makeHttpListener(options, handler_);
    Status started = listener_->start();
    ASSERT_TRUE(started) << started.error().describe();
    ASSERT_TRUE(listener_->tls());
  }

  testpki::Pki pki_;
  EchoHandler handler_;
  std::unique_ptr<Listener> listener_;
};

TEST_F(TlsListenerTest, HandshakeThenKeepAliveRequestsAreServed) {
  start(false);
  auto context = clientContext(pki_, nullptr);
  TlsClient client(listener_->port(), context);
  bhttp::response<bhttp::string_body> first;
  ASSERT_FALSE(
      client.exchange(makeRequest(bhttp::verb::post, "/fhir/Patient", "{\"a\":1}"), first));
  EXPECT_EQ(first.result_int(), 201);
  EXPECT_EQ(first.body(), "POST /fhir/Patient [t1] {\"a\":1}");
  EXPECT_TRUE(first.keep_alive());
  const int version = SSL_version(client.stream().native_handle());
  EXPECT_TRUE(version == TLS1_2_VERSION || version == TLS1_3_VERSION) << version;
  bhttp::write(client.stream(), makeRequest(bhttp::verb::get, "/fhir/metadata"));
  bhttp::response<bhttp::string_body> second;
  bhttp::read(client.stream(), client.buffer(), second);
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(second.body(), "GET /fhir/metadata [t1] ");
  // No client certificate was asked for.
  EXPECT_EQ(handler_.subjects(), (std::vector<std::string>{"", ""}));
}

TEST_F(TlsListenerTest, Tls12ClientGetsAModernAeadCipher) {
  start(false);
  auto context = clientContext(pki_, nullptr);
  SSL_CTX_set_max_proto_version(context.native_handle(), TLS1_2_VERSION);
  TlsClient client(listener_->port(), context);
  bhttp::response<bhttp::string_body> response;
  ASSERT_FALSE(client.exchange(makeRequest(bhttp::verb::get, "/x"), response));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(SSL_version(client.stream().native_handle()), TLS1_2_VERSION);
  // The client offers its defaults; the server's order picks ECDHE + AES-GCM.
  EXPECT_STREQ(SSL_get_cipher_name(client.stream().native_handle()),
               "ECDHE-ECDSA-AES128-GCM-SHA256");
}

TEST_F(TlsListenerTest, Tls11OnlyClientIsRefused) {
  start(false);
  auto context = clientContext(pki_, nullptr);
  SSL_CTX* native = context.native_handle();
  // The client must be able to offer TLS 1.1 at all: OpenSSL 3 allows it only at level 0.
  SSL_CTX_set_security_level(native, 0);
  SSL_CTX_set_min_proto_version(native, TLS1_1_VERSION);
  SSL_CTX_set_max_proto_version(native, TLS1_1_VERSION);
  TlsClient client(listener_->port(), context);
  const beast::error_code ec = client.handshake();
  EXPECT_EQ(sslReason(ec), SSL_R_TLSV1_ALERT_PROTOCOL_VERSION) << ec.message();
  EXPECT_TRUE(handler_.subjects().empty());
}

TEST_F(TlsListenerTest, PlainHttpToTheTlsPortIsClosedUnanswered) {
  start(false);
  Client client(listener_->port());
  net::write(client.socket(), net::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
  char byte = 0;
  beast::error_code ec;
  EXPECT_EQ(client.socket().read_some(net::buffer(&byte, 1), ec), 0u);
  EXPECT_EQ(ec, net::error::eof) << ec.message();
  EXPECT_TRUE(handler_.screened().empty());
}

TEST_F(TlsListenerTest, SilentClientIsClosedAtHandshakeTimeout) {
  start(false);
  Client client(listener_->port());
  const auto connected = Clock::now();
  char byte = 0;
  beast::error_code ec;
  EXPECT_EQ(client.socket().read_some(net::buffer(&byte, 1), ec), 0u);
  EXPECT_EQ(ec, net::error::eof) << ec.message();
  EXPECT_GE(Clock::now() - connected, std::chrono::milliseconds(450));
  EXPECT_LT(Clock::now() - connected, std::chrono::milliseconds(3000));
}

TEST_F(TlsListenerTest, StalledRequestOverTlsIsAnswered408) {
  start(false);
  auto context = clientContext(pki_, nullptr);
  TlsClient client(listener_->port(), context);
  ASSERT_FALSE(client.handshake());
  net::write(client.stream(),
             net::buffer(std::string("POST /fhir/Patient HTTP/1.1\r\nHost: x\r\n")));
  bhttp::response<bhttp::string_body> response;
  bhttp::read(client.stream(), client.buffer(), response);
  EXPECT_EQ(response.result_int(), 408);
  EXPECT_EQ(response.body(),
            R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout",)"
            R"j("diagnostics":"request not complete within request_timeout (800 ms)"}]})j");
  EXPECT_FALSE(response.keep_alive());
}

TEST_F(TlsListenerTest, ScreenHeaderWorksOverTls) {
  start(false);
  auto context = clientContext(pki_, nullptr);
  TlsClient client(listener_->port(), context);
  auto request = makeRequest(bhttp::verb::post, "/screened");
  request.content_length(512);  // declared, never sent: only the screen can answer
  bhttp::response<bhttp::string_body> response;
  ASSERT_FALSE(client.exchange(request, response));
  EXPECT_EQ(response.result_int(), 401);
  EXPECT_EQ(response.body(), "refused");
  EXPECT_EQ(handler_.screened(), (std::vector<std::string>{"POST /screened [t1] body=0"}));
}

TEST_F(TlsListenerTest, MutualTlsPassesTheVerifiedSubjectToTheHandler) {
  start(true);
  auto context = clientContext(pki_, &pki_.client);
  TlsClient client(listener_->port(), context);
  bhttp::response<bhttp::string_body> response;
  ASSERT_FALSE(client.exchange(makeRequest(bhttp::verb::post, "/fhir/Patient", "{}"), response));
  EXPECT_EQ(response.result_int(), 201);
  EXPECT_EQ(handler_.subjects(), (std::vector<std::string>{"CN=engine-1,O=Example Clinic,C=US"}));
}

TEST_F(TlsListenerTest, MutualTlsRefusesAClientWithoutCertificate) {
  start(true);
  auto context = clientContext(pki_, nullptr);
  TlsClient client(listener_->port(), context);
  bhttp::response<bhttp::string_body> response;
  const beast::error_code ec = client.exchange(makeRequest(bhttp::verb::get, "/x"), response);
  EXPECT_EQ(sslReason(ec), SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED) << ec.message();
  EXPECT_TRUE(handler_.subjects().empty());
}

TEST_F(TlsListenerTest, MutualTlsRefusesACertificateFromAnotherCa) {
  start(true);
  auto context = clientContext(pki_, &pki_.foreignClient);
  TlsClient client(listener_->port(), context);
  bhttp::response<bhttp::string_body> response;
  const beast::error_code ec = client.exchange(makeRequest(bhttp::verb::get, "/x"), response);
  EXPECT_EQ(sslReason(ec), SSL_R_TLSV1_ALERT_UNKNOWN_CA) << ec.message();
  EXPECT_TRUE(handler_.subjects().empty());
}

// start() refuses unusable TLS files, naming the [serve] key and the file.
class TlsConfigTest : public ::testing::Test {
 protected:
  std::string startError(const TlsOptions& tls) {
    ListenerOptions options;
    options.tls = tls;
    auto listener = makeHttpListener(options, handler_);
    Status started = listener->start();
    if (started) return "started";
    EXPECT_EQ(started.error().code, ErrorCode::kConfig);
    return started.error().describe();
  }
  testpki::Pki pki_;
  EchoHandler handler_;
};

TEST_F(TlsConfigTest, MissingCertificate) {
  const auto missing = pki_.dir.path() / "missing.crt";
  EXPECT_EQ(startError({missing, pki_.server.keyFile, {}}),
            "serve.tls_cert: " + missing.string() + ": cannot read: No such file or directory");
}

TEST_F(TlsConfigTest, MissingKey) {
  const auto missing = pki_.dir.path() / "missing.key";
  EXPECT_EQ(startError({pki_.server.certFile, missing, {}}),
            "serve.tls_key: " + missing.string() + ": cannot read: No such file or directory");
}

TEST_F(TlsConfigTest, KeyOfAnotherCertificate) {
  EXPECT_EQ(startError({pki_.server.certFile, pki_.client.keyFile, {}}),
            "serve.tls_key: " + pki_.client.keyFile.string() + ": does not match the certificate " +
                pki_.server.certFile.string());
}

TEST_F(TlsConfigTest, KeyFileWithoutAKey) {
  EXPECT_EQ(
      startError({pki_.server.certFile, pki_.server.certFile, {}}),
      "serve.tls_key: " + pki_.server.certFile.string() + ": not an unencrypted PEM private key");
}

TEST_F(TlsConfigTest, CertificateFileWithoutACertificate) {
  EXPECT_EQ(startError({pki_.server.keyFile, pki_.server.keyFile, {}}),
            "serve.tls_cert: " + pki_.server.keyFile.string() + ": not a PEM certificate");
}

TEST_F(TlsConfigTest, MissingClientCa) {
  const auto missing = pki_.dir.path() / "missing-ca.crt";
  EXPECT_EQ(
      startError({pki_.server.certFile, pki_.server.keyFile, missing}),
      "serve.tls_client_ca: " + missing.string() + ": cannot read: No such file or directory");
}

}  // namespace
}  // namespace fhir837::http
