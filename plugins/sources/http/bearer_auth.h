#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sources/http/fhir_http_types.h"

namespace fhir837::http {

// What a bearer token may do. fhir:read: GET (reads, $billing, metadata); fhir:write: POST and
// PUT (resources, Bundles, $process-message); metrics: GET /metrics; admin: the admin mounts.
enum class Scope : unsigned { kFhirRead = 1, kFhirWrite = 2, kMetrics = 4, kAdmin = 8 };
std::string_view scopeName(Scope scope);
// "fhir:write,fhir:read" -> a set of Scope bits; the error names the bad scope.
Result<unsigned> parseScopes(std::string_view list);
// 1 to 64 of A-Z a-z 0-9 . _ : @ - (labels are logged, so nothing else).
bool isValidLabel(std::string_view label);

using Digest = std::array<unsigned char, 32>;
Digest sha256(std::string_view bytes);  // OpenSSL EVP
std::string toHex(const Digest& digest);

// A new token: 32 bytes from RAND_bytes, base64url without padding (43 characters).
Result<std::string> newToken();
// The tokens-file line for `token`: "sha256:<64 hex> <scopes> <label>".
std::string tokenFileLine(std::string_view token, unsigned scopes, std::string_view label);

// The `[serve] tokens` file: one "sha256:<64 hex> <scopes> <label>" a line, # comments and blank
// lines ignored. Only hashes are stored: a stolen file gives no token.
class TokenSet {
 public:
  // Errors name "<file>:<line>" and why; no line at all is an error too (every request would be
  // refused).
  static Result<TokenSet> parse(std::string_view text, const std::string& fileName);
  static Result<TokenSet> load(const std::filesystem::path& file);

  struct Match {
    bool found = false;
    unsigned scopes = 0;
    std::string label;
  };
  // Hashes the presented token and compares it with EVERY entry in constant time (CRYPTO_memcmp,
  // no early exit), so the time taken says nothing about which entry, if any, matched.
  // `comparisons` (tests) counts the digest comparisons made.
  Match find(std::string_view token, std::size_t* comparisons = nullptr) const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Digest digest;
    unsigned scopes;
    std::string label;
  };
  std::vector<Entry> entries_;
};

// The authentication and scope decision for one request, made from its headers alone.
struct AuthDecision {
  enum class Kind { kAllowed, kMissing, kInvalid, kForbidden } kind = Kind::kAllowed;
  std::string label;  // the token's label when it was valid
};
AuthDecision authorize(const TokenSet& tokens, const HttpRequest& request, Scope required);
// 401 (missing or invalid: WWW-Authenticate, OperationOutcome "login") or 403 (forbidden).
HttpResponse authRefusal(const AuthDecision& decision, Scope required);

}  // namespace fhir837::http
