#include "engine/bulk/input_file_lines.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fhir837 {

namespace {

Error ioError(const std::string& what, const std::string& where) {
  return makeError(ErrorCode::kIo, what + ": " + std::strerror(errno), where);
}

}  // namespace

Result<FileIdentity> FileIdentity::of(int fd, const std::string& where) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ioError("cannot stat the input", where);
  FileIdentity identity;
  identity.device = static_cast<std::uint64_t>(st.st_dev);
  identity.inode = static_cast<std::uint64_t>(st.st_ino);
  identity.size = static_cast<std::uint64_t>(st.st_size);
  identity.mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                     static_cast<std::int64_t>(st.st_mtim.tv_nsec);
  identity.regular = S_ISREG(st.st_mode);
  return identity;
}

Error inputChangedError(const std::string& display) {
  return makeError(ErrorCode::kIo,
                   "the input changed while this run used it (its size, modification time or "
                   "inode differ from when it was first read): its lines cannot be read back; "
                   "convert it again once nothing writes to it",
                   display);
}

struct InputFileLines::OpenFile {
  int fd = -1;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};

InputFileLines::InputFileLines(const LineStore& others, std::size_t maxOpen)
    : others_(others), maxOpen_(maxOpen == 0 ? 1 : maxOpen) {}

InputFileLines::~InputFileLines() = default;

void InputFileLines::add(std::uint32_t input, std::filesystem::path path, std::string display,
                         FileIdentity identity) {
  if (files_.size() <= input) files_.resize(input + 1);
  files_[input] = File{std::move(path), std::move(display), identity};
}

Result<std::shared_ptr<const InputFileLines::OpenFile>> InputFileLines::open(
    std::uint32_t input) const {
  std::lock_guard lock(mutex_);
  for (auto it = open_.begin(); it != open_.end(); ++it) {
    if (it->first != input) continue;
    open_.splice(open_.begin(), open_, it);
    return open_.front().second;
  }
  const File& file = *files_[input];
  auto opened = std::make_shared<OpenFile>();
  opened->fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (opened->fd < 0) return ioError("cannot open the input again to read its lines", file.display);
  open_.emplace_front(input, opened);
  if (open_.size() > maxOpen_) open_.pop_back();
  return std::shared_ptr<const OpenFile>(std::move(opened));
}

Status InputFileLines::read(std::uint32_t input, SpillSpan span, std::string& into) const {
  if (!holds(input)) return others_.read(input, span, into);
  auto file = open(input);
  if (!file) return file.error();
  const File& known = *files_[input];
  into.resize(span.length);
  std::size_t done = 0;
  while (done < into.size()) {
    ssize_t n = ::pread((*file)->fd, into.data() + done, into.size() - done,
                        static_cast<off_t>(span.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ioError("cannot read the input again", known.display);
    if (n == 0) break;  // shorter than when it was read: the identity check below says so
    done += static_cast<std::size_t>(n);
  }
  // Checked after the read, so bytes read from a file that changed are never used.
  auto now = FileIdentity::of((*file)->fd, known.display);
  if (!now) return now.error();
  if (!(*now == known.identity) || done < into.size()) return inputChangedError(known.display);
  return Status::ok();
}

}  // namespace fhir837
