#include "model/fhir_datetime.h"

#include <chrono>
#include <cstdio>

namespace fhir837 {

namespace {

// A cursor over the lexeme; each reader consumes exactly the digits FHIR's regex allows, so
// "2024-3-01" or "2024-03-01T9:00:00Z" fail instead of being read leniently.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Exactly `count` ASCII digits.
  bool digits(int count, int& out) {
    if (text_.size() - pos_ < static_cast<std::size_t>(count)) return false;
    int value = 0;
    for (int i = 0; i < count; ++i) {
      char c = text_[pos_ + static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += static_cast<std::size_t>(count);
    out = value;
    return true;
  }
  std::string digitRun() {
    std::size_t start = pos_;
    while (!done() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// The message never repeats the value: a date may be a birth date (PHI).
Error invalid(std::string_view why) {
  return makeError(ErrorCode::kInvalidValue,
                   "not a valid FHIR date/dateTime/instant: " + std::string(why));
}

std::chrono::year_month_day civil(const FhirDateTime& dt) {
  return std::chrono::year_month_day{std::chrono::year{dt.year},
                                     std::chrono::month{static_cast<unsigned>(dt.month)},
                                     std::chrono::day{static_cast<unsigned>(dt.day)}};
}

std::int64_t fractionNanos(const std::string& fraction) {
  std::int64_t nanos = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    nanos = nanos * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  return nanos;
}

}  // namespace

Result<FhirDateTime> FhirDateTime::parse(std::string_view text) {
  FhirDateTime dt;
  dt.lexeme = std::string(text);
  Lexer in(text);

  if (!in.digits(4, dt.year)) return invalid("expected a four-digit year");
  if (dt.year == 0) return invalid("year 0000 does not exist");
  dt.precision = Precision::kYear;
  if (in.eat('-')) {
    if (!in.digits(2, dt.month)) return invalid("expected a two-digit month");
    if (dt.month < 1 || dt.month > 12) return invalid("month out of range 01-12");
    dt.precision = Precision::kMonth;
    if (in.eat('-')) {
      if (!in.digits(2, dt.day)) return invalid("expected a two-digit day");
      if (!civil(dt).ok()) return invalid("no such calendar day");
      dt.precision = Precision::kDay;
    }
  }
  if (in.done()) return dt;

  if (!in.eat('T')) return invalid("unexpected character after the date");
  if (dt.precision != Precision::kDay) return invalid("a time needs a full date");
  if (!in.digits(2, dt.hour) || !in.eat(':') || !in.digits(2, dt.minute) || !in.eat(':') ||
      !in.digits(2, dt.second)) {
    return invalid("a time must be hh:mm:ss");
  }
  if (dt.hour > 23) return invalid("hour out of range 00-23");
  if (dt.minute > 59) return invalid("minute out of range 00-59");
  // FHIR's regex admits 60 for a leap second.
  if (dt.second > 60) return invalid("second out of range 00-60");
  if (in.eat('.')) {
    dt.fraction = in.digitRun();
    if (dt.fraction.empty()) return invalid("expected digits after the decimal point");
  }
  dt.precision = Precision::kSecond;

  if (in.eat('Z')) {
    dt.offsetMinutes = 0;
  } else if (in.peek() == '+' || in.peek() == '-') {
    int sign = in.peek() == '-' ? -1 : 1;
    in.eat(in.peek());
    int hours = 0, minutes = 0;
    if (!in.digits(2, hours) || !in.eat(':') || !in.digits(2, minutes)) {
      return invalid("a zone offset must be +hh:mm or -hh:mm");
    }
    if (minutes > 59 || hours > 14 || (hours == 14 && minutes != 0)) {
      return invalid("zone offset out of range");
    }
    dt.offsetMinutes = sign * (hours * 60 + minutes);
  } else {
    return invalid("a time needs a zone (Z or +hh:mm)");
  }
  if (!in.done()) return invalid("unexpected characters after the zone");
  return dt;
}

std::optional<std::int64_t> FhirDateTime::epochSeconds() const {
  if (!isInstant()) return std::nullopt;
  std::int64_t days = std::chrono::sys_days(civil(*this)).time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + second -
         static_cast<std::int64_t>(*offsetMinutes) * 60;
}

std::optional<std::string> FhirDateTime::localDateCcyymmdd() const {
  if (precision != Precision::kDay && precision != Precision::kSecond) return std::nullopt;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", year, month, day);
  return std::string(buffer);
}

std::optional<std::int64_t> wholeMinutesBetween(const FhirDateTime& start,
                                                const FhirDateTime& end) {
  auto startSeconds = start.epochSeconds();
  auto endSeconds = end.epochSeconds();
  if (!startSeconds || !endSeconds) return std::nullopt;
  // Split the difference into whole seconds and nanoseconds of the same sign, so that
  // truncation toward zero stays exact even with fractional seconds on either side.
  std::int64_t seconds = *endSeconds - *startSeconds;
  std::int64_t nanos = fractionNanos(end.fraction) - fractionNanos(start.fraction);
  if (seconds > 0 && nanos < 0) {
    seconds -= 1;
  } else if (seconds < 0 && nanos > 0) {
    seconds += 1;
  }
  return seconds / 60;
}

}  // namespace fhir837
