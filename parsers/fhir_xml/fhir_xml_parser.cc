#include "fhir_xml/fhir_xml_parser.h"

#include <algorithm>
#include <cctype>

#include <pugixml.hpp>

#include "fhir_xml/xml_element_converter.h"

namespace fhir837 {
namespace {

// pugixml never expands DTD entities, but parse_doctype keeps the DOCTYPE as a node so it can be
// rejected: FHIR XML forbids DTDs, and refusing them outright rules out entity tricks (billion
// laughs, XXE) whatever a later pugixml version might do with them.
// The declaration is kept to check its encoding. Comments and PIs are not kept (ignored); CDATA is
// kept so that text hidden in it is rejected like any other text content.
constexpr unsigned kParseFlags = pugi::parse_escapes | pugi::parse_eol |
                                 pugi::parse_wconv_attribute | pugi::parse_doctype |
                                 pugi::parse_cdata | pugi::parse_declaration;

std::string atByte(const std::string& source, std::ptrdiff_t offset) {
  return source + ": byte " + std::to_string(offset);
}

// Offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or npos. pugixml copies bytes through unchecked, and the
// JSON parser rejects bad UTF-8, so the two formats only agree if this one checks too.
std::size_t firstInvalidUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t size = bytes.size();
  std::size_t i = 0;
  while (i < size) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (size - i < length) return i;
    if (p[i + 1] < low || p[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

// Offset of the first '&' that does not start one of XML's predefined entities or a character
// reference, or npos. pugixml passes an undefined reference (`&nbsp;`) or a bare '&' through as
// text; XML makes both a well-formedness error (no DTD can define entities: DOCTYPE is refused).
// Comments, CDATA sections and processing instructions may hold a raw '&' and are skipped.
std::size_t firstBadReference(std::string_view bytes) {
  constexpr std::string_view kSkipped[][2] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}};
  std::size_t i = 0;
  while ((i = bytes.find_first_of("<&", i)) != std::string_view::npos) {
    if (bytes[i] == '<') {
      std::size_t next = i + 1;
      for (const auto& [open, close] : kSkipped) {
        if (bytes.substr(i, open.size()) != open) continue;
        std::size_t end = bytes.find(close, i + open.size());
        if (end == std::string_view::npos) return std::string_view::npos;  // pugixml refused it
        next = end + close.size();
        break;
      }
      i = next;
      continue;
    }
    std::size_t semicolon = bytes.find(';', i + 1);
    if (semicolon == std::string_view::npos || semicolon - i > 12) return i;
    std::string_view name = bytes.substr(i + 1, semicolon - i - 1);
    bool ok = name == "lt" || name == "gt" || name == "amp" || name == "quot" || name == "apos";
    if (!ok && name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x';
      std::string_view digits = name.substr(hex ? 2 : 1);
      ok = !digits.empty() && std::all_of(digits.begin(), digits.end(), [hex](char c) {
        return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                   : std::isdigit(static_cast<unsigned char>(c)) != 0;
      });
    }
    if (!ok) return i;
    i = semicolon + 1;
  }
  return std::string_view::npos;
}

bool isUtf8Label(std::string_view label) {
  std::string lower;
  for (char c : label) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "utf-8" || lower == "utf8";
}

}  // namespace

Result<FhirDocument> parseFhirXml(std::string_view bytes, std::string source,
                                  const ParseLimits& limits) {
  if (bytes.size() > limits.maxBytes) {
    return makeError(ErrorCode::kLimitExceeded,
                     "document of " + std::to_string(bytes.size()) +
                         " bytes exceeds the limit of " + std::to_string(limits.maxBytes),
                     source);
  }
  if (std::size_t bad = firstInvalidUtf8(bytes); bad != std::string_view::npos) {
    return makeError(ErrorCode::kSyntax, "invalid UTF-8",
                     atByte(source, static_cast<std::ptrdiff_t>(bad)));
  }
  pugi::xml_document xml;
  pugi::xml_parse_result parsed =
      xml.load_buffer(bytes.data(), bytes.size(), kParseFlags, pugi::encoding_utf8);
  if (!parsed) {
    return makeError(ErrorCode::kSyntax, parsed.description(), atByte(source, parsed.offset));
  }
  pugi::xml_node root;
  for (pugi::xml_node node : xml.children()) {
    if (node.type() == pugi::node_doctype) {
      return makeError(ErrorCode::kUnsupported,
                       "DOCTYPE / DTD is not allowed in FHIR XML (no entity expansion)",
                       atByte(source, node.offset_debug()));
    }
    if (node.type() == pugi::node_declaration) {
      pugi::xml_attribute encoding = node.attribute("encoding");
      if (encoding && !isUtf8Label(encoding.value())) {
        return makeError(ErrorCode::kUnsupported, "FHIR XML must be UTF-8",
                         atByte(source, node.offset_debug()));
      }
      continue;
    }
    if (node.type() != pugi::node_element) continue;
    if (root) {
      return makeError(ErrorCode::kSyntax, "more than one root element",
                       atByte(source, node.offset_debug()));
    }
    root = node;
  }
  if (std::size_t bad = firstBadReference(bytes); bad != std::string_view::npos) {
    return makeError(ErrorCode::kSyntax,
                     "undefined entity or bare '&' (XML defines only &lt; &gt; &amp; &quot; "
                     "&apos; and character references)",
                     atByte(source, static_cast<std::ptrdiff_t>(bad)));
  }
  FhirDocument document;
  document.source = std::move(source);
  fhir_xml::XmlElementConverter converter(document.source, limits);
  if (Status ok = converter.convertRoot(root, document.root); !ok) return ok.error();
  return document;
}

}  // namespace fhir837
