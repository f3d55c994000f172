#include "engine/validation/value_checks.h"

#include <cctype>

namespace fhir837::validation {

namespace {

int number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool isLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool isDay(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  int last = kDays[month - 1] + (month == 2 && isLeap(year) ? 1 : 0);
  return day <= last;
}

}  // namespace

bool allDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool isCalendarDate(std::string_view text) {
  if (text.size() != 8 || !allDigits(text)) return false;
  int year = number(text.substr(0, 4));
  return year >= 1800 && isDay(year, number(text.substr(4, 2)), number(text.substr(6, 2)));
}

bool isShortDate(std::string_view text) {
  if (text.size() != 6 || !allDigits(text)) return false;
  return isDay(2000 + number(text.substr(0, 2)), number(text.substr(2, 2)),
               number(text.substr(4, 2)));
}

bool isTime(std::string_view text) {
  if (text.size() < 4 || text.size() > 8 || !allDigits(text)) return false;
  if (number(text.substr(0, 2)) > 23 || number(text.substr(2, 2)) > 59) return false;
  if (text.size() == 5) return false;
  return text.size() < 6 || number(text.substr(4, 2)) <= 59;
}

bool isDateByFormat(std::string_view format, std::string_view value) {
  if (format == "D8") return isCalendarDate(value);
  if (format == "RD8") {
    if (value.size() != 17 || value[8] != '-') return false;
    std::string_view from = value.substr(0, 8);
    std::string_view to = value.substr(9);
    return isCalendarDate(from) && isCalendarDate(to) && from <= to;
  }
  if (format == "DT") {
    return value.size() == 12 && isCalendarDate(value.substr(0, 8)) && isTime(value.substr(8));
  }
  if (format == "TM") return value.size() == 4 && isTime(value);
  return false;
}

std::optional<DecimalShape> decimalShape(std::string_view text) {
  DecimalShape shape;
  if (!text.empty() && text.front() == '-') {
    shape.negative = true;
    text.remove_prefix(1);
  }
  bool point = false;
  for (char c : text) {
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
    } else if (c >= '0' && c <= '9') {
      ++shape.digits;
      if (point) ++shape.decimals;
    } else {
      return std::nullopt;
    }
  }
  if (shape.digits == 0) return std::nullopt;
  return shape;
}

std::optional<std::int64_t> amountCents(std::string_view text) {
  auto shape = decimalShape(text);
  if (!shape || shape->decimals > 2 || shape->digits > 18) return std::nullopt;
  std::int64_t cents = 0;
  int decimals = 0;
  bool point = false;
  for (char c : text) {
    if (c == '.') {
      point = true;
    } else if (c != '-') {
      cents = cents * 10 + (c - '0');
      if (point) ++decimals;
    }
  }
  for (; decimals < 2; ++decimals) cents *= 10;
  return shape->negative ? -cents : cents;
}

bool isValidNpi(std::string_view npi) {
  if (npi.size() != 10 || !allDigits(npi)) return false;
  // Luhn over "80840" + the first nine digits; doubling starts from the rightmost payload digit.
  int sum = 24;  // the constant contribution of the 80840 prefix
  for (int i = 8, position = 0; i >= 0; --i, ++position) {
    int digit = npi[static_cast<std::size_t>(i)] - '0';
    if (position % 2 == 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  int check = (10 - sum % 10) % 10;
  return check == npi[9] - '0';
}

bool isIcd10CmShape(std::string_view code) {
  if (code.size() < 3 || code.size() > 7) return false;
  if (!std::isupper(static_cast<unsigned char>(code[0]))) return false;
  if (!std::isdigit(static_cast<unsigned char>(code[1]))) return false;
  for (char c : code.substr(2)) {
    if (!std::isdigit(static_cast<unsigned char>(c)) &&
        !std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

int dateKey(std::string_view text) { return isCalendarDate(text) ? number(text.substr(0, 8)) : 0; }

}  // namespace fhir837::validation
