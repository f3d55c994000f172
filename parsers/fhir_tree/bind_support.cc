#include "fhir_tree/bind_support.h"

#include <charconv>

namespace fhir837::bind {

namespace {

std::string_view kindName(PrimitiveKind kind) {
  switch (kind) {
    case PrimitiveKind::kNumber:
      return "a JSON number";
    case PrimitiveKind::kBool:
      return "a JSON boolean";
    case PrimitiveKind::kString:
      return "a JSON string";
    case PrimitiveKind::kText:
      return "a primitive value";
    case PrimitiveKind::kNone:
      break;
  }
  return "no value";
}

// FHIR decimal: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isDecimalLexeme(std::string_view s) {
  std::size_t i = 0;
  auto digitsFrom = [&](std::size_t from) {
    std::size_t j = from;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    return j;
  };
  if (i < s.size() && s[i] == '-') ++i;
  std::size_t end = digitsFrom(i);
  if (end == i || (s[i] == '0' && end - i > 1)) return false;
  i = end;
  if (i < s.size() && s[i] == '.') {
    end = digitsFrom(i + 1);
    if (end == i + 1) return false;
    i = end;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    end = digitsFrom(i);
    if (end == i) return false;
    i = end;
  }
  return i == s.size();
}

}  // namespace

std::string Path::str() const {
  std::vector<const Path*> steps;
  for (const Path* p = this; p != nullptr; p = p->parent) steps.push_back(p);
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    const Path& step = **it;
    if (step.index >= 0) {
      out += '[';
      out += std::to_string(step.index);
      out += ']';
    } else {
      if (!out.empty()) out += '.';
      out += step.name;
    }
  }
  return out;
}

Error Context::error(ErrorCode code, std::string message, const Path& path) const {
  std::string where(source);
  std::string fhirPath = path.str();
  if (!where.empty() && !fhirPath.empty()) where += ": ";
  where += fhirPath;
  return makeError(code, std::move(message), std::move(where));
}

Status expectComplex(const Context& ctx, const FhirNode& node, const Path& path,
                     std::string_view typeName) {
  if (node.isResource()) {
    return ctx.error(
        ErrorCode::kWrongType,
        "expected " + std::string(typeName) + ", found a " + node.resourceType + " resource", path);
  }
  if (node.hasValue()) {
    return ctx.error(ErrorCode::kWrongType,
                     "expected " + std::string(typeName) + " (an element with children), found " +
                         std::string(kindName(node.kind)),
                     path);
  }
  return Status::ok();
}

Status expectPrimitive(const Context& ctx, const FhirNode& node, const Path& path,
                       std::string_view typeName) {
  if (node.isResource()) {
    return ctx.error(ErrorCode::kWrongType,
                     "expected a primitive " + std::string(typeName) + ", found a " +
                         node.resourceType + " resource",
                     path);
  }
  // A primitive may carry its own id and extensions (JSON `_field`, XML child elements).
  for (const auto& [name, nodes] : node.children) {
    if (name != "id" && name != "extension") {
      return ctx.error(
          ErrorCode::kWrongType,
          "expected a primitive " + std::string(typeName) + ", found an element with children",
          path);
    }
  }
  return Status::ok();
}

Status expectSingle(const Context& ctx, std::span<const FhirNode> nodes, const Path& path) {
  if (nodes.size() != 1) {
    return ctx.error(
        ErrorCode::kWrongType,
        "element repeats " + std::to_string(nodes.size()) + " times but FHIR allows it once", path);
  }
  return Status::ok();
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, std::string& out) {
  if (Status s = expectPrimitive(ctx, node, path, "string"); !s) return s;
  if (node.kind == PrimitiveKind::kNumber || node.kind == PrimitiveKind::kBool) {
    return ctx.error(ErrorCode::kWrongType,
                     "expected a string, found " + std::string(kindName(node.kind)), path);
  }
  out = node.value;
  return Status::ok();
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, int& out) {
  if (Status s = expectPrimitive(ctx, node, path, "integer"); !s) return s;
  if (node.kind == PrimitiveKind::kString || node.kind == PrimitiveKind::kBool) {
    return ctx.error(ErrorCode::kWrongType,
                     "expected an integer, found " + std::string(kindName(node.kind)), path);
  }
  const std::string& text = node.value;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      (text.size() > 1 && text[0] == '0')) {
    return ctx.error(ErrorCode::kInvalidValue, "not a FHIR integer", path);
  }
  out = value;
  return Status::ok();
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, bool& out) {
  if (Status s = expectPrimitive(ctx, node, path, "boolean"); !s) return s;
  if (node.kind == PrimitiveKind::kString || node.kind == PrimitiveKind::kNumber) {
    return ctx.error(ErrorCode::kWrongType,
                     "expected a boolean, found " + std::string(kindName(node.kind)), path);
  }
  if (node.value == "true") {
    out = true;
  } else if (node.value == "false") {
    out = false;
  } else {
    return ctx.error(ErrorCode::kInvalidValue, "a boolean must be true or false", path);
  }
  return Status::ok();
}

Status bindDecimal(const Context& ctx, const FhirNode& node, const Path& path, std::string& out) {
  if (Status s = expectPrimitive(ctx, node, path, "decimal"); !s) return s;
  if (node.kind == PrimitiveKind::kString || node.kind == PrimitiveKind::kBool) {
    return ctx.error(ErrorCode::kWrongType,
                     "expected a decimal, found " + std::string(kindName(node.kind)), path);
  }
  if (!isDecimalLexeme(node.value)) {
    return ctx.error(ErrorCode::kInvalidValue, "not a FHIR decimal", path);
  }
  out = node.value;
  return Status::ok();
}

Status bindValue(const Context& ctx, const FhirNode& node, const Path& path, FhirDateTime& out) {
  if (Status s = expectPrimitive(ctx, node, path, "dateTime"); !s) return s;
  if (node.kind == PrimitiveKind::kNumber || node.kind == PrimitiveKind::kBool) {
    return ctx.error(ErrorCode::kWrongType,
                     "expected a date/dateTime string, found " + std::string(kindName(node.kind)),
                     path);
  }
  Result<FhirDateTime> parsed = FhirDateTime::parse(node.value);
  if (!parsed) return ctx.error(parsed.error().code, parsed.error().message, path);
  out = std::move(parsed).value();
  return Status::ok();
}

Status bindDate(const Context& ctx, const FhirNode& node, const Path& path, FhirDateTime& out) {
  if (Status s = bindValue(ctx, node, path, out); !s) return s;
  if (out.hasTime()) {
    return ctx.error(ErrorCode::kInvalidValue, "a FHIR date must not have a time", path);
  }
  return Status::ok();
}

Status claimChoice(const Context& ctx, bool alreadySet, const Path& path, std::string_view choice) {
  if (!alreadySet) return Status::ok();
  return ctx.error(ErrorCode::kWrongType, "more than one " + std::string(choice) + " element",
                   path);
}

}  // namespace fhir837::bind
