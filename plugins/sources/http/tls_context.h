#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"

namespace boost::asio::ssl {
class context;
}
struct ssl_st;

namespace fhir837::http {

// PEM files from `[serve]`; no certificate means plain HTTP.
struct TlsOptions {
  std::filesystem::path certFile;
  std::filesystem::path keyFile;
  std::filesystem::path clientCaFile;  // set: mutual TLS (a client certificate is required)

  bool enabled() const { return !certFile.empty(); }
};

// A server context: TLS 1.2+ only, ECDHE with AES-GCM / CHACHA20-POLY1305 for TLS 1.2, the
// server's cipher order, no compression, no renegotiation. An unreadable file, a file without
// PEM, or a key that does not belong to the certificate is a kConfig error naming the `[serve]`
// key (serve.tls_cert, serve.tls_key, serve.tls_client_ca).
Result<std::shared_ptr<boost::asio::ssl::context>> makeServerTlsContext(const TlsOptions& options);

// The verified client certificate's subject in RFC 2253 form; empty when the peer sent none.
std::string verifiedClientSubject(ssl_st* ssl);

}  // namespace fhir837::http
