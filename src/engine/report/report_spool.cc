#include "engine/report/report_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

// Large enough that a bulk run makes few system calls; small enough to not matter beside it.
constexpr std::size_t kWriteBufferBytes = 1 << 20;
constexpr std::size_t kSpoolBufferBytes = 256 << 10;
constexpr std::size_t kCopyChunkBytes = 64 << 10;

Error ioError(const fs::path& path, const std::string& what) {
  return makeError(ErrorCode::kIo, what + ": " + std::strerror(errno), path.string());
}

std::unique_ptr<char[]> bufferFor(std::FILE* file, std::size_t bytes) {
  auto buffer = std::make_unique<char[]>(bytes);
  std::setvbuf(file, buffer.get(), _IOFBF, bytes);
  return buffer;
}

Status writeBytes(std::FILE* file, std::string_view bytes, const fs::path& path) {
  if (bytes.empty()) return Status::ok();
  if (std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) {
    return ioError(path, "write failed");
  }
  return Status::ok();
}

void syncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Flushes, syncs and closes; the first failure wins.
Status closeDurably(detail::FilePtr file, const fs::path& path) {
  std::FILE* raw = file.release();
  Status status;
  if (std::fflush(raw) != 0) status = ioError(path, "write failed");
  if (status && ::fsync(::fileno(raw)) != 0) status = ioError(path, "fsync failed");
  if (std::fclose(raw) != 0 && status) status = ioError(path, "close failed");
  return status;
}

}  // namespace

// --- AtomicOutputFile ---

AtomicOutputFile::AtomicOutputFile(fs::path target, fs::path temp)
    : target_(std::move(target)), temp_(std::move(temp)) {}

Result<AtomicOutputFile> AtomicOutputFile::create(const fs::path& target) {
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  // Same naming as writeFileAtomically: a leading '.' and ".tmp" so no consumer takes it as output.
  fs::path temp =
      dir / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ioError(temp, "cannot create");
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    Error error = ioError(temp, "cannot open");
    ::close(fd);
    ::unlink(temp.c_str());
    return error;
  }
  AtomicOutputFile out(target, std::move(temp));
  out.buffer_ = bufferFor(file, kWriteBufferBytes);
  out.file_.reset(file);
  return out;
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!file_) return;
  file_.reset();
  ::unlink(temp_.c_str());
}

Status AtomicOutputFile::write(std::string_view bytes) {
  if (!file_) return makeError(ErrorCode::kIo, "report file already closed", temp_.string());
  return writeBytes(file_.get(), bytes, temp_);
}

Status AtomicOutputFile::append(std::FILE* source, const fs::path& sourcePath) {
  if (!file_) return makeError(ErrorCode::kIo, "report file already closed", temp_.string());
  if (std::fflush(file_.get()) != 0) return ioError(temp_, "write failed");
  if (std::fflush(source) != 0) return ioError(sourcePath, "write failed");
  const int in = ::fileno(source);
  const int out = ::fileno(file_.get());
  const off_t size = ::lseek(in, 0, SEEK_END);
  if (size < 0) return ioError(sourcePath, "seek failed");
  off_t offset = 0;
  while (offset < size) {
    ssize_t n =
        ::copy_file_range(in, &offset, out, nullptr, static_cast<std::size_t>(size - offset), 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL) {
      break;  // not supported here: copy the rest through a buffer
    }
    return ioError(temp_, "copy failed");
  }
  if (offset < size) {
    auto chunk = std::make_unique<char[]>(kCopyChunkBytes);
    while (offset < size) {
      ssize_t n = ::pread(in, chunk.get(), kCopyChunkBytes, offset);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return ioError(sourcePath, "read failed");
      if (Status s = writeBytes(file_.get(), {chunk.get(), static_cast<std::size_t>(n)}, temp_);
          !s) {
        return s;
      }
      offset += n;
    }
    if (std::fflush(file_.get()) != 0) return ioError(temp_, "write failed");
  }
  // Appending to the spool after a copy needs its position back at the end (C11 7.21.5.3).
  if (std::fseek(source, 0, SEEK_END) != 0) return ioError(sourcePath, "seek failed");
  return Status::ok();
}

Status AtomicOutputFile::commit() {
  if (!file_) return makeError(ErrorCode::kIo, "report file already closed", temp_.string());
  if (Status closed = closeDurably(std::move(file_), temp_); !closed) {
    ::unlink(temp_.c_str());
    return closed;
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    Error error = ioError(target_, "rename failed");
    ::unlink(temp_.c_str());
    return error;
  }
  syncDirectory(temp_.parent_path());
  return Status::ok();
}

// --- SpooledArray ---

SpooledArray::SpooledArray(fs::path path, detail::FilePtr file, std::unique_ptr<char[]> buffer)
    : path_(std::move(path)), buffer_(std::move(buffer)), file_(std::move(file)) {}

Result<SpooledArray> SpooledArray::create(const fs::path& dir, std::string_view stem) {
  // An anonymous file: a process killed at any moment leaves nothing in the output directory.
  // Where the file system has no O_TMPFILE, a named file is unlinked right after it is made.
  fs::path path = dir / (".fhir837-" + std::string(stem));
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::string pattern = (dir / (".fhir837-" + std::string(stem) + "-XXXXXX")).string();
    fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) return ioError(pattern, "cannot create spool file");
    ::unlink(pattern.c_str());
    path = pattern;
  }
  std::FILE* file = ::fdopen(fd, "w+b");
  if (file == nullptr) {
    Error error = ioError(path, "cannot open spool file");
    ::close(fd);
    return error;
  }
  auto buffer = bufferFor(file, kSpoolBufferBytes);
  return SpooledArray(std::move(path), detail::FilePtr(file), std::move(buffer));
}

SpooledArray::~SpooledArray() { remove(); }

void SpooledArray::remove() { file_.reset(); }

Status SpooledArray::ensureOpen() const {
  if (file_) return Status::ok();
  return makeError(ErrorCode::kIo, "spool already written and removed", path_.string());
}

Status SpooledArray::append(std::string_view element) {
  if (Status open = ensureOpen(); !open) return open;
  if (count_ > 0) {
    if (Status comma = writeBytes(file_.get(), ",", path_); !comma) return comma;
  }
  if (Status written = writeBytes(file_.get(), element, path_); !written) return written;
  ++count_;
  return Status::ok();
}

Status SpooledArray::copyTo(AtomicOutputFile& out) {
  if (Status open = ensureOpen(); !open) return open;
  return out.append(file_.get(), path_);
}

// --- ReportSpool ---

ReportSpool::ReportSpool(fs::path dir, bool createdDir, SpooledArray claims, SpooledArray outcomes)
    : dir_(std::move(dir)),
      createdDir_(createdDir),
      claims_(std::move(claims)),
      outcomes_(std::move(outcomes)) {}

Result<std::unique_ptr<ReportSpool>> ReportSpool::open(const fs::path& dir) {
  std::error_code ec;
  const bool created = fs::create_directories(dir, ec);
  if (ec) return makeError(ErrorCode::kIo, "cannot create spool dir: " + ec.message(), dir);
  auto claims = SpooledArray::create(dir, "claims");
  auto outcomes = claims ? SpooledArray::create(dir, "not-billed") : claims.error();
  if (!outcomes) {
    if (created) fs::remove(dir, ec);
    return outcomes.error();
  }
  return std::unique_ptr<ReportSpool>(
      new ReportSpool(dir, created, std::move(*claims), std::move(*outcomes)));
}

ReportSpool::~ReportSpool() { remove(); }

void ReportSpool::remove() {
  removed_ = true;
  claims_.remove();
  outcomes_.remove();
  std::error_code ec;
  // Only a directory made for the spool, and only when nothing else was put there.
  if (createdDir_) fs::remove(dir_, ec);
  createdDir_ = false;
}

}  // namespace fhir837
