#include "sources/inbox/inbox.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <iostream>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "core/crash_point.h"
#include "core/json_string.h"
#include "sources/inbox/inbox_moves.h"
#include "sources/inbox/inbox_reason.h"
#include "sources/inbox/inbox_settle.h"

namespace fhir837::inbox {

namespace fs = std::filesystem;

namespace {

// One line per event on stderr, file names and counts only (never content: no PHI).
void logLine(std::string_view event, const std::string& file, const std::string& rest) {
  std::string line = "{\"inbox\":";
  appendJsonString(line, event);
  line += ",\"file\":";
  appendJsonString(line, file);
  line += rest + "}\n";
  std::cerr << line << std::flush;
}

std::int64_t nanosOf(const struct timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1000000000 + time.tv_nsec;
}

class DirectoryInbox final : public Inbox {
 public:
  DirectoryInbox(InboxOptions options, serve::Journal& journal, std::function<void()> committed,
                 const Clock& clock)
      : options_(std::move(options)),
        journaler_(journal, std::move(committed), options_.intake),
        clock_(clock),
        settle_(options_.settle) {}

  ~DirectoryInbox() override {
    stop();
    if (inotify_ >= 0) ::close(inotify_);
    if (wake_ >= 0) ::close(wake_);
  }

  Status start() override {
    std::error_code ec;
    for (const fs::path& dir : {options_.dir, options_.dir / "done", options_.dir / "error"}) {
      fs::create_directories(dir, ec);
      if (ec) {
        return makeError(ErrorCode::kIo, "cannot create the inbox directory: " + ec.message(),
                         dir.string());
      }
    }
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_ < 0) return makeError(ErrorCode::kIo, "eventfd failed", options_.dir.string());
    // Without inotify (a network file system, no watches left) the rescan alone finds files.
    inotify_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_ >= 0 &&
        ::inotify_add_watch(inotify_, options_.dir.c_str(),
                            IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB) < 0) {
      ::close(inotify_);
      inotify_ = -1;
    }
    if (inotify_ < 0)
      logLine("no-inotify", options_.dir.filename().string(), ",\"rescan_only\":true");
    thread_ = std::thread([this] { run(); });
    return Status::ok();
  }

  void stop() override {
    if (!thread_.joinable()) return;
    stopping_.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_, &one, sizeof one);
    thread_.join();
  }

 private:
  void run() {
    auto lastScan = std::chrono::steady_clock::now();
    scan();
    while (!stopping_.load()) {
      const auto now = std::chrono::steady_clock::now();
      auto due = lastScan + options_.rescan;
      if (auto settled = settle_.nextDue(); settled && *settled < due) due = *settled;
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(due - now);
      const int timeout = static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, INT_MAX));
      struct pollfd fds[2] = {{wake_, POLLIN, 0}, {inotify_, POLLIN, 0}};
      const int ready = ::poll(fds, inotify_ >= 0 ? 2 : 1, timeout);
      if (stopping_.load()) break;
      if (ready > 0 && (fds[1].revents & POLLIN)) readEvents();
      lastScan = std::chrono::steady_clock::now();
      scan();
    }
  }

  void readEvents() {
    alignas(struct inotify_event) char buffer[16 * 1024];
    while (true) {
      const ssize_t got = ::read(inotify_, buffer, sizeof buffer);
      if (got <= 0) return;
      for (ssize_t at = 0; at < got;) {
        const auto* event = reinterpret_cast<const struct inotify_event*>(buffer + at);
        at += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
        if ((event->mask & IN_MOVED_TO) && event->len > 0) settle_.renamedIn(event->name);
      }
    }
  }

  // Lists the inbox and takes every complete file, oldest name first.
  void scan() {
    std::set<std::string> present;
    std::error_code ec;
    fs::directory_iterator it(options_.dir, ec);
    if (ec) {
      // The inbox is gone or unreadable: nothing is waiting to settle (no busy loop), and the
      // next rescan tries again.
      logLine("scan-failed", options_.dir.filename().string(), "");
      settle_.keepOnly({});
      return;
    }
    std::vector<std::string> names;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::string name = it->path().filename().string();
      if (isCandidateName(name)) names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      if (stopping_.load()) return;
      struct stat info {};
      const fs::path path = options_.dir / name;
      if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
      present.insert(name);
      const FileSighting seen{static_cast<std::uintmax_t>(info.st_size), nanosOf(info.st_mtim)};
      if (auto failed = failed_.find(name); failed != failed_.end()) {
        if (failed->second == seen) continue;  // failed before and unchanged: not again and again
        failed_.erase(failed);
      }
      if (!settle_.complete(name, seen, std::chrono::steady_clock::now())) continue;
      take(path, seen);
    }
    settle_.keepOnly(present);
    std::erase_if(failed_, [&](const auto& entry) { return !present.contains(entry.first); });
  }

  void take(const fs::path& path, FileSighting seen) {
    const std::string name = path.filename().string();
    auto report = journaler_.journal(path, stopping_);
    if (!report) {
      // The journal failed (or the daemon stops): the file stays and is taken again later.
      if (!stopping_.load()) {
        logLine("journal-failed", name, "");
      }
      settle_.forget(name);
      return;
    }
    crashPoint("inbox-journaled");
    const bool error = report->unusable();
    std::optional<std::string> reason;
    if (report->refusedCount > 0) {
      reason = renderReason(name, clock_.nowEpochSeconds(), error, *report);
    }
    auto moved = moveWithReason(path, options_.dir / (error ? "error" : "done"), reason);
    settle_.forget(name);
    if (!moved) {
      logLine("move-failed", name, "");
      failed_[name] = seen;
      return;
    }
    std::string rest = ",\"moved_to\":";
    appendJsonString(rest, (error ? "error/" : "done/") + moved->filename().string());
    rest += ",\"stored\":" + std::to_string(report->stored) +
            ",\"refused\":" + std::to_string(report->refusedCount);
    logLine(error ? "error" : "done", name, rest);
  }

  InboxOptions options_;
  FileJournaler journaler_;
  const Clock& clock_;
  SettleTracker settle_;
  std::map<std::string, FileSighting> failed_;  // not taken, and why it would fail again
  std::atomic<bool> stopping_{false};
  int inotify_ = -1;
  int wake_ = -1;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Inbox> makeInbox(InboxOptions options, serve::Journal& journal,
                                 std::function<void()> committed, const Clock& clock) {
  return std::make_unique<DirectoryInbox>(std::move(options), journal, std::move(committed), clock);
}

}  // namespace fhir837::inbox
