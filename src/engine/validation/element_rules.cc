#include "engine/validation/element_rules.h"

#include <map>
#include <stdexcept>

#include "engine/validation/value_checks.h"

namespace fhir837::validation {

namespace {

std::vector<std::string_view> splitOn(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

Usage parseUsage(char c) {
  switch (c) {
    case 'R':
      return Usage::kRequired;
    case 'S':
      return Usage::kSituational;
    case 'N':
      return Usage::kNotUsed;
  }
  throw std::logic_error("element spec: bad usage");
}

DataType parseType(std::string_view token) {
  static const std::map<std::string_view, DataType> kTypes = {
      {"AN", DataType::kAN}, {"ID", DataType::kID}, {"DT", DataType::kDT},   {"TM", DataType::kTM},
      {"R", DataType::kR},   {"N0", DataType::kN0}, {"$", DataType::kAmount}};
  auto it = kTypes.find(token);
  if (it == kTypes.end()) throw std::logic_error("element spec: bad type " + std::string(token));
  return it->second;
}

ElementRule parseElement(std::string_view spec) {
  ElementRule rule;
  if (spec.empty()) throw std::logic_error("element spec: empty");
  rule.usage = parseUsage(spec[0]);
  if (spec.size() > 1 && spec[1] == '{') {
    if (spec.back() != '}') throw std::logic_error("element spec: unclosed composite");
    rule.type = DataType::kComposite;
    for (std::string_view part : splitOn(spec.substr(2, spec.size() - 3), ';')) {
      rule.components.push_back(parseElement(part));
    }
    return rule;
  }
  auto tokens = splitOn(spec, ' ');
  if (tokens.size() == 1) {
    if (rule.usage != Usage::kNotUsed) throw std::logic_error("element spec: missing type");
    return rule;
  }
  if (tokens.size() < 3 || tokens.size() > 4)
    throw std::logic_error("element spec: " + std::string(spec));
  rule.type = parseType(tokens[1]);
  auto lengths = splitOn(tokens[2], '-');
  rule.minLength = std::stoi(std::string(lengths[0]));
  rule.maxLength = std::stoi(std::string(lengths.size() > 1 ? lengths[1] : lengths[0]));
  if (tokens.size() == 4) {
    if (tokens[3].front() == '@') {
      rule.codes = codeList(tokens[3].substr(1));
    } else {
      for (std::string_view code : splitOn(tokens[3], ',')) rule.codes.emplace_back(code);
    }
  }
  return rule;
}

bool isPrintable(std::string_view value) {
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
  }
  return true;
}

// Checks one simple value against its rule; returns the problem or "".
std::string checkValue(std::string_view value, const ElementRule& rule) {
  if (!isPrintable(value)) return "contains a control or non-ASCII character";
  int length = static_cast<int>(value.size());
  switch (rule.type) {
    case DataType::kAN:
    case DataType::kID:
      if (value.find_first_not_of(' ') == std::string_view::npos) return "is only spaces";
      break;
    case DataType::kDT:
      if (!(length == 8 ? isCalendarDate(value) : isShortDate(value))) return "is not a valid date";
      break;
    case DataType::kTM:
      if (!isTime(value)) return "is not a valid time";
      break;
    case DataType::kN0:
      if (!allDigits(value.front() == '-' ? value.substr(1) : value)) return "is not an integer";
      length = static_cast<int>(value.size()) - (value.front() == '-' ? 1 : 0);
      break;
    case DataType::kR:
    case DataType::kAmount: {
      auto shape = decimalShape(value);
      if (!shape) return "is not a decimal number";
      length = shape->digits;
      if (rule.type == DataType::kAmount && shape->decimals > 2) {
        return "amount has more than 2 decimals";
      }
      if (rule.type == DataType::kAmount && shape->digits > 10) {
        return "amount has more than 10 digits";
      }
      break;
    }
    case DataType::kComposite:
      break;
  }
  if (length < rule.minLength || length > rule.maxLength) {
    return "length " + std::to_string(length) + " outside " + std::to_string(rule.minLength) + "-" +
           std::to_string(rule.maxLength);
  }
  if (!rule.codes.empty()) {
    bool known = false;
    for (const auto& code : rule.codes) known = known || code == value;
    if (!known) return "code '" + std::string(value) + "' is not in the guide's code list";
  }
  return {};
}

}  // namespace

SegmentRule parseSegmentRule(std::string_view spec) {
  SegmentRule rule;
  for (std::string_view part : splitOn(spec, '|')) rule.elements.push_back(parseElement(part));
  return rule;
}

const std::vector<std::string>& codeList(std::string_view name) {
  static const std::map<std::string_view, std::vector<std::string>> kLists = {
      {"SBR01", {"P", "S", "T", "A", "B", "C", "D", "E", "F", "G", "H", "U"}},
      {"SBR09", {"11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS",
                 "FI", "HM", "LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ"}},
      {"PAT01", {"01", "19", "20", "21", "39", "40", "53", "G8"}},
      {"DMG03", {"F", "M", "U"}},
      {"CTP05", {"F2", "GR", "ME", "ML", "UN"}},
      {"LIN02P", {"N4", "EN", "EO", "HI", "ON", "UK", "UP"}},
      {"HL03", {"20", "22", "23"}},
      {"PER", {"TE", "EM", "FX", "EX"}},
      {"FREQP", {"1", "6", "7", "8"}},
      {"FREQI", {"0", "1", "2", "3", "4", "5", "7", "8", "9", "A", "B", "C", "D", "E",
                 "F", "G", "H", "I", "J", "K", "M", "N", "O", "P", "Q", "X", "Y", "Z"}},
      {"GUIDE", {"005010X222A1", "005010X223A2"}},
  };
  auto it = kLists.find(name);
  if (it == kLists.end()) throw std::logic_error("unknown code list " + std::string(name));
  return it->second;
}

std::string elementName(std::string_view segmentId, std::size_t element, std::size_t component) {
  std::string name(segmentId);
  if (element < 10) name += '0';
  name += std::to_string(element);
  if (component > 0) name += "-" + std::to_string(component);
  return name;
}

void checkElements(const x12::X12Segment& segment, const SegmentRule& rule,
                   const ElementReport& report) {
  const std::string_view id = segment.id();
  const char repetition = segment.delimiters().repetition;
  for (std::size_t i = 1; i <= segment.size(); ++i) {
    std::string_view value = segment.element(i);
    if (i > rule.elements.size()) {
      if (!value.empty()) report(elementName(id, i), "element not defined for this segment");
      continue;
    }
    const ElementRule& element = rule.elements[i - 1];
    if (value.empty()) continue;
    if (element.usage == Usage::kNotUsed) {
      report(elementName(id, i), "element is not used in this guide but has a value");
      continue;
    }
    if (value.find(repetition) != std::string_view::npos) {
      report(elementName(id, i), "repetition separator in a non-repeating element");
      continue;
    }
    if (element.type != DataType::kComposite) {
      if (value.find(segment.delimiters().component) != std::string_view::npos) {
        report(elementName(id, i), "component separator in a simple element");
        continue;
      }
      if (auto problem = checkValue(value, element); !problem.empty()) {
        report(elementName(id, i), problem);
      }
      continue;
    }
    const std::size_t count = segment.componentCount(i);
    if (segment.component(i, count).empty()) {
      report(elementName(id, i), "trailing component separator");
    }
    for (std::size_t c = 1; c <= count; ++c) {
      std::string_view part = segment.component(i, c);
      if (c > element.components.size()) {
        if (!part.empty()) report(elementName(id, i, c), "too many components");
        continue;
      }
      const ElementRule& component = element.components[c - 1];
      if (part.empty()) {
        if (component.usage == Usage::kRequired) {
          report(elementName(id, i, c), "required component is missing");
        }
        continue;
      }
      if (component.usage == Usage::kNotUsed) {
        report(elementName(id, i, c), "component is not used in this guide but has a value");
      } else if (auto problem = checkValue(part, component); !problem.empty()) {
        report(elementName(id, i, c), problem);
      }
    }
  }
  for (std::size_t i = 1; i <= rule.elements.size(); ++i) {
    if (rule.elements[i - 1].usage == Usage::kRequired && segment.element(i).empty()) {
      report(elementName(id, i), "required element is missing");
    }
  }
}

}  // namespace fhir837::validation
