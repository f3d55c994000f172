// RapidJSON's SSE2 paths (whitespace, unescaped string runs) exist only for the NUL-terminated
// string streams this binder parses in situ; every x86-64 CPU has SSE2. Nothing else in fhir837
// parses in situ, so no other translation unit instantiates the same RapidJSON templates.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif

#include "fhir_json/json_model_binder.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <rapidjson/reader.h>

#include "fhir_json/ascii_check.h"
#include "fhir_json/sax_schema.h"

namespace fhir837 {

namespace {

using fhir_json::sax::ExtensionValue;
using fhir_json::sax::Field;
using fhir_json::sax::FieldKind;
using fhir_json::sax::Schema;

constexpr unsigned kAsciiParseFlags = rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                                      rapidjson::kParseNumbersAsStringsFlag;
constexpr unsigned kParseFlags = kAsciiParseFlags | rapidjson::kParseValidateEncodingFlag;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// In-situ parsing needs a writable, NUL-terminated copy. Each thread keeps one for lines and
// small documents; bigger documents get their own, so no thread holds a large buffer for good.
constexpr std::size_t kKeptBufferBytes = 1u << 20;
// The SSE2 scans read whole aligned 16-byte blocks, up to 15 bytes past the terminating NUL.
constexpr std::size_t kSimdSlack = 16;

// Above this many keys in one object the binder declines: its duplicate check is a linear scan,
// and the tree builder indexes such objects instead.
constexpr std::size_t kMaxKeysPerObject = 64;

// RapidJSON 1.1.0's SSE2 string scan (used when encoding validation is off, i.e. for ASCII input)
// tests control characters as <= 0x19, so it lets 0x1A-0x1F through where the byte-wise parser
// (the tree path's) rejects them. They are invalid anywhere in JSON: such input is declined.
bool hasSse2BlindControl(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  // Bit Twiddling Hacks' hasbetween(x, 0x19, 0x20): exact, no carries cross bytes.
  auto between = [](std::uint64_t x) {
    std::uint64_t low = x & (kOnes * 127);
    return ((kOnes * (127 + 0x20) - low) & ~x & (low + kOnes * (127 - 0x19)) & kHigh) != 0;
  };
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    if (between(word)) return true;
  }
  for (; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c > 0x19 && c < 0x20) return true;
  }
  return false;
}

// A key's fingerprint for the duplicate check: equal keys always match, so duplicates are always
// caught; two different keys that collide only make the binder decline (never a wrong model).
// Length and the first and last 8 bytes cover every key of 16 bytes or less, i.e. nearly all.
std::uint64_t keyHash(std::string_view key) {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  std::size_t n = key.size();
  std::memcpy(&head, key.data(), n < 8 ? n : 8);
  if (n > 8) std::memcpy(&tail, key.data() + (n < 16 ? 8 : n - 8), n < 16 ? n - 8 : 8);
  std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail + n);
  return h ^ (h >> 29);
}

// The active "field" of an Extension object after a `value*` key.
const Field kExtensionValue{"value[x]"};

// RapidJSON handler. Every `return false` is a decline: RapidJSON stops at once, and the caller
// falls back to the tree path. The JSON rules mirrored here are those of JsonTreeBuilder
// (fhir_json_parser.h); the binding rules those of bind::bindFields and bind::bindMember.
class ModelBinder {
 public:
  explicit ModelBinder(const ParseLimits& limits) : limits_(limits) { frames_.reserve(16); }

  AnyResource& result() { return result_; }
  bool complete() const { return frames_.empty() && started_; }

  bool Null() { return false; }  // the tree drops nulls, and may drop their parents with them
  bool Bool(bool b) { return scalar(b ? "true" : "false", PrimitiveKind::kBool); }
  bool Int(int) { return false; }  // kParseNumbersAsStringsFlag routes numbers to RawNumber
  bool Uint(unsigned) { return false; }
  bool Int64(std::int64_t) { return false; }
  bool Uint64(std::uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
    return length <= limits_.maxStringBytes &&
           scalar(std::string_view(str, length), PrimitiveKind::kNumber);
  }
  bool String(const char* str, rapidjson::SizeType length, bool) {
    return length <= limits_.maxStringBytes &&
           scalar(std::string_view(str, length), PrimitiveKind::kString);
  }
  bool StartObject();
  bool Key(const char* str, rapidjson::SizeType length, bool);
  bool EndObject(rapidjson::SizeType);
  bool StartArray();
  bool EndArray(rapidjson::SizeType elementCount);

 private:
  enum class Kind : std::uint8_t {
    kObject,      // a modelled object: `target` filled by `schema`
    kArray,       // the items of the repeated `field` of `target`
    kResource,    // an object whose first key must be resourceType, into AnyResource `target`
    kSkipObject,  // an element the model does not keep
    kSkipArray,
  };

  struct Frame {
    Kind kind;
    void* target = nullptr;
    const Schema* schema = nullptr;
    const Field* field = nullptr;  // object: the element of the current key (nullptr: skipped)
    std::uint32_t choices = 0;     // object: choice groups seen
    std::uint32_t keysBegin = 0;   // object: its key hashes are keys_[keysBegin, ...)
    std::uint32_t keptKeys = 0;    // object: keys other than "div" (which the tree drops)
  };

  bool enter() {
    if (depth_ >= limits_.maxDepth) return false;
    ++depth_;
    return true;
  }
  void push(Kind kind, void* target = nullptr, const Schema* schema = nullptr,
            const Field* field = nullptr) {
    Frame frame{kind, target, schema, field};
    frame.keysBegin = static_cast<std::uint32_t>(keys_.size());
    frames_.push_back(frame);
  }
  // The field the next value belongs to, and the object it writes into; consumes an object
  // frame's current key.
  const Field* takeField(Frame& frame) {
    const Field* field = frame.field;
    if (frame.kind == Kind::kObject) frame.field = nullptr;
    return field;
  }
  void setLeaf(std::string_view lexeme, PrimitiveKind kind) {
    leaf_.value.assign(lexeme);
    leaf_.kind = kind;
  }
  bool scalar(std::string_view lexeme, PrimitiveKind kind);

  const ParseLimits& limits_;
  AnyResource result_;
  bool started_ = false;
  std::vector<Frame> frames_;
  std::vector<std::uint64_t> keys_;
  std::size_t depth_ = 0;
  bool pendingType_ = false;  // the key just read is a resource's resourceType
  std::string extensionKey_;  // the `value*` key just read in an Extension
  FhirNode leaf_;             // reused for every primitive: bound by the tree's own binders
};

bool ModelBinder::scalar(std::string_view lexeme, PrimitiveKind kind) {
  if (frames_.empty()) return false;  // the root must be an object
  Frame& frame = frames_.back();
  switch (frame.kind) {
    case Kind::kSkipObject:
    case Kind::kSkipArray:
      return true;
    case Kind::kResource: {
      // An empty resourceType makes no resource node in the tree.
      if (!pendingType_ || kind != PrimitiveKind::kString || lexeme.empty()) return false;
      pendingType_ = false;
      void* target = nullptr;
      const Schema* schema = nullptr;
      if (!fhir_json::sax::startResource(lexeme, *static_cast<AnyResource*>(frame.target), target,
                                         schema)) {
        return false;
      }
      frame.kind = Kind::kObject;
      frame.target = target;
      frame.schema = schema;
      return true;
    }
    case Kind::kObject:
    case Kind::kArray:
      break;
  }
  const Field* field = takeField(frame);
  if (field == nullptr) return true;  // an element the model does not keep
  setLeaf(lexeme, kind);
  if (field == &kExtensionValue) {
    return fhir_json::sax::bindExtensionScalar(*static_cast<Extension*>(frame.target),
                                               extensionKey_, leaf_)
        .has_value();
  }
  return field->kind == FieldKind::kPrimitive &&
         field->bindPrimitive(frame.target, leaf_).has_value();
}

bool ModelBinder::StartObject() {
  if (!enter()) return false;
  if (frames_.empty()) {
    if (started_) return false;
    started_ = true;
    push(Kind::kResource, &result_);
    return true;
  }
  Frame& frame = frames_.back();
  switch (frame.kind) {
    case Kind::kSkipObject:
    case Kind::kSkipArray:
      push(Kind::kSkipObject);
      return true;
    case Kind::kResource:
      return false;  // resourceType holding an object
    case Kind::kObject:
    case Kind::kArray:
      break;
  }
  void* owner = frame.target;
  const Field* field = takeField(frame);
  if (field == nullptr) {
    push(Kind::kSkipObject);
    return true;
  }
  if (field == &kExtensionValue) {
    void* target = nullptr;
    const Schema* schema = nullptr;
    std::string_view suffix = std::string_view(extensionKey_).substr(5);  // after "value"
    switch (fhir_json::sax::startExtensionValue(*static_cast<Extension*>(owner), suffix, target,
                                                schema)) {
      case ExtensionValue::kDecline:
        return false;
      case ExtensionValue::kSkip:
        push(Kind::kSkipObject);
        return true;
      case ExtensionValue::kBind:
        push(Kind::kObject, target, schema);
        return true;
    }
    return false;
  }
  switch (field->kind) {
    case FieldKind::kComplex:
      push(Kind::kObject, field->enter(owner), &field->child());
      return true;
    case FieldKind::kResource:
      push(Kind::kResource, field->enter(owner));
      return true;
    case FieldKind::kPrimitive:
    case FieldKind::kDecline:
      break;
  }
  return false;
}

bool ModelBinder::Key(const char* str, rapidjson::SizeType length, bool) {
  if (length > limits_.maxStringBytes) return false;
  std::string_view key(str, length);
  Frame& frame = frames_.back();
  // Duplicates are syntax errors for the tree builder, in skipped objects too.
  std::uint64_t hash = keyHash(key);
  for (std::size_t i = frame.keysBegin; i < keys_.size(); ++i) {
    if (keys_[i] == hash) return false;
  }
  if (keys_.size() - frame.keysBegin >= kMaxKeysPerObject) return false;
  keys_.push_back(hash);
  if (key != "div") ++frame.keptKeys;
  // `_name` merges into `name` (placeholders, nulls...): always the tree builder's job.
  if (!key.empty() && key.front() == '_') return false;

  switch (frame.kind) {
    case Kind::kSkipObject:
      return key != "resourceType";  // a resource node in the tree, with its own shape checks
    case Kind::kResource:
      if (key != "resourceType" || keys_.size() - frame.keysBegin != 1) return false;
      pendingType_ = true;
      return true;
    case Kind::kObject:
      break;
    case Kind::kArray:
    case Kind::kSkipArray:
      return false;  // unreachable: RapidJSON gives keys only inside objects
  }
  if (key == "resourceType") return false;
  const Field* field = frame.schema->find(key);
  if (field == nullptr && frame.schema->extension && key.size() > 5 && key.starts_with("value")) {
    extensionKey_.assign(key);
    field = &kExtensionValue;
  }
  if (field != nullptr && field != &kExtensionValue) {
    if (field->kind == FieldKind::kDecline) return false;
    if (field->choice != 0) {
      std::uint32_t bit = 1u << (field->choice - 1);
      if (frame.choices & bit) return false;  // a second [x] alternative
      frame.choices |= bit;
    }
  }
  frame.field = field;
  return true;
}

bool ModelBinder::EndObject(rapidjson::SizeType) {
  const Frame& frame = frames_.back();
  // An object left without children ({} or only "div") is dropped by the tree builder.
  if (frame.keptKeys == 0 || frame.kind == Kind::kResource) return false;
  keys_.resize(frame.keysBegin);
  frames_.pop_back();
  --depth_;
  return true;
}

bool ModelBinder::StartArray() {
  if (!enter() || frames_.empty()) return false;
  Frame& frame = frames_.back();
  switch (frame.kind) {
    case Kind::kSkipObject:
      push(Kind::kSkipArray);
      return true;
    case Kind::kObject:
      break;
    case Kind::kArray:
    case Kind::kSkipArray:
    case Kind::kResource:
      return false;  // arrays of arrays; resourceType holding an array
  }
  void* owner = frame.target;
  const Field* field = takeField(frame);
  if (field == nullptr) {
    push(Kind::kSkipArray);
    return true;
  }
  // An array for a 0..1 element is only fine for the tree binder with exactly one item.
  if (field == &kExtensionValue || !field->repeated || field->kind == FieldKind::kDecline) {
    return false;
  }
  push(Kind::kArray, owner, nullptr, field);
  return true;
}

bool ModelBinder::EndArray(rapidjson::SizeType elementCount) {
  if (elementCount == 0) return false;  // dropped by the tree builder
  frames_.pop_back();
  --depth_;
  return true;
}

}  // namespace

std::optional<AnyResource> trySaxBindFhirJson(std::string_view bytes, const ParseLimits& limits) {
  if (bytes.size() > limits.maxBytes) return std::nullopt;
  std::string_view text = bytes.starts_with(kUtf8Bom) ? bytes.substr(kUtf8Bom.size()) : bytes;
  thread_local std::string keptBuffer;
  std::string ownBuffer;
  std::string& buffer = text.size() <= kKeptBufferBytes ? keptBuffer : ownBuffer;
  buffer.reserve(text.size() + kSimdSlack);
  buffer.assign(text);  // std::string keeps a NUL after the last byte
  rapidjson::InsituStringStream stream(buffer.data());
  ModelBinder binder(limits);
  rapidjson::Reader reader;
  bool ascii = fhir_json::isAscii(text);
  if (ascii && hasSse2BlindControl(text)) return std::nullopt;
  rapidjson::ParseResult parsed = ascii ? reader.Parse<kAsciiParseFlags>(stream, binder)
                                        : reader.Parse<kParseFlags>(stream, binder);
  // The stream reads a NUL byte as the end of input: the tree path reports what follows.
  if (!parsed || stream.Tell() != text.size() || !binder.complete()) return std::nullopt;
  return std::move(binder.result());
}

}  // namespace fhir837
