#include "sources/inbox/inbox_moves.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/crash_point.h"
#include "sinks/dir/atomic_file_writer.h"

namespace fhir837::inbox {

namespace fs = std::filesystem;

namespace {

Error systemError(const std::string& what, const fs::path& where) {
  return makeError(ErrorCode::kIo, what + ": " + std::strerror(errno), where.string());
}

// More collisions than this means something renames files in a loop; give up rather than spin.
constexpr unsigned kMaxCollisions = 100000;

}  // namespace

std::string numberedName(std::string_view name, unsigned n) {
  if (n <= 1) return std::string(name);
  const std::size_t dot = name.find('.', 1);
  const std::string suffix = "~" + std::to_string(n);
  if (dot == std::string_view::npos) return std::string(name) + suffix;
  return std::string(name.substr(0, dot)) + suffix + std::string(name.substr(dot));
}

fs::path freeNameIn(const fs::path& dir, std::string_view name) {
  for (unsigned n = 1;; ++n) {
    fs::path candidate = dir / numberedName(name, n);
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(candidate, ec)) || n == kMaxCollisions) return candidate;
  }
}

Status syncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return systemError("cannot open the directory to sync it", dir);
  const int synced = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (synced != 0) return systemError("cannot sync the directory", dir);
  return Status::ok();
}

Result<fs::path> moveWithReason(const fs::path& file, const fs::path& dir,
                                const std::optional<std::string>& reason) {
  const std::string name = file.filename().string();
  for (unsigned attempt = 0; attempt < kMaxCollisions; ++attempt) {
    const fs::path target = freeNameIn(dir, name);
    if (reason) {
      fs::path reasonFile = target;
      reasonFile += ".reason.json";
      if (Status written = writeFileAtomically(reasonFile, *reason); !written) {
        return written.error();
      }
      crashPoint("inbox-reason-written");
    }
    if (::renameat2(AT_FDCWD, file.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno == EEXIST) continue;  // taken since freeNameIn looked: the next name
      return systemError("cannot move the file to " + target.string(), file);
    }
    if (Status synced = syncDirectory(dir); !synced) return synced.error();
    if (Status synced = syncDirectory(file.parent_path()); !synced) return synced.error();
    return target;
  }
  return makeError(ErrorCode::kIo, "no free name in " + dir.string(), file.string());
}

}  // namespace fhir837::inbox
