#include "sources/http/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

namespace fhir837::http {

namespace {

void addDouble(std::atomic<double>& target, double value) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + value, std::memory_order_relaxed)) {
  }
}

std::string escapeHelp(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string formatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return std::string(text, end);
}

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::observe(double value) {
  const std::size_t bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  addDouble(sum_, value);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

void MetricFamily::render(std::string& out) const {
  out += "# HELP " + name_ + " " + escapeHelp(help_) + "\n";
  out += "# TYPE " + name_ + " " + type_ + "\n";
  renderSeries(out);
}

std::string MetricFamily::labelText(const std::vector<std::string>& values) const {
  if (values.empty()) return {};
  std::string text = "{";
  for (std::size_t i = 0; i < values.size() && i < labelNames_.size(); ++i) {
    if (i > 0) text += ',';
    text += labelNames_[i] + "=\"" + escapeLabelValue(values[i]) + "\"";
  }
  return text + "}";
}

template <>
void Family<Counter>::renderSeries(std::string& out) const {
  std::shared_lock lock(mutex_);
  for (const auto& [labels, counter] : series_) {
    out += name_ + labelText(labels) + " " + std::to_string(counter->value()) + "\n";
  }
}

template <>
void Family<Gauge>::renderSeries(std::string& out) const {
  std::shared_lock lock(mutex_);
  for (const auto& [labels, gauge] : series_) {
    out += name_ + labelText(labels) + " " + formatSampleValue(gauge->value()) + "\n";
  }
}

template <>
void Family<Histogram>::renderSeries(std::string& out) const {
  std::shared_lock lock(mutex_);
  for (const auto& [labels, histogram] : series_) {
    const Histogram::Snapshot snapshot = histogram->snapshot();
    const auto& bounds = histogram->bounds();
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      // le is the last label: {a="x",le="0.5"}.
      std::string series = labelText(labels);
      const std::string le =
          "le=\"" + (i < bounds.size() ? formatSampleValue(bounds[i]) : std::string("+Inf")) + "\"";
      series =
          series.empty() ? "{" + le + "}" : series.substr(0, series.size() - 1) + "," + le + "}";
      out += name_ + "_bucket" + series + " " + std::to_string(snapshot.cumulative[i]) + "\n";
    }
    out += name_ + "_sum" + labelText(labels) + " " + formatSampleValue(snapshot.sum) + "\n";
    out += name_ + "_count" + labelText(labels) + " " + std::to_string(snapshot.cumulative.back()) +
           "\n";
  }
}

CounterFamily& MetricsRegistry::counter(std::string name, std::string help,
                                        std::vector<std::string> labels) {
  auto family = std::make_unique<CounterFamily>(std::move(name), std::move(help), "counter",
                                                std::move(labels));
  CounterFamily& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

GaugeFamily& MetricsRegistry::gauge(std::string name, std::string help,
                                    std::vector<std::string> labels) {
  auto family =
      std::make_unique<GaugeFamily>(std::move(name), std::move(help), "gauge", std::move(labels));
  GaugeFamily& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

HistogramFamily& MetricsRegistry::histogram(std::string name, std::string help,
                                            std::vector<double> bounds,
                                            std::vector<std::string> labels) {
  auto family = std::make_unique<HistogramFamily>(std::move(name), std::move(help), "histogram",
                                                  std::move(labels), bounds);
  HistogramFamily& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

std::string MetricsRegistry::render() const {
  std::string out;
  for (const auto& family : families_) family->render(out);
  return out;
}

}  // namespace fhir837::http
