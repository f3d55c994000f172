#include "engine/assembly/claim_id.h"

#include <cctype>
#include <cstdint>

namespace fhir837 {

namespace {

constexpr std::size_t kHashLength = 5;
constexpr std::size_t kKeptLength = kClaimIdMaxLength - kHashLength - 1;

bool isUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// FNV-1a 64: stable across builds and platforms (the id must not change between runs).
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string base36(std::uint64_t value, std::size_t length) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string out(length, '0');
  for (std::size_t i = length; i > 0; --i) {
    out[i - 1] = kDigits[value % 36];
    value /= 36;
  }
  return out;
}

}  // namespace

std::string deriveClaimId(std::string_view prefix, std::string_view source) {
  const std::string verbatim = std::string(prefix) + std::string(source);
  std::string sanitised;
  bool lossless = verbatim.size() <= kClaimIdMaxLength;
  for (char c : verbatim) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      sanitised.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    lossless = lossless && isUpperAlnum(c);
  }
  if (sanitised.empty()) return {};
  if (lossless) return sanitised;
  if (sanitised.size() > kKeptLength) sanitised.erase(0, sanitised.size() - kKeptLength);
  return sanitised + "-" + base36(fnv1a(verbatim), kHashLength);
}

}  // namespace fhir837
