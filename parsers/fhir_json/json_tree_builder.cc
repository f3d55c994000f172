#include "fhir_json/json_tree_builder.h"

#include <algorithm>
#include <utility>

namespace fhir837::fhir_json {

namespace {

// Above this many properties an object indexes its keys; below, a linear scan is faster.
constexpr std::size_t kIndexThreshold = 16;

bool isSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ',';
}

bool isEmptyNode(const FhirNode& node) {
  return !node.hasValue() && node.children.empty() && !node.isResource();
}

}  // namespace

JsonTreeBuilder::JsonTreeBuilder(FhirNode& root, const std::string& source,
                                 const ParseLimits& limits, std::string_view text,
                                 std::size_t baseOffset, const rapidjson::MemoryStream& stream)
    : root_(root),
      source_(source),
      limits_(limits),
      text_(text),
      baseOffset_(baseOffset),
      stream_(stream) {
  frames_.reserve(16);
}

std::string JsonTreeBuilder::byteWhere(std::size_t offsetInText) const {
  return source_ + ": byte " + std::to_string(baseOffset_ + offsetInText);
}

std::size_t JsonTreeBuilder::tokenStart() const {
  std::size_t pos = prevEnd_;
  while (pos < text_.size() && isSeparator(text_[pos])) ++pos;
  return pos;
}

std::size_t JsonTreeBuilder::bracketAt(char bracket) {
  // The iterative parser calls Start*/End* before taking the bracket, the recursive one after; the
  // byte under the stream tells which.
  std::size_t at = stream_.Tell();
  std::size_t start = at < text_.size() && text_[at] == bracket ? at : at - 1;
  prevEnd_ = start + 1;
  return start;
}

bool JsonTreeBuilder::fail(ErrorCode code, std::string message, std::string where) {
  abortError_ = makeError(code, std::move(message), std::move(where));
  return false;
}

bool JsonTreeBuilder::shapeFail(ErrorCode code, std::string message, std::string where) {
  if (!shapeError_) shapeError_ = makeError(code, std::move(message), std::move(where));
  shapeFailed_ = true;
  return true;
}

std::string JsonTreeBuilder::path() const {
  std::string out = root_.resourceType.empty() ? std::string("Resource") : root_.resourceType;
  for (std::size_t i = 0; i < used_; ++i) {
    const Frame& frame = frames_[i];
    if (frame.isArray) {
      out += '[';
      out += std::to_string(frame.index);
      out += ']';
    } else if (frame.special != Special::kNone) {
      out += '.';
      out += frame.specialName;
    } else if (frame.slot != kNoSlot) {
      out += '.';
      out += frame.node->children[frame.slot].first;
    }
  }
  return out;
}

bool JsonTreeBuilder::checkLength(std::size_t length, std::size_t start, const char* what) {
  if (length <= limits_.maxStringBytes) return true;
  return fail(ErrorCode::kLimitExceeded,
              std::string(what) + " of " + std::to_string(length) + " bytes is over the limit of " +
                  std::to_string(limits_.maxStringBytes),
              shapeFailed_ ? byteWhere(start) : pathWhere());
}

bool JsonTreeBuilder::enterContainer(std::size_t start) {
  if (depth_ >= limits_.maxDepth) {
    return fail(ErrorCode::kLimitExceeded,
                "nesting deeper than " + std::to_string(limits_.maxDepth) + " levels",
                byteWhere(start));
  }
  ++depth_;
  return true;
}

JsonTreeBuilder::Frame& JsonTreeBuilder::pushFrame() {
  if (used_ == frames_.size()) frames_.emplace_back();
  Frame& frame = frames_[used_++];
  frame.isArray = false;
  frame.node = nullptr;
  frame.slot = kNoSlot;
  frame.index = 0;
  frame.mode = Mode::kValue;
  frame.special = Special::kNone;
  frame.specialName = nullptr;
  frame.specialSeen = 0;
  frame.slotFlags.clear();
  frame.slotIndex.clear();
  return frame;
}

std::uint8_t& JsonTreeBuilder::slotFlags(Frame& frame) {
  // An array's flags live in the object frame right below it.
  Frame& owner = frame.isArray ? frames_[used_ - 2] : frame;
  return owner.slotFlags[frame.slot];
}

FhirNode& JsonTreeBuilder::itemAt(const Frame& frame) {
  auto& list = frame.node->children[frame.slot].second;
  std::size_t index = frame.isArray ? frame.index : 0;
  while (list.size() <= index) list.emplace_back();
  return list[index];
}

void JsonTreeBuilder::finishValue(Frame& frame) {
  if (frame.isArray) {
    ++frame.index;
  } else {
    frame.slot = kNoSlot;
    frame.special = Special::kNone;
  }
}

std::uint32_t JsonTreeBuilder::findOrAddSlot(Frame& frame, std::string_view name) {
  auto& children = frame.node->children;
  if (children.size() < kIndexThreshold) {
    for (std::size_t i = 0; i < children.size(); ++i) {
      if (children[i].first == name) return static_cast<std::uint32_t>(i);
    }
  } else {
    for (std::size_t i = frame.slotIndex.size(); i < children.size(); ++i) {
      frame.slotIndex.emplace(children[i].first, static_cast<std::uint32_t>(i));
    }
    auto found = frame.slotIndex.find(std::string(name));
    if (found != frame.slotIndex.end()) return found->second;
  }
  children.emplace_back(std::string(name), std::vector<FhirNode>{});
  frame.slotFlags.resize(children.size(), 0);
  return static_cast<std::uint32_t>(children.size() - 1);
}

void JsonTreeBuilder::dropEmpty(FhirNode& node) {
  bool emptyList = false;
  for (auto& [name, list] : node.children) {
    list.erase(std::remove_if(list.begin(), list.end(), isEmptyNode), list.end());
    emptyList = emptyList || list.empty();
  }
  if (emptyList) {
    auto& children = node.children;
    children.erase(std::remove_if(children.begin(), children.end(),
                                  [](const auto& entry) { return entry.second.empty(); }),
                   children.end());
  }
}

bool JsonTreeBuilder::numberWithoutLexeme() {
  // kParseNumbersAsStringsFlag routes every number to RawNumber; reaching here is a wiring bug.
  return fail(ErrorCode::kSyntax, "number parsed without its lexeme", byteWhere(tokenStart()));
}

bool JsonTreeBuilder::Null() {
  std::size_t start = tokenStart();
  prevEnd_ = stream_.Tell();
  if (skipping()) return true;
  if (used_ == 0) {
    return shapeFail(ErrorCode::kWrongType, "the root must be a JSON object", byteWhere(start));
  }
  // A null property is absent; a null array item only keeps the indexes of `name` and `_name`
  // aligned, and the placeholder it may leave is dropped when the object ends.
  finishValue(top());
  return true;
}

bool JsonTreeBuilder::Bool(bool b) {
  std::size_t start = tokenStart();
  prevEnd_ = stream_.Tell();
  return scalar(start, b ? "true" : "false", PrimitiveKind::kBool);
}

bool JsonTreeBuilder::RawNumber(const char* str, rapidjson::SizeType length, bool) {
  std::size_t start = tokenStart();
  prevEnd_ = stream_.Tell();
  if (!checkLength(length, start, "number")) return false;
  return scalar(start, std::string_view(str, length), PrimitiveKind::kNumber);
}

bool JsonTreeBuilder::String(const char* str, rapidjson::SizeType length, bool) {
  std::size_t start = tokenStart();
  prevEnd_ = stream_.Tell();
  if (!checkLength(length, start, "string")) return false;
  return scalar(start, std::string_view(str, length), PrimitiveKind::kString);
}

bool JsonTreeBuilder::scalar(std::size_t start, std::string_view lexeme, PrimitiveKind kind) {
  if (skipping()) return true;
  if (used_ == 0) {
    return shapeFail(ErrorCode::kWrongType, "the root must be a JSON object", byteWhere(start));
  }
  Frame& frame = top();
  if (frame.special == Special::kResourceType) {
    if (kind != PrimitiveKind::kString) {
      return shapeFail(ErrorCode::kWrongType, "resourceType must be a string", pathWhere());
    }
    frame.node->resourceType.assign(lexeme);
    finishValue(frame);
    return true;
  }
  if (frame.special == Special::kSkip) {
    finishValue(frame);
    return true;
  }
  if (frame.mode == Mode::kExtension) {
    return shapeFail(ErrorCode::kWrongType,
                     "a '_' property must hold an object (id, extension) or an array of them",
                     pathWhere());
  }
  FhirNode& node = itemAt(frame);
  node.value.assign(lexeme);
  node.kind = kind;
  node.offset = baseOffset_ + start;
  finishValue(frame);
  return true;
}

bool JsonTreeBuilder::StartObject() {
  std::size_t start = bracketAt('{');
  if (!enterContainer(start)) return false;
  if (shapeFailed_) return true;
  if (skipNest_ > 0) {
    ++skipNest_;
    return true;
  }
  if (used_ == 0) {
    root_.offset = baseOffset_ + start;
    pushFrame().node = &root_;
    return true;
  }
  Frame& parent = top();
  if (parent.special == Special::kSkip) {
    skipNest_ = 1;
    return true;
  }
  if (parent.special == Special::kResourceType) {
    return shapeFail(ErrorCode::kWrongType, "resourceType must be a string", pathWhere());
  }
  std::uint8_t& flags = slotFlags(parent);
  if (parent.mode == Mode::kValue) {
    if (flags & kSeenExtension) {
      return shapeFail(ErrorCode::kWrongType,
                       "an object cannot take a '_' property (only primitives can)", pathWhere());
    }
    flags |= kComplex;
  }
  FhirNode& node = itemAt(parent);
  if (!node.hasValue()) node.offset = baseOffset_ + start;
  // `parent` may move when frames_ grows; `node` does not (nodes of open objects are stable).
  pushFrame().node = &node;
  Frame& frame = top();
  frame.slotFlags.assign(node.children.size(), 0);
  return true;
}

bool JsonTreeBuilder::Key(const char* str, rapidjson::SizeType length, bool) {
  std::size_t start = tokenStart();
  prevEnd_ = stream_.Tell();
  if (!checkLength(length, start, "property name")) return false;
  if (skipping()) return true;
  Frame& frame = top();
  std::string_view key(str, length);

  auto special = [&](Special kind, const char* name, std::uint8_t bit) {
    if (frame.specialSeen & bit) {
      return fail(ErrorCode::kSyntax,
                  "duplicate property \"" + std::string(key) + "\" in " + path(), byteWhere(start));
    }
    frame.specialSeen |= bit;
    frame.special = kind;
    frame.specialName = name;
    return true;
  };
  if (key == "resourceType")
    return special(Special::kResourceType, "resourceType", kSeenResourceType);
  // The XHTML narrative is dropped (see fhir_json_parser.h); `_resourceType` is meaningless.
  if (key == "div") return special(Special::kSkip, "div", kSeenDiv);
  if (key == "_div") return special(Special::kSkip, "div", kSeenDivExtension);
  if (key == "_resourceType")
    return special(Special::kSkip, "resourceType", kSeenResourceTypeExtension);

  bool extension = key.size() > 1 && key.front() == '_';
  std::string_view name = extension ? key.substr(1) : key;
  std::uint32_t slot = findOrAddSlot(frame, name);
  std::uint8_t& flags = frame.slotFlags[slot];
  std::uint8_t bit = extension ? kSeenExtension : kSeenValue;
  if (flags & bit) {
    return fail(ErrorCode::kSyntax, "duplicate property \"" + std::string(key) + "\" in " + path(),
                byteWhere(start));
  }
  flags |= bit;
  frame.slot = slot;
  frame.mode = extension ? Mode::kExtension : Mode::kValue;
  if (extension && (flags & kComplex)) {
    return shapeFail(ErrorCode::kWrongType,
                     "an object cannot take a '_' property (only primitives can)", pathWhere());
  }
  return true;
}

bool JsonTreeBuilder::EndObject(rapidjson::SizeType) {
  bracketAt('}');
  --depth_;
  if (shapeFailed_) return true;
  if (skipNest_ > 0) {
    if (--skipNest_ == 0) finishValue(top());
    return true;
  }
  dropEmpty(*top().node);
  --used_;
  if (used_ > 0) finishValue(top());
  return true;
}

bool JsonTreeBuilder::StartArray() {
  std::size_t start = bracketAt('[');
  if (!enterContainer(start)) return false;
  if (shapeFailed_) return true;
  if (skipNest_ > 0) {
    ++skipNest_;
    return true;
  }
  if (used_ == 0) {
    return shapeFail(ErrorCode::kWrongType, "the root must be a JSON object", byteWhere(start));
  }
  Frame& parent = top();
  if (parent.special == Special::kSkip) {
    skipNest_ = 1;
    return true;
  }
  if (parent.special == Special::kResourceType) {
    return shapeFail(ErrorCode::kWrongType, "resourceType must be a string", pathWhere());
  }
  if (parent.isArray) {
    return shapeFail(ErrorCode::kWrongType, "an array cannot hold arrays in FHIR JSON",
                     pathWhere());
  }
  FhirNode* node = parent.node;
  std::uint32_t slot = parent.slot;
  Mode mode = parent.mode;
  Frame& frame = pushFrame();
  frame.isArray = true;
  frame.node = node;
  frame.slot = slot;
  frame.mode = mode;
  return true;
}

bool JsonTreeBuilder::EndArray(rapidjson::SizeType) {
  bracketAt(']');
  --depth_;
  if (shapeFailed_) return true;
  if (skipNest_ > 0) {
    if (--skipNest_ == 0) finishValue(top());
    return true;
  }
  --used_;
  finishValue(top());
  return true;
}

}  // namespace fhir837::fhir_json
