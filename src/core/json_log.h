#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace fhir837 {

// One log line of the daemon: a JSON object {"time":..., "level":..., "event":..., fields...}.
// Callers add only what is safe to log: ids, types, rules, counts, never names or bodies.
class LogLine {
 public:
  LogLine(std::string_view level, std::string_view event);
  LogLine& str(std::string_view key, std::string_view value);
  LogLine& num(std::string_view key, std::int64_t value);
  LogLine& millis(std::string_view key, double value);  // three decimals
  // The object, closed, with its newline.
  std::string text() const;

 private:
  std::string line_;
};

// Where daemon log lines go: stderr by default, one write per line under a lock so lines of
// concurrent threads never interleave. Tests replace it.
using LogSink = std::function<void(const std::string& line)>;
void writeLog(const LogLine& line);
void setLogSink(LogSink sink);  // an empty sink restores stderr

// Keeps a repeating failure to one line a minute: the first occurrence is logged, the repeats
// only counted, and every `every` a line says how many there were since.
class RepeatLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RepeatLimiter(Clock::duration every = std::chrono::minutes(1)) : every_(every) {}
  struct Decision {
    bool log = false;
    std::uint64_t repeats = 0;  // occurrences not logged since the last line
  };
  // A failure with this message happened now.
  Decision failed(std::string_view message, Clock::time_point now);
  // The failure is over: the repeats not logged yet (0 when there was none or all were logged).
  std::uint64_t recovered();
  bool failing() const { return !message_.empty(); }

 private:
  Clock::duration every_;
  std::string message_;
  Clock::time_point lastLogged_{};
  std::uint64_t repeats_ = 0;
};

}  // namespace fhir837
