#include "sources/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fhir837::http {

namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites with forward secrecy and AEAD only; TLS 1.3 suites are all AEAD already.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Error tlsError(const char* key, const std::filesystem::path& file, const std::string& message) {
  return makeError(ErrorCode::kConfig, file.string() + ": " + message, std::string("serve.") + key);
}

// The whole file, or an error saying why it cannot be read (errno text).
Result<std::string> readPem(const char* key, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return tlsError(key, file, std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return tlsError(key, file, std::string("cannot read: ") + std::strerror(errno));
  return text.str();
}

// Refuses to ask for a passphrase: a daemon has no terminal to ask at.
int noPassphrase(char*, int, int, void*) { return 0; }

Status useCertificate(ssl::context& context, const TlsOptions& options) {
  auto pem = readPem("tls_cert", options.certFile);
  if (!pem) return pem.error();
  if (SSL_CTX_use_certificate_chain_file(context.native_handle(), options.certFile.c_str()) != 1) {
    ERR_clear_error();
    return tlsError("tls_cert", options.certFile, "not a PEM certificate");
  }
  auto keyPem = readPem("tls_key", options.keyFile);
  if (!keyPem) return keyPem.error();
  BIO* in = BIO_new_mem_buf(keyPem->data(), static_cast<int>(keyPem->size()));
  EVP_PKEY* key = in ? PEM_read_bio_PrivateKey(in, nullptr, &noPassphrase, nullptr) : nullptr;
  BIO_free(in);
  if (!key) {
    ERR_clear_error();
    return tlsError("tls_key", options.keyFile, "not an unencrypted PEM private key");
  }
  // OpenSSL checks the key against the certificate here.
  const int used = SSL_CTX_use_PrivateKey(context.native_handle(), key);
  EVP_PKEY_free(key);
  if (used != 1 || SSL_CTX_check_private_key(context.native_handle()) != 1) {
    ERR_clear_error();
    return tlsError("tls_key", options.keyFile,
                    "does not match the certificate " + options.certFile.string());
  }
  return Status::ok();
}

Status requireClientCertificates(ssl::context& context, const std::filesystem::path& caFile) {
  auto pem = readPem("tls_client_ca", caFile);
  if (!pem) return pem.error();
  SSL_CTX* native = context.native_handle();
  if (SSL_CTX_load_verify_locations(native, caFile.c_str(), nullptr) != 1) {
    ERR_clear_error();
    return tlsError("tls_client_ca", caFile, "not a PEM CA bundle");
  }
  // The CA names are sent in the CertificateRequest so a client picks the right certificate.
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(caFile.c_str());
  if (!names) {
    ERR_clear_error();
    return tlsError("tls_client_ca", caFile, "holds no CA certificate");
  }
  SSL_CTX_set_client_CA_list(native, names);
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return Status::ok();
}

}  // namespace

Result<std::shared_ptr<ssl::context>> makeServerTlsContext(const TlsOptions& options) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    throw std::logic_error("OpenSSL refused the built-in TLS 1.2 cipher list");
  }
  if (Status used = useCertificate(*context, options); !used) return used.error();
  if (!options.clientCaFile.empty()) {
    if (Status required = requireClientCertificates(*context, options.clientCaFile); !required) {
      return required.error();
    }
  }
  return context;
}

std::string verifiedClientSubject(ssl_st* ssl) {
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (!peer || SSL_get_verify_result(ssl) != X509_V_OK) return {};
  BIO* out = BIO_new(BIO_s_mem());
  if (!out) return {};
  X509_NAME_print_ex(out, X509_get_subject_name(peer), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  std::string subject(data, static_cast<std::size_t>(size > 0 ? size : 0));
  BIO_free(out);
  return subject;
}

}  // namespace fhir837::http
