#pragma once

#include <cstdint>
#include <string>

namespace fhir837 {

// The one place that reads the wall clock. The pipeline takes a Clock so output is reproducible:
// with SOURCE_DATE_EPOCH set (reproducible-builds.org convention) every timestamp the emitter
// writes comes from it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t nowEpochSeconds() const = 0;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t epochSeconds) : epochSeconds_(epochSeconds) {}
  std::int64_t nowEpochSeconds() const override { return epochSeconds_; }

 private:
  std::int64_t epochSeconds_;
};

class SystemClock final : public Clock {
 public:
  std::int64_t nowEpochSeconds() const override;
};

// Calendar parts of an epoch second in UTC: "CCYYMMDD" and "HHMM".
struct UtcStamp {
  std::string date;  // CCYYMMDD
  std::string time;  // HHMM
};
UtcStamp utcStamp(std::int64_t epochSeconds);

}  // namespace fhir837
