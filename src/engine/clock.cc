#include "engine/clock.h"

#include <chrono>
#include <cstdio>

namespace fhir837 {

std::int64_t SystemClock::nowEpochSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

UtcStamp utcStamp(std::int64_t epochSeconds) {
  using namespace std::chrono;
  sys_seconds tp{seconds{epochSeconds}};
  auto dayPoint = floor<days>(tp);
  year_month_day ymd{dayPoint};
  hh_mm_ss hms{tp - dayPoint};
  char date[16];
  char time[8];
  std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  std::snprintf(time, sizeof time, "%02d%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return UtcStamp{date, time};
}

}  // namespace fhir837
