#pragma once

// A throwaway PKI made at test time with OpenSSL's C API (no key is ever committed): CAs and
// the server and client certificates they issue, written as PEM files into a temp dir.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "support/test_paths.h"

namespace fhir837::http::testpki {

struct Identity {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{nullptr, &EVP_PKEY_free};
  std::unique_ptr<X509, decltype(&X509_free)> cert{nullptr, &X509_free};
  std::filesystem::path certFile;
  std::filesystem::path keyFile;
};

using Names = std::vector<std::pair<std::string, std::string>>;  // ("CN", "engine-1"), ...

inline void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

inline void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  check(extension && X509_add_ext(cert, extension, -1) == 1, "extension");
  X509_EXTENSION_free(extension);
}

// A P-256 key and a certificate for `subject`, signed by `issuer` (self-signed when null), written
// to <dir>/<stem>.crt and <dir>/<stem>.key. `ca`: may issue certificates.
inline Identity issue(const std::filesystem::path& dir, const std::string& stem,
                      const Names& subject, const Identity* issuer, bool ca) {
  static long serial = 1;
  Identity identity;
  identity.key.reset(EVP_EC_gen("P-256"));
  check(identity.key != nullptr, "key");
  identity.cert.reset(X509_new());
  X509* cert = identity.cert.get();
  check(X509_set_version(cert, 2) == 1, "version");
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  check(X509_set_pubkey(cert, identity.key.get()) == 1, "public key");
  X509_NAME* name = X509_get_subject_name(cert);
  for (const auto& [field, value] : subject) {
    check(X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                     0) == 1,
          "subject");
  }
  X509* signer = issuer ? issuer->cert.get() : cert;
  check(X509_set_issuer_name(cert, X509_get_subject_name(signer)) == 1, "issuer");
  addExtension(cert, signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (ca) {
    addExtension(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    addExtension(cert, signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  }
  EVP_PKEY* signingKey = issuer ? issuer->key.get() : identity.key.get();
  check(X509_sign(cert, signingKey, EVP_sha256()) > 0, "sign");

  identity.certFile = dir / (stem + ".crt");
  identity.keyFile = dir / (stem + ".key");
  BIO* certOut = BIO_new_file(identity.certFile.c_str(), "w");
  check(certOut && PEM_write_bio_X509(certOut, cert) == 1, "write certificate");
  BIO_free(certOut);
  BIO* keyOut = BIO_new_file(identity.keyFile.c_str(), "w");
  check(keyOut && PEM_write_bio_PrivateKey(keyOut, identity.key.get(), nullptr, nullptr, 0, nullptr,
                                           nullptr) == 1,
        "write key");
  BIO_free(keyOut);
  return identity;
}

// Two unrelated CAs, a server certificate (localhost, 127.0.0.1) and a client certificate from
// the first, and a client certificate from the second.
struct Pki {
  fhir837::testing::TempDir dir;
  Identity ca = issue(dir.path(), "ca", {{"CN", "Test CA"}}, nullptr, true);
  Identity otherCa = issue(dir.path(), "other-ca", {{"CN", "Other CA"}}, nullptr, true);
  Identity server = issue(dir.path(), "server", {{"CN", "localhost"}}, &ca, false);
  Identity client = issue(dir.path(), "client",
                          {{"C", "US"}, {"O", "Example Clinic"}, {"CN", "engine-1"}}, &ca, false);
  Identity foreignClient =
      issue(dir.path(), "foreign-client", {{"CN", "intruder"}}, &otherCa, false);
};

}  // namespace fhir837::http::testpki
