#include "emitters/x12_common/x12_sanitizer.h"

#include <cstdint>
#include <string_view>

namespace fhir837::x12 {

namespace {

constexpr std::string_view kBasicPunctuation = "!\"&'()+,-./;?=";
constexpr std::string_view kExtendedPunctuation = "%@[]_{}\\<>#$|`";
constexpr std::string_view kDelimiterCharacters = "*:^~";

// What one code point becomes: a space (separator), nothing, or ASCII text.
constexpr std::string_view kSpace = " ";

struct Transliteration {
  char32_t first, last;
  std::string_view ascii;
};

// Latin-1 Supplement letters and Latin Extended-A, grouped by base letter.
constexpr Transliteration kLatinLetters[] = {
    {0xC0, 0xC5, "A"},   {0xC6, 0xC6, "AE"},   {0xC7, 0xC7, "C"},   {0xC8, 0xCB, "E"},
    {0xCC, 0xCF, "I"},   {0xD0, 0xD0, "D"},    {0xD1, 0xD1, "N"},   {0xD2, 0xD6, "O"},
    {0xD8, 0xD8, "O"},   {0xD9, 0xDC, "U"},    {0xDD, 0xDD, "Y"},   {0xDE, 0xDE, "TH"},
    {0xDF, 0xDF, "SS"},  {0xE0, 0xE5, "A"},    {0xE6, 0xE6, "AE"},  {0xE7, 0xE7, "C"},
    {0xE8, 0xEB, "E"},   {0xEC, 0xEF, "I"},    {0xF0, 0xF0, "D"},   {0xF1, 0xF1, "N"},
    {0xF2, 0xF6, "O"},   {0xF8, 0xF8, "O"},    {0xF9, 0xFC, "U"},   {0xFD, 0xFD, "Y"},
    {0xFE, 0xFE, "TH"},  {0xFF, 0xFF, "Y"},    {0x100, 0x105, "A"}, {0x106, 0x10D, "C"},
    {0x10E, 0x111, "D"}, {0x112, 0x11B, "E"},  {0x11C, 0x123, "G"}, {0x124, 0x127, "H"},
    {0x128, 0x131, "I"}, {0x132, 0x133, "IJ"}, {0x134, 0x135, "J"}, {0x136, 0x138, "K"},
    {0x139, 0x142, "L"}, {0x143, 0x14B, "N"},  {0x14C, 0x151, "O"}, {0x152, 0x153, "OE"},
    {0x154, 0x159, "R"}, {0x15A, 0x161, "S"},  {0x162, 0x167, "T"}, {0x168, 0x173, "U"},
    {0x174, 0x175, "W"}, {0x176, 0x178, "Y"},  {0x179, 0x17E, "Z"}, {0x17F, 0x17F, "S"},
};

// Typographic punctuation that word processors and EHR free text commonly carry.
constexpr Transliteration kPunctuation[] = {
    {0x2010, 0x2015, "-"},   {0x2018, 0x201B, "'"}, {0x201C, 0x201F, "\""},
    {0x2026, 0x2026, "..."}, {0x2032, 0x2032, "'"}, {0x2033, 0x2033, "\""},
};

bool isSeparatorCodePoint(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

std::string_view mapAscii(char c, CharacterSet set, char& scratch) {
  if (c >= 'a' && c <= 'z') {
    scratch = static_cast<char>(c - 'a' + 'A');
    return {&scratch, 1};
  }
  if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
      kBasicPunctuation.find(c) != std::string_view::npos) {
    scratch = c;
    return {&scratch, 1};
  }
  if (c == ' ' || kDelimiterCharacters.find(c) != std::string_view::npos) return kSpace;
  if (set == CharacterSet::kExtended && kExtendedPunctuation.find(c) != std::string_view::npos) {
    scratch = c;
    return {&scratch, 1};
  }
  if (isSeparatorCodePoint(static_cast<unsigned char>(c))) return kSpace;
  return {};
}

std::string_view mapNonAscii(char32_t cp) {
  if (isSeparatorCodePoint(cp)) return kSpace;
  for (const auto& t : kLatinLetters) {
    if (cp >= t.first && cp <= t.last) return t.ascii;
  }
  for (const auto& t : kPunctuation) {
    if (cp >= t.first && cp <= t.last) return t.ascii;
  }
  return {};
}

// Decodes one strict UTF-8 sequence at `pos`; on an invalid sequence the byte is read as
// Latin-1, so legacy single-byte text still transliterates.
char32_t decodeAt(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(pos);
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, minimum = 0x10000;
  }
  if (length == 0 || pos + length > s.size()) {
    ++pos;
    return lead;
  }
  for (std::size_t i = 1; i < length; ++i) {
    unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return lead;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return lead;
  }
  pos += length;
  return cp;
}

}  // namespace

bool isAllowedCharacter(char c, CharacterSet set) {
  if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ') return true;
  if (kBasicPunctuation.find(c) != std::string_view::npos) return true;
  return set == CharacterSet::kExtended && kExtendedPunctuation.find(c) != std::string_view::npos;
}

std::string sanitizeValue(std::string_view raw, std::size_t maxLength, CharacterSet set) {
  std::string out;
  out.reserve(raw.size() < maxLength ? raw.size() : maxLength);
  bool pendingSpace = false;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    char scratch = 0;
    std::string_view piece;
    if (static_cast<unsigned char>(raw[pos]) < 0x80) {
      piece = mapAscii(raw[pos], set, scratch);
      ++pos;
    } else {
      piece = mapNonAscii(decodeAt(raw, pos));
    }
    if (piece.empty()) continue;
    if (piece == kSpace) {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) out.push_back(' ');
    pendingSpace = false;
    out.append(piece);
    if (out.size() > maxLength) break;  // enough to cut; the rest cannot come back
  }
  if (out.size() > maxLength) {
    out.resize(maxLength);
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

}  // namespace fhir837::x12
