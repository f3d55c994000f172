#include "core/json_log.h"

#include <unistd.h>

#include <cstdio>
#include <mutex>

#include "core/json_string.h"
#include "core/utc_instant.h"

namespace fhir837 {

namespace {

std::mutex& sinkMutex() {
  static std::mutex mutex;
  return mutex;
}
LogSink& sink() {
  static LogSink current;
  return current;
}

}  // namespace

LogLine::LogLine(std::string_view level, std::string_view event) {
  line_ = "{\"time\":\"" + utcInstantNow() + "\",\"level\":";
  appendJsonString(line_, level);
  line_ += ",\"event\":";
  appendJsonString(line_, event);
}

LogLine& LogLine::str(std::string_view key, std::string_view value) {
  line_ += ',';
  appendJsonString(line_, key);
  line_ += ':';
  appendJsonString(line_, value);
  return *this;
}

LogLine& LogLine::num(std::string_view key, std::int64_t value) {
  line_ += ',';
  appendJsonString(line_, key);
  line_ += ':' + std::to_string(value);
  return *this;
}

LogLine& LogLine::millis(std::string_view key, double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  line_ += ',';
  appendJsonString(line_, key);
  line_ += ':';
  line_ += text;
  return *this;
}

std::string LogLine::text() const { return line_ + "}\n"; }

void writeLog(const LogLine& line) {
  const std::string text = line.text();
  std::lock_guard lock(sinkMutex());
  if (sink()) {
    sink()(text);
    return;
  }
  // One write(2): a line of one thread is never split by another's.
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
    if (n <= 0) return;
    written += static_cast<std::size_t>(n);
  }
}

void setLogSink(LogSink replacement) {
  std::lock_guard lock(sinkMutex());
  sink() = std::move(replacement);
}

RepeatLimiter::Decision RepeatLimiter::failed(std::string_view message, Clock::time_point now) {
  if (message != message_) {
    // A different failure is news: logged at once (the old one's repeats are dropped with it,
    // they were counted on its last line or are reported by recovered()).
    message_ = std::string(message);
    repeats_ = 0;
    lastLogged_ = now;
    return {true, 0};
  }
  ++repeats_;
  if (now - lastLogged_ < every_) return {false, repeats_};
  Decision decision{true, repeats_};
  repeats_ = 0;
  lastLogged_ = now;
  return decision;
}

std::uint64_t RepeatLimiter::recovered() {
  const std::uint64_t unlogged = repeats_;
  message_.clear();
  repeats_ = 0;
  return unlogged;
}

}  // namespace fhir837
