#include "sources/http/bearer_auth.h"

#include <gtest/gtest.h>

namespace fhir837::http {
namespace {

std::string lineFor(const std::string& token, const std::string& scopes, const std::string& label) {
  return "sha256:" + toHex(sha256(token)) + " " + scopes + " " + label;
}

std::string errorOf(const std::string& text) {
  auto parsed = TokenSet::parse(text, "tokens.txt");
  if (parsed) return "parsed";
  return parsed.error().where + ": " + parsed.error().message;
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(toHex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenFileTest, ParsesHashesScopesAndLabelsSkippingCommentsAndBlankLines) {
  const std::string text =
      "# engines\n\n" + lineFor("token-a", "fhir:write,fhir:read", "engine-A") +
      "\r\n   # indented comment\n" + lineFor("token-b", "metrics", "prometheus") + "\n";
  auto tokens = TokenSet::parse(text, "tokens.txt");
  ASSERT_TRUE(tokens) << tokens.error();
  EXPECT_EQ(tokens->size(), 2u);
  const TokenSet::Match a = tokens->find("token-a");
  EXPECT_TRUE(a.found);
  EXPECT_EQ(a.label, "engine-A");
  EXPECT_EQ(a.scopes,
            static_cast<unsigned>(Scope::kFhirWrite) | static_cast<unsigned>(Scope::kFhirRead));
  const TokenSet::Match b = tokens->find("token-b");
  EXPECT_TRUE(b.found);
  EXPECT_EQ(b.label, "prometheus");
  EXPECT_EQ(b.scopes, static_cast<unsigned>(Scope::kMetrics));
  EXPECT_FALSE(tokens->find("token-c").found);
}

TEST(TokenFileTest, UpperCaseHexIsTheSameHash) {
  std::string hex = toHex(sha256("token-a"));
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto tokens = TokenSet::parse("sha256:" + hex + " admin ops\n", "t");
  ASSERT_TRUE(tokens);
  EXPECT_TRUE(tokens->find("token-a").found);
}

TEST(TokenFileTest, EachMalformedLineStopsWithFileLineAndWhy) {
  const std::string good = lineFor("token-a", "fhir:read", "engine-A") + "\n";
  EXPECT_EQ(errorOf(good + "sha256:abc fhir:read\n"),
            "tokens.txt:2: expected 'sha256:<64 hex digits> <scopes> <label>'");
  EXPECT_EQ(errorOf("# c\nplaintext-token fhir:read engine\n"),
            "tokens.txt:2: the token hash must be 'sha256:' and 64 hex digits (tokens are never "
            "stored in plaintext: make one with `fhir837 token new`)");
  EXPECT_EQ(errorOf("sha256:" + std::string(63, 'a') + " fhir:read engine\n"),
            "tokens.txt:1: the token hash must be 'sha256:' and 64 hex digits (tokens are never "
            "stored in plaintext: make one with `fhir837 token new`)");
  EXPECT_EQ(errorOf("sha256:" + std::string(63, 'a') + "g fhir:read engine\n"),
            "tokens.txt:1: the token hash must be 'sha256:' and 64 hex digits (tokens are never "
            "stored in plaintext: make one with `fhir837 token new`)");
  EXPECT_EQ(errorOf(lineFor("token-a", "fhir:read,fhir:delete", "engine")),
            "tokens.txt:1: unknown scope 'fhir:delete' (known: fhir:read, fhir:write, metrics, "
            "admin)");
  EXPECT_EQ(errorOf(lineFor("token-a", "fhir:read,,metrics", "engine")),
            "tokens.txt:1: empty scope in 'fhir:read,,metrics'");
  EXPECT_EQ(errorOf(lineFor("token-a", "fhir:read", "engine\"A")),
            "tokens.txt:1: the label must be 1 to 64 characters of A-Z a-z 0-9 . _ : @ -");
  EXPECT_EQ(errorOf(lineFor("token-a", "fhir:read", std::string(65, 'x'))),
            "tokens.txt:1: the label must be 1 to 64 characters of A-Z a-z 0-9 . _ : @ -");
  EXPECT_EQ(errorOf(lineFor("token-a", "fhir:read", "engine A")),
            "tokens.txt:1: unexpected 'A' after the label");
  EXPECT_EQ(errorOf(good + "\n" + lineFor("token-a", "metrics", "again")),
            "tokens.txt:3: the same token hash as line 1");
  EXPECT_EQ(errorOf("# nothing but comments\n\n"),
            "tokens.txt: no token in the file: every request would be refused (make one with "
            "`fhir837 token new`)");
}

TEST(TokenFileTest, FindComparesEveryEntryWhereverTheMatchIs) {
  std::string text;
  for (int i = 0; i < 5; ++i) {
    text += lineFor("token-" + std::to_string(i), "fhir:read", "e" + std::to_string(i)) + "\n";
  }
  auto tokens = TokenSet::parse(text, "t");
  ASSERT_TRUE(tokens);
  for (const char* presented : {"token-0", "token-4", "unknown"}) {
    std::size_t comparisons = 0;
    tokens->find(presented, &comparisons);
    EXPECT_EQ(comparisons, 5u) << presented;
  }
}

TEST(NewTokenTest, Is43Base64UrlCharactersAndNeverTheSame) {
  auto first = newToken();
  auto second = newToken();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->size(), 43u);
  EXPECT_EQ(
      first->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_NE(*first, *second);
}

TEST(NewTokenTest, FileLineListsScopesInCanonicalOrderAndParsesBack) {
  const unsigned scopes = *parseScopes("admin,fhir:read");
  const std::string line = tokenFileLine("secret-token", scopes, "ops");
  EXPECT_EQ(line, "sha256:" + toHex(sha256("secret-token")) + " fhir:read,admin ops");
  EXPECT_EQ(line.find("secret-token"), std::string::npos);
  auto tokens = TokenSet::parse(line, "t");
  ASSERT_TRUE(tokens);
  EXPECT_EQ(tokens->find("secret-token").scopes, scopes);
}

class AuthorizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = TokenSet::parse(lineFor("reader-token", "fhir:read", "reader") + "\n", "t");
    ASSERT_TRUE(parsed);
    tokens_ = std::move(*parsed);
  }
  AuthDecision::Kind decide(const std::string& authorization, Scope scope) {
    HttpRequest request;
    request.method = "GET";
    request.target = "/fhir/metadata";
    if (!authorization.empty()) request.headers.emplace_back("authorization", authorization);
    return authorize(tokens_, request, scope).kind;
  }
  TokenSet tokens_;
};

TEST_F(AuthorizeTest, MissingInvalidForbiddenAllowed) {
  using Kind = AuthDecision::Kind;
  EXPECT_EQ(decide("", Scope::kFhirRead), Kind::kMissing);
  EXPECT_EQ(decide("Basic dXNlcjpwYXNz", Scope::kFhirRead), Kind::kMissing);
  EXPECT_EQ(decide("Bearer ", Scope::kFhirRead), Kind::kMissing);
  EXPECT_EQ(decide("Bearer wrong-token", Scope::kFhirRead), Kind::kInvalid);
  EXPECT_EQ(decide("Bearer reader token", Scope::kFhirRead), Kind::kInvalid);
  EXPECT_EQ(decide("Bearer reader-token", Scope::kFhirWrite), Kind::kForbidden);
  EXPECT_EQ(decide("Bearer reader-token", Scope::kFhirRead), Kind::kAllowed);
  EXPECT_EQ(decide("bearer reader-token", Scope::kFhirRead), Kind::kAllowed);
}

TEST(AuthRefusalTest, ExactStatusHeadersAndBodies) {
  const HttpResponse missing = authRefusal({AuthDecision::Kind::kMissing, {}}, Scope::kFhirWrite);
  EXPECT_EQ(missing.status, 401);
  ASSERT_EQ(missing.headers.size(), 2u);
  EXPECT_EQ(missing.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(missing.headers[0].second, "Bearer realm=\"fhir837\"");
  EXPECT_EQ(missing.headers[1].second, "application/fhir+json; charset=utf-8");
  EXPECT_EQ(missing.body,
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
            "\"login\",\"diagnostics\":\"authentication required: send Authorization: Bearer "
            "<token>\"}]}");
  const HttpResponse invalid = authRefusal({AuthDecision::Kind::kInvalid, {}}, Scope::kFhirWrite);
  EXPECT_EQ(invalid.status, 401);
  EXPECT_EQ(invalid.headers[0].second, "Bearer realm=\"fhir837\", error=\"invalid_token\"");
  EXPECT_EQ(invalid.body,
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
            "\"login\",\"diagnostics\":\"the bearer token is not valid\"}]}");
  const HttpResponse forbidden =
      authRefusal({AuthDecision::Kind::kForbidden, "reader"}, Scope::kFhirWrite);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.headers[0].second,
            "Bearer realm=\"fhir837\", error=\"insufficient_scope\", scope=\"fhir:write\"");
  EXPECT_EQ(forbidden.body,
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
            "\"forbidden\",\"diagnostics\":\"this request needs the scope fhir:write, which the "
            "token does not have\"}]}");
}

}  // namespace
}  // namespace fhir837::http
