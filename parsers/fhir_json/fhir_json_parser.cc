#include "fhir_json/fhir_json_parser.h"

#include <utility>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "fhir_json/ascii_check.h"
#include "fhir_json/json_tree_builder.h"

namespace fhir837 {

namespace {

constexpr unsigned kAsciiParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
constexpr unsigned kParseFlags = kAsciiParseFlags | rapidjson::kParseValidateEncodingFlag;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

Result<FhirDocument> parseFhirJson(std::string_view bytes, std::string source,
                                   const ParseLimits& limits) {
  if (bytes.size() > limits.maxBytes) {
    return makeError(ErrorCode::kLimitExceeded,
                     "document of " + std::to_string(bytes.size()) +
                         " bytes is over the limit of " + std::to_string(limits.maxBytes),
                     std::move(source));
  }
  std::size_t base = bytes.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
  std::string_view text = bytes.substr(base);

  FhirDocument doc;
  doc.source = std::move(source);
  rapidjson::MemoryStream stream(text.data(), text.size());
  fhir_json::JsonTreeBuilder builder(doc.root, doc.source, limits, text, base, stream);
  rapidjson::Reader reader;
  rapidjson::ParseResult parsed = fhir_json::isAscii(text)
                                      ? reader.Parse<kAsciiParseFlags>(stream, builder)
                                      : reader.Parse<kParseFlags>(stream, builder);
  if (!parsed) {
    if (builder.abortError()) return *builder.abortError();
    return makeError(ErrorCode::kSyntax, rapidjson::GetParseError_En(parsed.Code()),
                     builder.byteWhere(parsed.Offset()));
  }
  // MemoryStream reads a NUL byte as the end of input, so RapidJSON accepts "{...}\0garbage".
  if (stream.Tell() != text.size()) {
    return makeError(ErrorCode::kSyntax,
                     rapidjson::GetParseError_En(rapidjson::kParseErrorDocumentRootNotSingular),
                     builder.byteWhere(stream.Tell()));
  }
  if (builder.shapeError()) return *builder.shapeError();
  if (!doc.root.isResource()) {
    return makeError(ErrorCode::kMissingElement, "the root object has no resourceType",
                     doc.source + ": Resource");
  }
  return doc;
}

}  // namespace fhir837
