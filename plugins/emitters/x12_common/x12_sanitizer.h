#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fhir837::x12 {

// kBasic: A-Z 0-9 space and ! " & ' ( ) + , - . / ; ? = (the basic set minus the delimiters).
// kExtended adds % @ [ ] _ { } \ < > # $ | and the backquote, for values that are meaningless
// without them (an e-mail address); lower case is still folded, delimiters are still removed.
enum class CharacterSet { kBasic, kExtended };

inline constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);

// Makes arbitrary bytes safe to write as one X12 element value. The input may be UTF-8 or, where
// a byte sequence is not valid UTF-8, Latin-1. Letters are upper-cased; accented Latin letters
// are transliterated (é -> E, ñ -> N, ß -> SS, Œ -> OE); the delimiters * : ^ ~, control
// characters (CR, LF, tab...) and other white space become a space; everything else outside the
// character set (emoji, CJK, symbols) is dropped. Runs of spaces collapse to one, the result is
// trimmed, then cut to `maxLength` and trimmed again. The result never contains a delimiter.
std::string sanitizeValue(std::string_view raw, std::size_t maxLength = kNoLimit,
                          CharacterSet set = CharacterSet::kBasic);

// True when `c` may appear in a sanitised value of the given set.
bool isAllowedCharacter(char c, CharacterSet set = CharacterSet::kBasic);

}  // namespace fhir837::x12
