#include "emitters/x12_common/x12_format.h"

namespace fhir837::x12 {

std::string formatAmount(std::int64_t cents) {
  std::string sign;
  std::uint64_t magnitude = static_cast<std::uint64_t>(cents);
  if (cents < 0) {
    sign = "-";
    magnitude = 0 - magnitude;
  }
  std::string out = sign + std::to_string(magnitude / 100);
  std::uint64_t fraction = magnitude % 100;
  if (fraction == 0) return out;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + fraction / 10));
  if (fraction % 10 != 0) out.push_back(static_cast<char>('0' + fraction % 10));
  return out;
}

std::string zeroPad(std::uint64_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string digitsOnly(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

bool isDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool isUpperAlnum(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

bool isValidNpi(std::string_view npi) {
  if (npi.size() != 10 || !isDigits(npi)) return false;
  // 24 is the Luhn contribution of the 80840 prefix (ISO card issuer id for US health).
  int sum = 24;
  for (int i = 8; i >= 0; --i) {
    int digit = npi[static_cast<std::size_t>(i)] - '0';
    if ((8 - i) % 2 == 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - sum % 10) % 10 == npi[9] - '0';
}

bool isValidDate(std::string_view ccyymmdd) {
  if (ccyymmdd.size() != 8 || !isDigits(ccyymmdd)) return false;
  const auto number = [&](std::size_t pos, std::size_t len) {
    int value = 0;
    for (std::size_t i = pos; i < pos + len; ++i) value = value * 10 + (ccyymmdd[i] - '0');
    return value;
  };
  int year = number(0, 4), month = number(4, 2), day = number(6, 2);
  if (year < 1800 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int maxDay = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= maxDay;
}

bool isValidTime(std::string_view hhmm) {
  if (hhmm.size() != 4 || !isDigits(hhmm)) return false;
  int hours = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  int minutes = (hhmm[2] - '0') * 10 + (hhmm[3] - '0');
  return hours < 24 && minutes < 60;
}

}  // namespace fhir837::x12
