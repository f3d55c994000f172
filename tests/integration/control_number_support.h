#pragma once
// Helpers for the control-number crash tests: a config with tiny interchanges, one distinct
// billable event per input file, fhir837 run as a child process (told by FHIR837_TEST_CRASH_AT
// at which step to SIGKILL itself), and a scan of every output dir for ISA13 values, claim ids
// and left-over temp files.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_paths.h"

namespace fhir837::crash {

namespace fs = std::filesystem;

inline std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A copy of the shipped config with absolute table paths and at most `maxClaims` claims per
// interchange, so one run writes several files.
inline fs::path writeConfig(const fs::path& dir, int maxClaims) {
  const fs::path source = testing::sourceDir();
  std::string text = testing::readFile(source / "config/fhir837.toml");
  text = replaceAll(text, "payers_dir = \"payers\"",
                    "payers_dir = \"" + (source / "config/payers").string() + "\"");
  text = replaceAll(text, "\"../mappings", "\"" + (source / "mappings").string());
  text = replaceAll(text, "max_claims_per_transaction = 5000",
                    "max_claims_per_transaction = " + std::to_string(maxClaims));
  const fs::path path = dir / "fhir837.toml";
  testing::writeFile(path, text);
  return path;
}

// One billable event: sample 01 with its administration id, encounter id and encounter
// identifier (which becomes CLM01) made unique.
struct Event {
  std::string maId;     // MedicationAdministration.id
  std::string claimId;  // CLM01
};

inline Event eventNamed(const std::string& tag) {  // tag: upper-case letters and digits only
  std::string lower;
  for (char c : tag)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return {"ma-" + lower, tag};
}

// Writes one input file per event into `dir` and returns the events.
inline std::vector<Event> writeEvents(const fs::path& dir, const std::string& prefix, int count) {
  static const std::string sample =
      testing::readFile(testing::sourceDir() / "samples/01-scig-95min-office/input.json");
  std::vector<Event> events;
  for (int i = 0; i < count; ++i) {
    char tag[32];
    std::snprintf(tag, sizeof tag, "%sE%03d", prefix.c_str(), i);
    Event event = eventNamed(tag);
    std::string text = replaceAll(sample, "\"ma-01\"", "\"" + event.maId + "\"");
    text = replaceAll(text, "\"enc-01\"", "\"enc-" + event.maId.substr(3) + "\"");
    text = replaceAll(text, "INF20250310001", event.claimId);
    testing::writeFile(dir / (event.maId + ".json"), text);
    events.push_back(event);
  }
  return events;
}

// A started fhir837 child; stdout and stderr go to files next to its output dir.
struct Child {
  pid_t pid = -1;
  fs::path stderrPath;
};

// Where a child kills itself (src/core/crash_point.h): at the `count`-th time it reaches `step`
// (owner-locked, reserved, temp-written, renamed, confirmed). An empty step: it runs to the end.
struct CrashAt {
  std::string step;
  int count = 0;
};

inline Child spawnFhir837(const std::vector<std::string>& args, const fs::path& logPrefix,
                          const CrashAt& crashAt = {}) {
  std::vector<std::string> full = {testing::fhir837Binary().string()};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The environment is built before the fork: nothing but async-signal-safe calls after it.
  const std::string crashVariable = "FHIR837_TEST_CRASH_AT=";
  std::vector<std::string> environment;
  for (char** e = environ; *e; ++e) {
    if (!std::string_view(*e).starts_with(crashVariable)) environment.emplace_back(*e);
  }
  if (!crashAt.step.empty()) {
    environment.push_back(crashVariable + crashAt.step + ":" + std::to_string(crashAt.count));
  }
  std::vector<char*> envp;
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string out = logPrefix.string() + ".stdout";
  const std::string err = logPrefix.string() + ".stderr";
  Child child;
  child.stderrPath = err;
  child.pid = ::fork();
  if (child.pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o >= 0) ::dup2(o, 1);
    if (e >= 0) ::dup2(e, 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return child;
}

struct ExitStatus {
  bool exited = false;    // false: ended by a signal
  int code = -1;          // exit code, or the signal number
  bool timedOut = false;  // the deadline passed: the child was SIGKILLed by waitFor
};

inline ExitStatus reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return {true, WEXITSTATUS(status)};
  return {false, WIFSIGNALED(status) ? WTERMSIG(status) : -1};
}

// Waits for the child's end, at most `deadline`: a hung child is killed and reported as timed
// out instead of hanging the test. The wait is poll() on a pidfd (no sleeping loop).
inline ExitStatus waitFor(pid_t pid, std::chrono::milliseconds deadline = std::chrono::minutes(5)) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return reap(pid);  // a kernel without pidfds: wait without a deadline
  const auto until = std::chrono::steady_clock::now() + deadline;
  bool ended = false;
  while (!ended) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd ready{pidfd, POLLIN, 0};
    const int n = ::poll(&ready, 1, static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) break;
    ended = n > 0;
  }
  ::close(pidfd);
  if (ended) return reap(pid);
  ::kill(pid, SIGKILL);
  ExitStatus status = reap(pid);
  status.timedOut = true;
  return status;
}

inline std::vector<std::string> convertArgs(const fs::path& config, const fs::path& state,
                                            const fs::path& out,
                                            const std::vector<fs::path>& inputs) {
  std::vector<std::string> args = {"convert",      "--config", config.string(), "--state-dir",
                                   state.string(), "-o",       out.string()};
  for (const auto& in : inputs) args.push_back(in.string());
  return args;
}

// What one .837 file holds.
struct InterchangeFile {
  fs::path path;
  std::string isa13;
  bool complete = false;  // starts with ISA, last segment is IEA with the same control number
  std::vector<std::string> claimIds;
};

// Everything found under the output dirs.
struct OutputScan {
  std::vector<InterchangeFile> files;
  std::vector<fs::path> tempFiles;   // .<name>.<pid>.tmp
  std::vector<fs::path> otherFiles;  // neither .837, temp, report.json nor the logs
};

inline std::vector<std::string> segmentsOf(const std::string& text) {
  std::vector<std::string> segments;
  std::string current;
  for (char c : text) {
    if (c == '~') {
      segments.push_back(current);
      current.clear();
    } else if (c != '\n' && c != '\r') {
      current.push_back(c);
    }
  }
  if (!current.empty()) segments.push_back(current);  // trailing bytes after the last '~'
  return segments;
}

inline std::vector<std::string> elementsOf(const std::string& segment) {
  std::vector<std::string> elements;
  std::stringstream in(segment);
  for (std::string e; std::getline(in, e, '*');) elements.push_back(e);
  return elements;
}

inline InterchangeFile readInterchange(const fs::path& path) {
  InterchangeFile file{path, "", false, {}};
  const std::string text = testing::readFile(path);
  const auto segments = segmentsOf(text);
  if (segments.empty()) return file;
  const auto isa = elementsOf(segments.front());
  if (isa.size() >= 14 && isa[0] == "ISA") file.isa13 = isa[13];
  const auto iea = elementsOf(segments.back());
  const bool endsClean = !text.empty() && text.find_last_not_of("\r\n") == text.rfind('~');
  file.complete = !file.isa13.empty() && endsClean && iea.size() == 3 && iea[0] == "IEA" &&
                  iea[2] == file.isa13;
  for (const auto& s : segments) {
    if (s.rfind("CLM*", 0) == 0) file.claimIds.push_back(elementsOf(s)[1]);
  }
  return file;
}

inline bool isTempName(const std::string& name) {
  return name.size() > 5 && name.front() == '.' && name.ends_with(".tmp");
}

inline void scanDir(const fs::path& dir, OutputScan& scan) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file()) {
      if (name != "rejects") scan.otherFiles.push_back(entry.path());
    } else if (isTempName(name)) {
      scan.tempFiles.push_back(entry.path());
    } else if (name.ends_with(".837")) {
      scan.files.push_back(readInterchange(entry.path()));
    } else if (name != "report.json") {
      scan.otherFiles.push_back(entry.path());
    }
  }
}

// Runs `fhir837 validate` over the files; empty when all are valid, else its output.
inline std::string validateAll(const std::vector<InterchangeFile>& files, const fs::path& work) {
  if (files.empty()) return "";
  std::vector<std::string> args = {"validate"};
  for (const auto& f : files) args.push_back(f.path.string());
  Child child = spawnFhir837(args, work / "validate");
  ExitStatus status = waitFor(child.pid);
  if (status.exited && status.code == 0) return "";
  return "validate exit " + std::to_string(status.code) + ": " +
         testing::readFile(work / "validate.stdout") + testing::readFile(child.stderrPath);
}

// Reads the ledger straight from SQLite (read-only, so no recovery runs).
struct LedgerCounts {
  int pending = 0, written = 0;
  long long lastControlNumber = 0;
};

inline LedgerCounts readLedger(const fs::path& stateDir) {
  LedgerCounts counts;
  sqlite3* db = nullptr;
  const fs::path file = stateDir / "fhir837.sqlite";
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return counts;
  }
  sqlite3_busy_timeout(db, 10000);
  auto scalar = [&](const char* sql) -> long long {
    sqlite3_stmt* stmt = nullptr;
    long long value = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    return value;
  };
  counts.pending = static_cast<int>(scalar("SELECT COUNT(*) FROM ledger WHERE state='pending'"));
  counts.written = static_cast<int>(scalar("SELECT COUNT(*) FROM ledger WHERE state='written'"));
  counts.lastControlNumber = scalar("SELECT COALESCE(MAX(last), 0) FROM control_numbers");
  sqlite3_close(db);
  return counts;
}

// claim id -> files that carry it.
inline std::map<std::string, std::vector<fs::path>> filesByClaim(const OutputScan& scan) {
  std::map<std::string, std::vector<fs::path>> byClaim;
  for (const auto& f : scan.files) {
    for (const auto& id : f.claimIds) byClaim[id].push_back(f.path);
  }
  return byClaim;
}

// ISA13 values carried by more than one file, with the files.
inline std::vector<std::string> duplicateControlNumbers(const OutputScan& scan) {
  std::map<std::string, std::vector<std::string>> byIsa13;
  for (const auto& f : scan.files) byIsa13[f.isa13].push_back(f.path.string());
  std::vector<std::string> dups;
  for (const auto& [isa13, paths] : byIsa13) {
    if (paths.size() < 2) continue;
    std::string line = isa13 + ":";
    for (const auto& p : paths) line += " " + p;
    dups.push_back(line);
  }
  return dups;
}

}  // namespace fhir837::crash
