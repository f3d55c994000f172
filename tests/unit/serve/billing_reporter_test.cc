#include "engine/serve/billing_reporter.h"

#include <gtest/gtest.h>

namespace fhir837::serve {
namespace {

class CountingTelemetry : public Telemetry {
 public:
  void billingFailed() override { ++failures; }
  void eventDecided(std::string_view state, std::string_view rule) override {
    decisions.push_back(std::string(state) + " " + std::string(rule));
  }
  void written(std::size_t c, std::size_t i) override {
    claims += c;
    interchanges += i;
  }
  int failures = 0;
  std::vector<std::string> decisions;
  std::size_t claims = 0, interchanges = 0;
};

// The log lines without their time.
class CapturedLog {
 public:
  CapturedLog() {
    setLogSink(
        [this](const std::string& line) { lines.push_back(line.substr(line.find("\",") + 2)); });
  }
  ~CapturedLog() { setLogSink({}); }
  std::vector<std::string> lines;
};

TEST(BillingReporterTest, AFailureRetriedAtNewPlacesIsLoggedOnceThenItsEnd) {
  CapturedLog log;
  CountingTelemetry telemetry;
  BillingReporter reporter(telemetry);
  reporter.coded();  // nothing failed: nothing to say
  for (int i = 1; i <= 3; ++i) {
    reporter.failed(makeError(ErrorCode::kIo, "cannot create: Not a directory",
                              "outbox/." + std::to_string(i) + ".tmp"));
  }
  reporter.coded();
  reporter.coded();
  EXPECT_EQ(telemetry.failures, 3);
  EXPECT_EQ(log.lines,
            (std::vector<std::string>{
                "\"level\":\"error\",\"event\":\"billing_error\",\"error\":\"outbox/.1.tmp: cannot "
                "create: Not a directory\"}\n",
                "\"level\":\"info\",\"event\":\"billing_recovered\",\"repeated\":2}\n"}));
}

TEST(BillingReporterTest, DecisionsAreLoggedByKeyOutcomeAndRuleOnly) {
  CapturedLog log;
  CountingTelemetry telemetry;
  BillingReporter reporter(telemetry);
  EventBillingStatus status;
  status.eventKey = "MedicationAdministration/ma-01";
  status.state = "needs-review";
  status.rule = "SERVE-REPLACE";
  status.reason = "member W123456789 changed";
  reporter.decided({status}, 2, 1);
  EXPECT_EQ(telemetry.decisions, (std::vector<std::string>{"needs-review SERVE-REPLACE"}));
  EXPECT_EQ(telemetry.claims, 2u);
  EXPECT_EQ(telemetry.interchanges, 1u);
  EXPECT_EQ(log.lines, (std::vector<std::string>{
                           "\"level\":\"info\",\"event\":\"billing_decision\",\"resource\":"
                           "\"MedicationAdministration/ma-01\",\"outcome\":\"needs-review\","
                           "\"rule\":\"SERVE-REPLACE\"}\n"}));
}

}  // namespace
}  // namespace fhir837::serve
