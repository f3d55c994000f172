#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fhir837::http {

// A small Prometheus registry: counters, gauges and fixed-bucket histograms in labelled
// families, rendered in the text exposition format 0.0.4. Thread-safe; a series once created is
// updated with atomics only (callers on the request path may keep the reference).

class Counter {
 public:
  void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);  // upper bounds, ascending
  void observe(double value);
  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (= count)
    double sum = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bound, then +Inf
  std::atomic<double> sum_{0};
};

class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, std::string type,
               std::vector<std::string> labelNames)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(std::move(type)),
        labelNames_(std::move(labelNames)) {}
  virtual ~MetricFamily() = default;
  void render(std::string& out) const;

 protected:
  virtual void renderSeries(std::string& out) const = 0;
  // {a="x",b="y"} for a series' label values; empty without labels.
  std::string labelText(const std::vector<std::string>& values) const;

  std::string name_, help_, type_;
  std::vector<std::string> labelNames_;
};

template <class Metric>
class Family final : public MetricFamily {
 public:
  template <class... Args>
  Family(std::string name, std::string help, std::string type, std::vector<std::string> labels,
         Args... metricArgs)
      : MetricFamily(std::move(name), std::move(help), std::move(type), std::move(labels)),
        make_([metricArgs...] { return std::make_unique<Metric>(metricArgs...); }) {}

  // The series with these label values (in the family's label order), made on first use.
  Metric& with(std::initializer_list<std::string_view> values) {
    std::vector<std::string> key(values.begin(), values.end());
    {
      std::shared_lock lock(mutex_);
      if (auto found = series_.find(key); found != series_.end()) return *found->second;
    }
    std::unique_lock lock(mutex_);
    auto& slot = series_[std::move(key)];
    if (!slot) slot = make_();
    return *slot;
  }

 private:
  void renderSeries(std::string& out) const override;

  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;
template <>
void Family<Counter>::renderSeries(std::string& out) const;
template <>
void Family<Gauge>::renderSeries(std::string& out) const;
template <>
void Family<Histogram>::renderSeries(std::string& out) const;

class MetricsRegistry {
 public:
  CounterFamily& counter(std::string name, std::string help, std::vector<std::string> labels = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> labels = {});
  HistogramFamily& histogram(std::string name, std::string help, std::vector<double> bounds,
                             std::vector<std::string> labels = {});
  // Every family in registration order, its series by label values.
  std::string render() const;

 private:
  std::vector<std::unique_ptr<MetricFamily>> families_;  // registered at start-up only
};

// A sample value as the exposition format writes it: integers without a fraction, +Inf, NaN.
std::string formatSampleValue(double value);
// A label value escaped: backslash, double quote and newline.
std::string escapeLabelValue(std::string_view value);

}  // namespace fhir837::http
