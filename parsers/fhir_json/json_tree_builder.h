#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "core/error.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::fhir_json {

// RapidJSON SAX handler that builds the FhirNode tree directly (see fhir_json_parser.h for the
// rules). The parse stack lives in `frames_` (heap), never on the C++ stack, so input depth only
// costs memory, and the depth limit bounds that.
//
// Error policy: limit errors abort the parse at once (returning false), because continuing would
// spend the resources the limit protects. Shape errors (wrong JSON type for a FHIR element) are
// recorded and the rest of the document is only checked for syntax and limits, so a malformed
// document is always reported as kSyntax whatever else is wrong with it.
class JsonTreeBuilder {
 public:
  // `text` is the input after any BOM, read through `stream`; `baseOffset` (the BOM length) is
  // added to every reported offset so offsets count bytes of the caller's buffer.
  JsonTreeBuilder(FhirNode& root, const std::string& source, const ParseLimits& limits,
                  std::string_view text, std::size_t baseOffset,
                  const rapidjson::MemoryStream& stream);

  // The error that made a handler return false (RapidJSON then reports kParseErrorTermination).
  const std::optional<Error>& abortError() const { return abortError_; }
  // The first shape error, reported only when the document is otherwise well formed.
  const std::optional<Error>& shapeError() const { return shapeError_; }
  std::string byteWhere(std::size_t offsetInText) const;

  // rapidjson::Handler concept.
  bool Null();
  bool Bool(bool b);
  bool Int(int) { return numberWithoutLexeme(); }
  bool Uint(unsigned) { return numberWithoutLexeme(); }
  bool Int64(std::int64_t) { return numberWithoutLexeme(); }
  bool Uint64(std::uint64_t) { return numberWithoutLexeme(); }
  bool Double(double) { return numberWithoutLexeme(); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool copy);
  bool String(const char* str, rapidjson::SizeType length, bool copy);
  bool StartObject();
  bool Key(const char* str, rapidjson::SizeType length, bool copy);
  bool EndObject(rapidjson::SizeType memberCount);
  bool StartArray();
  bool EndArray(rapidjson::SizeType elementCount);

 private:
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;

  // `name` writes the value of a primitive (or a complex element); `_name` writes its id and
  // extensions into the same node(s).
  enum class Mode : std::uint8_t { kValue, kExtension };
  // Keys that do not become children.
  enum class Special : std::uint8_t { kNone, kResourceType, kSkip };
  // Per child list of an object: which of `name` / `_name` were seen, and whether `name` held an
  // object (a complex element, which cannot take `_name`).
  enum SlotFlag : std::uint8_t { kSeenValue = 1, kSeenExtension = 2, kComplex = 4 };
  enum SpecialSeen : std::uint8_t {
    kSeenResourceType = 1,
    kSeenResourceTypeExtension = 2,
    kSeenDiv = 4,
    kSeenDivExtension = 8,
  };

  struct Frame {
    bool isArray = false;
    FhirNode* node = nullptr;      // object: receives the properties; array: owns the list
    std::uint32_t slot = kNoSlot;  // index in node->children of the active property / the list
    std::size_t index = 0;         // array: index of the current item
    Mode mode = Mode::kValue;
    Special special = Special::kNone;  // object: the active key is not a child
    const char* specialName = nullptr;
    std::uint8_t specialSeen = 0;
    std::vector<std::uint8_t> slotFlags;  // object: one per node->children entry
    // Object: name -> slot for children[0, slotIndex.size()), built only for objects with many
    // properties so hostile documents cannot make key lookup quadratic.
    std::unordered_map<std::string, std::uint32_t> slotIndex;
  };

  // Start of the token just delivered: the previous token ended at prevEnd_, and only blanks,
  // ':' and ',' can separate two tokens that both produce callbacks.
  std::size_t tokenStart() const;
  // Offset of the bracket a Start*/End* callback reports; moves prevEnd_ past it.
  std::size_t bracketAt(char bracket);
  bool skipping() const { return shapeFailed_ || skipNest_ > 0; }
  bool checkLength(std::size_t length, std::size_t start, const char* what);
  bool enterContainer(std::size_t start);
  bool scalar(std::size_t start, std::string_view lexeme, PrimitiveKind kind);
  bool numberWithoutLexeme();

  Frame& pushFrame();
  Frame& top() { return frames_[used_ - 1]; }
  std::uint8_t& slotFlags(Frame& frame);
  // The node the next value of `frame` writes into, created (with placeholders) when needed.
  FhirNode& itemAt(const Frame& frame);
  // The value of the active key / array item is complete.
  static void finishValue(Frame& frame);
  std::uint32_t findOrAddSlot(Frame& frame, std::string_view name);
  // Drops array items left empty by nulls and merging, and lists left empty.
  static void dropEmpty(FhirNode& node);

  std::string path() const;
  std::string pathWhere() const { return source_ + ": " + path(); }
  bool fail(ErrorCode code, std::string message, std::string where);
  bool shapeFail(ErrorCode code, std::string message, std::string where);

  FhirNode& root_;
  const std::string& source_;
  const ParseLimits& limits_;
  std::string_view text_;
  std::size_t baseOffset_;
  const rapidjson::MemoryStream& stream_;

  std::vector<Frame> frames_;  // frames_[0, used_) are open; the rest keep their capacity
  std::size_t used_ = 0;
  std::size_t depth_ = 0;
  std::size_t skipNest_ = 0;  // containers open inside a skipped value
  std::size_t prevEnd_ = 0;
  bool shapeFailed_ = false;
  std::optional<Error> abortError_;
  std::optional<Error> shapeError_;
};

}  // namespace fhir837::fhir_json
