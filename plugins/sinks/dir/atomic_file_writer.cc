#include "sinks/dir/atomic_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

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

Status writeFileAtomically(const fs::path& target, std::string_view bytes) {
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  // The temporary name starts with '.' and ends in ".tmp" so no consumer mistakes it for output.
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
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    Error error = ioError(target, "rename failed");
    ::unlink(temp.c_str());
    return error;
  }
  int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
  return Status::ok();
}

}  // namespace fhir837
