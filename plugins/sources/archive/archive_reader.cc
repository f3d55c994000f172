#include "sources/archive/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>

namespace fhir837 {

namespace {

constexpr std::size_t kBlockBytes = 64u << 10;
constexpr std::size_t kMaxRetries = std::size_t{1} << 24;
// libarchive's private errno values (archive_private.h), not in its public headers.
constexpr int kArchiveErrnoMisc = -1;
constexpr int kArchiveErrnoFileFormat = EILSEQ;
constexpr int kArchiveErrnoProgrammer = EINVAL;

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Container detectContainer(std::string_view head) {
  if (startsWith(head, "\x1f\x8b")) return Container::kGzip;
  if (startsWith(head, "PK\x03\x04") || startsWith(head, "PK\x05\x06")) return Container::kZip;
  if (head.size() >= 262 && head.substr(257, 5) == "ustar") return Container::kTar;
  return Container::kPlain;
}

// Feeds libarchive from a ByteStream through its callback interface.
struct ArchiveReader::StreamSource {
  ByteStream* stream = nullptr;
  std::vector<char> block = std::vector<char>(kBlockBytes);

  static la_ssize_t read(::archive* a, void* self, const void** out) {
    auto* source = static_cast<StreamSource*>(self);
    auto got = source->stream->read(source->block.data(), source->block.size());
    if (!got) {
      const Error& e = got.error();
      archive_set_error(a, e.code == ErrorCode::kIo ? EIO : kArchiveErrnoMisc, "%s",
                        e.message.c_str());
      return -1;
    }
    *out = source->block.data();
    return static_cast<la_ssize_t>(*got);
  }
};

ArchiveReader::ArchiveReader(Mode mode) : mode_(mode), archive_(archive_read_new()) {}

ArchiveReader::~ArchiveReader() {
  if (archive_ != nullptr) archive_read_free(archive_);
}

namespace {

void enableFormats(::archive* a, ArchiveReader::Mode mode) {
  using Mode = ArchiveReader::Mode;
  switch (mode) {
    case Mode::kZip:
      archive_read_support_format_zip(a);
      break;
    case Mode::kTar:
      archive_read_support_format_tar(a);
      break;
    case Mode::kGzip:
      archive_read_support_filter_gzip(a);
      archive_read_support_format_tar(a);
      archive_read_support_format_raw(a);    // bids lowest: only when the data is not a tar
      archive_read_support_format_empty(a);  // raw refuses a gzip of nothing
      break;
    case Mode::kGzipData:
      archive_read_support_filter_gzip(a);
      archive_read_support_format_raw(a);
      archive_read_support_format_empty(a);
      break;
  }
}

}  // namespace

std::unique_ptr<ArchiveReader> ArchiveReader::openFile(const std::filesystem::path& path,
                                                       Mode mode) {
  std::unique_ptr<ArchiveReader> reader(new ArchiveReader(mode));
  enableFormats(reader->archive_, mode);
  reader->checkOpened(archive_read_open_filename(reader->archive_, path.c_str(), kBlockBytes));
  return reader;
}

std::unique_ptr<ArchiveReader> ArchiveReader::openStream(ByteStream& stream, Mode mode) {
  std::unique_ptr<ArchiveReader> reader(new ArchiveReader(mode));
  enableFormats(reader->archive_, mode);
  reader->source_ = std::make_unique<StreamSource>();
  reader->source_->stream = &stream;
  reader->checkOpened(archive_read_open(reader->archive_, reader->source_.get(), nullptr,
                                        &StreamSource::read, nullptr));
  return reader;
}

void ArchiveReader::checkOpened(int openResult) {
  if (openResult != ARCHIVE_OK) {
    openError_ = errorText();
    openIoError_ = errnoIsIo();
    return;
  }
  // libarchive's gzip filter only bids on a complete header; without it the raw format would
  // hand out the compressed bytes themselves.
  bool gzipMode = mode_ == Mode::kGzip || mode_ == Mode::kGzipData;
  if (gzipMode && archive_filter_code(archive_, 0) != ARCHIVE_FILTER_GZIP) {
    openError_ = "truncated or invalid gzip header";
  }
}

std::string ArchiveReader::errorText() const {
  const char* text = archive_error_string(archive_);
  return text != nullptr ? text : "unknown archive error";
}

bool ArchiveReader::errnoIsIo() const {
  int e = archive_errno(archive_);
  return e > 0 && e != kArchiveErrnoFileFormat && e != kArchiveErrnoProgrammer;
}

bool ArchiveReader::isRaw() const { return archive_format(archive_) == ARCHIVE_FORMAT_RAW; }

bool ArchiveReader::isEmptyData() const { return archive_format(archive_) == ARCHIVE_FORMAT_EMPTY; }

ArchiveReader::Header ArchiveReader::nextHeader() {
  Header header;
  if (!openError_.empty()) {
    header.state = Header::State::kFatal;
    header.error = openError_;
    header.ioError = openIoError_;
    openError_.clear();  // reported once; the handle stays unusable
    return header;
  }
  archive_entry* entry = nullptr;
  int r = archive_read_next_header(archive_, &entry);
  // RETRY: libarchive skipped a damaged header and can look for the next one (tar resyncs on
  // the next valid header block). Each retry consumes input, so the loop ends with the input.
  for (std::size_t tries = 0; r == ARCHIVE_RETRY && tries < kMaxRetries; ++tries) {
    if (header.skippedDamage.empty()) header.skippedDamage = errorText();
    r = archive_read_next_header(archive_, &entry);
  }
  if (r == ARCHIVE_EOF) return header;
  if (r == ARCHIVE_OK || r == ARCHIVE_WARN) {
    header.state = Header::State::kEntry;
    const char* name = archive_entry_pathname(entry);
    if (name == nullptr) name = archive_entry_pathname_utf8(entry);
    header.name = name != nullptr ? name : "";
    const auto type = archive_entry_filetype(entry);
    header.directory = type == AE_IFDIR;
    // A tar hard link is a regular-file header without data of its own.
    const bool hardLink = archive_entry_hardlink(entry) != nullptr;
    header.regular = type == AE_IFREG && !hardLink;
    header.kind = hardLink            ? "a hard link"
                  : type == AE_IFLNK  ? "a symbolic link"
                  : type == AE_IFIFO  ? "a FIFO"
                  : type == AE_IFCHR  ? "a character device"
                  : type == AE_IFBLK  ? "a block device"
                  : type == AE_IFSOCK ? "a socket"
                  : type == AE_IFREG  ? "a regular file"
                  : type == AE_IFDIR  ? "a directory"
                                      : "not a regular file";
    return header;
  }
  header.state = r == ARCHIVE_FAILED ? Header::State::kFailed : Header::State::kFatal;
  header.error = errorText();
  header.ioError = errnoIsIo();
  return header;
}

std::ptrdiff_t ArchiveReader::readData(char* buffer, std::size_t size, DataError& error) {
  while (true) {
    la_ssize_t n = archive_read_data(archive_, buffer, size);
    if (n >= 0) return n;
    if (n == ARCHIVE_RETRY) continue;
    error.text = errorText();
    error.ioError = errnoIsIo();
    error.fatal = n == ARCHIVE_FATAL;
    return -1;
  }
}

Result<std::size_t> ArchiveMemberStream::read(char* buffer, std::size_t size) {
  if (error_) return *error_;
  ArchiveReader::DataError failure;
  std::ptrdiff_t n = reader_.readData(buffer, size, failure);
  if (n >= 0) {
    delivered_ += static_cast<std::size_t>(n);
    return static_cast<std::size_t>(n);
  }
  fatal_ = failure.fatal;
  error_ = makeError(
      failure.ioError ? ErrorCode::kIo : ErrorCode::kSyntax,
      "cannot read " + where_ + " after " + std::to_string(delivered_) + " bytes: " + failure.text,
      where_);
  return *error_;
}

}  // namespace fhir837
