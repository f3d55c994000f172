#include "app/progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace fhir837::app {

namespace {

constexpr std::size_t kBarCells = 20;

enum Part { kBar, kPercent, kPhase, kFiles, kResources, kClaims, kRate, kEta, kPartCount };
constexpr std::array<Part, kPartCount> kDropOrder = {kBar,    kFiles, kResources, kRate,
                                                     kClaims, kPhase, kEta,       kPercent};

std::string withThousands(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string count(std::uint64_t value, const char* noun) {
  return withThousands(value) + " " + noun + (value == 1 ? "" : "s");
}

std::string clock(std::uint64_t seconds) {
  char text[32];
  const std::uint64_t h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
  if (h > 0) {
    std::snprintf(text, sizeof text, "%llu:%02llu:%02llu", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(m), static_cast<unsigned long long>(s));
  } else {
    std::snprintf(text, sizeof text, "%llu:%02llu", static_cast<unsigned long long>(m),
                  static_cast<unsigned long long>(s));
  }
  return text;
}

std::string join(const std::array<std::string, kPartCount>& parts) {
  std::string line;
  for (int i = 0; i < kPartCount; ++i) {
    if (parts[i].empty()) continue;
    if (i == kPercent && !parts[kBar].empty()) {
      line += std::string(5 - std::min<std::size_t>(parts[i].size(), 4), ' ');  // " 41%" aligned
    } else if (!line.empty()) {
      line += "  ";
    }
    line += parts[i];
  }
  return line;
}

// Columns of the terminal behind `fd`, less one: writing the last column makes some terminals
// wrap, and the next '\r' would then redraw on a new line.
std::size_t lineWidth(int fd) {
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 1) return size.ws_col - 1u;
  return 79;
}

}  // namespace

ProgressSnapshot snapshotOf(const ConvertProgress& progress) {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  ProgressSnapshot s;
  s.totalBytes = progress.totalBytes.load(kRelaxed);
  s.bytesRead = progress.bytesRead.load(kRelaxed);
  s.files = progress.files.load(kRelaxed);
  s.resources = progress.resources.load(kRelaxed);
  s.events = progress.events.load(kRelaxed);
  s.claims = progress.claims.load(kRelaxed);
  s.totalEvents = progress.totalEvents.load(kRelaxed);
  s.phase = progress.phase.load(kRelaxed);
  return s;
}

std::string renderProgressLine(const ProgressSnapshot& s, double elapsedSeconds,
                               std::size_t width) {
  std::array<std::string, kPartCount> parts;
  // Coding (most of a bulk run) is measured in events once their number is known; reading in
  // bytes. Compressed inputs are counted uncompressed, so bytesRead may pass an on-disk total.
  const bool byEvents = s.phase == 1 && s.totalEvents > 0;
  const std::uint64_t total = byEvents ? s.totalEvents : s.totalBytes;
  const std::uint64_t done = std::min(byEvents ? s.events : s.bytesRead, total);
  if (total > 0) {
    const auto cells = static_cast<std::size_t>(done * kBarCells / total);
    std::string bar(kBarCells, ' ');
    std::fill_n(bar.begin(), cells, '=');
    if (cells < kBarCells) bar[cells] = '>';
    parts[kBar] = "[" + bar + "]";
    parts[kPercent] = std::to_string(done * 100 / total) + "%";
  }
  const double mbPerSecond =
      elapsedSeconds > 0 ? static_cast<double>(s.bytesRead) / 1e6 / elapsedSeconds : 0.0;
  if (s.totalBytes > 0 && s.phase == 0 && mbPerSecond > 0) {
    const double left = static_cast<double>(s.totalBytes - done) / 1e6 / mbPerSecond;
    parts[kEta] = "ETA " + clock(static_cast<std::uint64_t>(std::ceil(left)));
  }
  if (byEvents && done > 0 && s.codingSeconds > 0) {
    const double left = static_cast<double>(total - done) * s.codingSeconds / done;
    parts[kEta] = "ETA " + clock(static_cast<std::uint64_t>(std::ceil(left)));
  }
  if (s.phase == 1) {
    parts[kPhase] = "coding";
  } else if (s.phase == 0 && parts[kEta].empty()) {
    parts[kPhase] = "indexing";
  }
  parts[kFiles] = count(s.files, "file");
  parts[kResources] = count(s.resources, "resource");
  parts[kClaims] = count(s.claims, "claim");
  char rate[48];
  std::snprintf(rate, sizeof rate, "%.1f MB/s", mbPerSecond);
  parts[kRate] = rate;

  std::string line = join(parts);
  auto shown = std::count_if(parts.begin(), parts.end(), [](auto& p) { return !p.empty(); });
  for (Part drop : kDropOrder) {
    if (line.size() <= width || shown == 1) break;
    if (parts[drop].empty()) continue;
    parts[drop].clear();
    --shown;
    line = join(parts);
  }
  if (line.size() > width) line.resize(width);
  return line;
}

ProgressBar::ProgressBar(const ConvertProgress& progress, std::FILE* out,
                         std::chrono::milliseconds interval)
    : progress_(progress),
      out_(out),
      interval_(interval),
      start_(std::chrono::steady_clock::now()),
      thread_([this] { run(); }) {}

ProgressBar::~ProgressBar() { stop(); }

void ProgressBar::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    clear();
  }
}

void ProgressBar::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) draw();
}

void ProgressBar::draw() {
  const auto now = std::chrono::steady_clock::now();
  const std::chrono::duration<double> elapsed = now - start_;
  ProgressSnapshot snapshot = snapshotOf(progress_);
  if (snapshot.phase >= 1 && !codingStart_) codingStart_ = now;
  if (codingStart_)
    snapshot.codingSeconds = std::chrono::duration<double>(now - *codingStart_).count();
  std::string text = "\r" + renderProgressLine(snapshot, elapsed.count(), lineWidth(fileno(out_)));
  const std::size_t length = text.size() - 1;
  if (length < drawn_) text.append(drawn_ - length, ' ');  // blank what the last line had beyond
  drawn_ = length;
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

void ProgressBar::clear() {
  if (drawn_ == 0) return;
  const std::string blank = "\r" + std::string(drawn_, ' ') + "\r";
  std::fwrite(blank.data(), 1, blank.size(), out_);
  std::fflush(out_);
  drawn_ = 0;
}

}  // namespace fhir837::app
