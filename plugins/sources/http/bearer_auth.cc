#include "sources/http/bearer_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "sources/http/fhir_out.h"
#include "sources/http/rest_documents.h"

namespace fhir837::http {

namespace {

constexpr std::pair<std::string_view, Scope> kScopes[] = {{"fhir:read", Scope::kFhirRead},
                                                          {"fhir:write", Scope::kFhirWrite},
                                                          {"metrics", Scope::kMetrics},
                                                          {"admin", Scope::kAdmin}};

std::optional<Digest> parseHexDigest(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Digest digest{};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    const int high = nibble(hex[2 * i]), low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return digest;
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// RFC 6750 b64token: what a bearer token may be made of.
bool isB64Token(std::string_view token) {
  if (token.empty() || token.size() > 512) return false;
  std::size_t i = 0;
  for (; i < token.size() && token[i] != '='; ++i) {
    const char c = token[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    if (!ok) return false;
  }
  if (i == 0) return false;
  for (; i < token.size(); ++i) {
    if (token[i] != '=') return false;
  }
  return true;
}

}  // namespace

std::string_view scopeName(Scope scope) {
  for (const auto& [name, value] : kScopes) {
    if (value == scope) return name;
  }
  return "?";
}

Result<unsigned> parseScopes(std::string_view list) {
  unsigned scopes = 0;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view name = list.substr(start, comma - start);
    if (name.empty()) {
      return makeError(ErrorCode::kConfig, "empty scope in '" + std::string(list) + "'");
    }
    bool known = false;
    for (const auto& [scopeText, value] : kScopes) {
      if (name == scopeText) {
        scopes |= static_cast<unsigned>(value);
        known = true;
      }
    }
    if (!known) {
      return makeError(ErrorCode::kConfig, "unknown scope '" + std::string(name) +
                                               "' (known: fhir:read, fhir:write, metrics, admin)");
    }
    start = comma + 1;
  }
  return scopes;
}

bool isValidLabel(std::string_view label) {
  if (label.empty() || label.size() > 64) return false;
  for (char c : label) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Digest sha256(std::string_view bytes) {
  Digest digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

std::string toHex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

Result<std::string> newToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return makeError(ErrorCode::kIo, "the random generator (RAND_bytes) failed");
  }
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token;
  std::uint32_t bits = 0;
  int held = 0;
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    held += 8;
    while (held >= 6) {
      held -= 6;
      token += kAlphabet[(bits >> held) & 63];
    }
  }
  if (held > 0) token += kAlphabet[(bits << (6 - held)) & 63];
  OPENSSL_cleanse(bytes, sizeof bytes);
  return token;
}

std::string tokenFileLine(std::string_view token, unsigned scopes, std::string_view label) {
  std::string line = "sha256:" + toHex(sha256(token)) + " ";
  bool first = true;
  for (const auto& [name, value] : kScopes) {
    if (!(scopes & static_cast<unsigned>(value))) continue;
    if (!first) line += ',';
    line += name;
    first = false;
  }
  return line + " " + std::string(label);
}

Result<TokenSet> TokenSet::parse(std::string_view text, const std::string& fileName) {
  TokenSet set;
  std::vector<std::size_t> lineOf;
  std::size_t number = 0, start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> parts = fields(line);
    if (parts.empty() || parts[0].front() == '#') continue;
    const std::string where = fileName + ":" + std::to_string(number);
    auto fail = [&](const std::string& why) { return makeError(ErrorCode::kConfig, why, where); };
    if (parts.size() < 3) {
      return fail("expected 'sha256:<64 hex digits> <scopes> <label>'");
    }
    std::optional<Digest> digest;
    if (parts[0].starts_with("sha256:")) digest = parseHexDigest(parts[0].substr(7));
    if (!digest) {
      return fail(
          "the token hash must be 'sha256:' and 64 hex digits (tokens are never stored in "
          "plaintext: make one with `fhir837 token new`)");
    }
    auto scopes = parseScopes(parts[1]);
    if (!scopes) return fail(scopes.error().message);
    if (!isValidLabel(parts[2])) {
      return fail("the label must be 1 to 64 characters of A-Z a-z 0-9 . _ : @ -");
    }
    if (parts.size() > 3) {
      return fail("unexpected '" + std::string(parts[3]) + "' after the label");
    }
    for (std::size_t i = 0; i < set.entries_.size(); ++i) {
      if (set.entries_[i].digest == *digest) {
        return fail("the same token hash as line " + std::to_string(lineOf[i]));
      }
    }
    set.entries_.push_back(Entry{*digest, *scopes, std::string(parts[2])});
    lineOf.push_back(number);
  }
  if (set.entries_.empty()) {
    return makeError(ErrorCode::kConfig,
                     "no token in the file: every request would be refused (make one with "
                     "`fhir837 token new`)",
                     fileName);
  }
  return set;
}

Result<TokenSet> TokenSet::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return makeError(ErrorCode::kConfig, "cannot read the tokens file", file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

TokenSet::Match TokenSet::find(std::string_view token, std::size_t* comparisons) const {
  const Digest presented = sha256(token);
  Match match;
  for (const Entry& entry : entries_) {
    // No early exit: every entry is compared whether or not one matched already (parse()
    // refuses duplicate hashes, so at most one does).
    const bool same = CRYPTO_memcmp(entry.digest.data(), presented.data(), 32) == 0;
    if (same) match = Match{true, entry.scopes, entry.label};
    if (comparisons) ++*comparisons;
  }
  return match;
}

AuthDecision authorize(const TokenSet& tokens, const HttpRequest& request, Scope required) {
  const std::string& header = request.header("authorization");
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {AuthDecision::Kind::kMissing, {}};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
      return {AuthDecision::Kind::kMissing, {}};  // another scheme: no bearer token given
    }
  }
  std::string_view token(header);
  token.remove_prefix(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (!isB64Token(token)) return {AuthDecision::Kind::kInvalid, {}};
  const TokenSet::Match match = tokens.find(token);
  if (!match.found) return {AuthDecision::Kind::kInvalid, {}};
  if (!(match.scopes & static_cast<unsigned>(required))) {
    return {AuthDecision::Kind::kForbidden, match.label};
  }
  return {AuthDecision::Kind::kAllowed, match.label};
}

HttpResponse authRefusal(const AuthDecision& decision, Scope required) {
  const std::string scope(scopeName(required));
  HttpResponse response;
  std::string code, diagnostics;
  switch (decision.kind) {
    case AuthDecision::Kind::kMissing:
      response.status = 401;
      response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"fhir837\"");
      code = "login";
      diagnostics = "authentication required: send Authorization: Bearer <token>";
      break;
    case AuthDecision::Kind::kInvalid:
      response.status = 401;
      response.headers.emplace_back("WWW-Authenticate",
                                    "Bearer realm=\"fhir837\", error=\"invalid_token\"");
      code = "login";
      diagnostics = "the bearer token is not valid";
      break;
    case AuthDecision::Kind::kForbidden:
    case AuthDecision::Kind::kAllowed:
      response.status = 403;
      response.headers.emplace_back(
          "WWW-Authenticate",
          "Bearer realm=\"fhir837\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
      code = "forbidden";
      diagnostics = "this request needs the scope " + scope + ", which the token does not have";
      break;
  }
  response.headers.emplace_back("Content-Type", contentTypeOf(serve::BodyFormat::kJson));
  response.body = render(operationOutcome({OutcomeIssue{"error", code, diagnostics, {}}}),
                         serve::BodyFormat::kJson);
  return response;
}

}  // namespace fhir837::http
