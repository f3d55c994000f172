#include "sources/http/metrics_registry.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace fhir837::http {
namespace {

TEST(MetricsRegistryTest, RendersTheTextFormatByteForByte) {
  MetricsRegistry registry;
  CounterFamily& requests = registry.counter(
      "app_requests_total", "Requests by route\\status\nper line", {"route", "status"});
  GaugeFamily& queue = registry.gauge("app_queue_size", "Queued items");
  HistogramFamily& latency =
      registry.histogram("app_latency_seconds", "Latency", {0.005, 0.5, 1}, {"route"});
  requests.with({"/fhir/{type}", "201"}).add(2);
  requests.with({"/a\"b\\c\nd", "404"}).add();
  queue.with({}).set(2.5);
  latency.with({"/x"}).observe(0.00390625);
  latency.with({"/x"}).observe(0.5);
  latency.with({"/x"}).observe(7);
  EXPECT_EQ(registry.render(),
            "# HELP app_requests_total Requests by route\\\\status\\nper line\n"
            "# TYPE app_requests_total counter\n"
            "app_requests_total{route=\"/a\\\"b\\\\c\\nd\",status=\"404\"} 1\n"
            "app_requests_total{route=\"/fhir/{type}\",status=\"201\"} 2\n"
            "# HELP app_queue_size Queued items\n"
            "# TYPE app_queue_size gauge\n"
            "app_queue_size 2.5\n"
            "# HELP app_latency_seconds Latency\n"
            "# TYPE app_latency_seconds histogram\n"
            "app_latency_seconds_bucket{route=\"/x\",le=\"0.005\"} 1\n"
            "app_latency_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
            "app_latency_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"
            "app_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
            "app_latency_seconds_sum{route=\"/x\"} 7.50390625\n"
            "app_latency_seconds_count{route=\"/x\"} 3\n");
}

TEST(MetricsRegistryTest, UnlabelledHistogramAndFamiliesWithoutSeries) {
  MetricsRegistry registry;
  registry.counter("empty_total", "Nothing yet", {"kind"});
  HistogramFamily& sizes = registry.histogram("batch_size", "Sizes", {1, 2});
  sizes.with({}).observe(2);
  EXPECT_EQ(registry.render(),
            "# HELP empty_total Nothing yet\n"
            "# TYPE empty_total counter\n"
            "# HELP batch_size Sizes\n"
            "# TYPE batch_size histogram\n"
            "batch_size_bucket{le=\"1\"} 0\n"
            "batch_size_bucket{le=\"2\"} 1\n"
            "batch_size_bucket{le=\"+Inf\"} 1\n"
            "batch_size_sum 2\n"
            "batch_size_count 1\n");
}

TEST(MetricsRegistryTest, SampleValues) {
  EXPECT_EQ(formatSampleValue(3), "3");
  EXPECT_EQ(formatSampleValue(-2), "-2");
  EXPECT_EQ(formatSampleValue(0.25), "0.25");
  EXPECT_EQ(formatSampleValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(formatSampleValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(formatSampleValue(0.0 / 0.0), "NaN");
}

TEST(MetricsRegistryTest, ConcurrentUpdatesAreAllCounted) {
  MetricsRegistry registry;
  CounterFamily& hits = registry.counter("hits_total", "Hits", {"who"});
  HistogramFamily& spread = registry.histogram("spread", "Spread", {10});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        hits.with({t % 2 ? "odd" : "even"}).add();
        spread.with({}).observe(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(hits.with({"even"}).value(), 20000u);
  EXPECT_EQ(hits.with({"odd"}).value(), 20000u);
  EXPECT_EQ(spread.with({}).snapshot().cumulative.back(), 40000u);
  EXPECT_EQ(spread.with({}).snapshot().sum, 40000.0);
}

}  // namespace
}  // namespace fhir837::http
