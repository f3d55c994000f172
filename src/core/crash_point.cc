#include "core/crash_point.h"

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace fhir837 {

namespace {

struct CrashPlan {
  std::string step;  // empty: no crash planned
  long count = 0;
};

CrashPlan readPlan() {
  CrashPlan plan;
  const char* env = std::getenv("FHIR837_TEST_CRASH_AT");
  if (!env) return plan;
  const std::string value(env);
  const std::size_t colon = value.rfind(':');
  if (colon == std::string::npos) return plan;
  plan.count = std::strtol(value.c_str() + colon + 1, nullptr, 10);
  if (plan.count > 0) plan.step = value.substr(0, colon);
  return plan;
}

}  // namespace

void crashPoint(std::string_view step) {
  static const CrashPlan plan = readPlan();
  static std::atomic<long> reached{0};
  if (plan.step.empty() || plan.step != step) return;
  if (reached.fetch_add(1) + 1 == plan.count) ::raise(SIGKILL);
}

}  // namespace fhir837
