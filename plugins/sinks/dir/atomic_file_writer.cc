#include "sinks/dir/atomic_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/crash_point.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {
Error ioError(const fs::path& path, const std::string& what) {
  return makeError(ErrorCode::kIo, what + ": " + std::strerror(errno), path.string());
}

Status writeAll(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError(path, "write failed");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}
}  // namespace

namespace {
fs::path directoryOf(const fs::path& target) {
  return target.parent_path().empty() ? fs::path(".") : target.parent_path();
}

// The temporary name starts with '.' and ends in ".tmp" so no consumer mistakes it for output;
// the pid keeps two writers of one name (which the store's reservations forbid) apart.
bool isTemporaryOf(const std::string& candidate, const std::string& targetName) {
  const std::string prefix = "." + targetName + ".";
  if (!candidate.starts_with(prefix) || !candidate.ends_with(".tmp")) return false;
  const std::string_view pid(candidate.data() + prefix.size(),
                             candidate.size() - prefix.size() - 4);
  return !pid.empty() && pid.find_first_not_of("0123456789") == std::string_view::npos;
}
}  // namespace

Result<std::size_t> removeAbandonedTemporaries(const fs::path& target) {
  const std::string name = target.filename().string();
  std::error_code ec;
  std::size_t removed = 0;
  fs::directory_iterator entries(directoryOf(target), ec);
  if (ec == std::errc::no_such_file_or_directory) return removed;
  for (; !ec && entries != fs::directory_iterator(); entries.increment(ec)) {
    if (!isTemporaryOf(entries->path().filename().string(), name)) continue;
    std::error_code removeError;
    if (fs::remove(entries->path(), removeError)) ++removed;
    if (removeError) {
      return makeError(ErrorCode::kIo,
                       "cannot remove abandoned temporary: " + removeError.message(),
                       entries->path().string());
    }
  }
  if (ec) {
    return makeError(ErrorCode::kIo, "cannot list for abandoned temporaries: " + ec.message(),
                     directoryOf(target).string());
  }
  return removed;
}

Result<bool> settleInterruptedWrite(const fs::path& target) {
  std::error_code ec;
  const bool written = fs::exists(target, ec);
  if (ec) return makeError(ErrorCode::kIo, "recovery: " + ec.message(), target.string());
  if (!written) {
    auto removed = removeAbandonedTemporaries(target);
    if (!removed) return removed.error();
  }
  return written;
}

Status writeFileAtomically(const fs::path& target, std::string_view bytes) {
  return writeFileAtomically(target, bytes, {});
}

Result<bool> finishCommittedTemporary(const fs::path& target) {
  const std::string name = target.filename().string();
  std::error_code ec;
  fs::directory_iterator entries(directoryOf(target), ec);
  if (ec == std::errc::no_such_file_or_directory) return false;
  for (; !ec && entries != fs::directory_iterator(); entries.increment(ec)) {
    if (!isTemporaryOf(entries->path().filename().string(), name)) continue;
    // Never over a file that is there: RENAME_NOREPLACE.
    if (::renameat2(AT_FDCWD, entries->path().c_str(), AT_FDCWD, target.c_str(),
                    RENAME_NOREPLACE) != 0) {
      return ioError(target, "cannot finish the committed temporary");
    }
    return true;
  }
  if (ec) {
    return makeError(ErrorCode::kIo, "cannot list for a committed temporary: " + ec.message(),
                     directoryOf(target).string());
  }
  return false;
}

Status writeFileAtomically(const fs::path& target, std::string_view bytes,
                           const std::function<Status()>& beforeRename) {
  const fs::path dir = directoryOf(target);
  const fs::path temp =
      dir / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ioError(temp, "cannot create");
  Status written = writeAll(fd, bytes, temp);
  if (written && ::fsync(fd) != 0) written = ioError(temp, "fsync failed");
  if (::close(fd) != 0 && written) written = ioError(temp, "close failed");
  if (!written) {
    ::unlink(temp.c_str());
    return written;
  }
  crashPoint("temp-written");
  if (beforeRename) {
    if (Status committed = beforeRename(); !committed) {
      ::unlink(temp.c_str());
      return committed;
    }
    crashPoint("committed");
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    Error error = ioError(target, "rename failed");
    ::unlink(temp.c_str());
    return error;
  }
  crashPoint("renamed");
  int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
  return Status::ok();
}

}  // namespace fhir837
