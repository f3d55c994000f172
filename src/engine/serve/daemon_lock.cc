#include "engine/serve/daemon_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace fhir837::serve {

namespace {

Result<int> openLockFile(const std::filesystem::path& stateDir) {
  std::error_code ec;
  std::filesystem::create_directories(stateDir, ec);
  const auto file = stateDir / "serve.lock";
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return makeError(ErrorCode::kIo, std::string("cannot open the lock: ") + std::strerror(errno),
                     file.string());
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<DaemonLock>> DaemonLock::tryAcquire(const std::filesystem::path& stateDir) {
  auto fd = openLockFile(stateDir);
  if (!fd) return fd.error();
  if (::flock(*fd, LOCK_EX | LOCK_NB) == 0) {
    return std::unique_ptr<DaemonLock>(new DaemonLock(*fd));
  }
  const int error = errno;
  ::close(*fd);
  if (error == EWOULDBLOCK) return std::unique_ptr<DaemonLock>();
  return makeError(ErrorCode::kIo, std::string("cannot lock: ") + std::strerror(error),
                   (stateDir / "serve.lock").string());
}

Result<std::unique_ptr<DaemonLock>> DaemonLock::acquire(const std::filesystem::path& stateDir,
                                                        std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    auto lock = tryAcquire(stateDir);
    if (!lock || *lock) return lock;
    if (std::chrono::steady_clock::now() >= deadline) {
      return makeError(ErrorCode::kIo,
                       "another fhir837 serve (or queue command) holds this state dir",
                       (stateDir / "serve.lock").string());
    }
    // A queue command holds it for one action (a second or so); a daemon for good.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

DaemonLock::~DaemonLock() { ::close(fd_); }

}  // namespace fhir837::serve
