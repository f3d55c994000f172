#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ndjson/byte_stream.h"

struct archive;

namespace fhir837 {

// What the first bytes of an input say it is. Only content counts: x.json holding gzip is gzip.
enum class Container {
  kPlain,  // anything else: read as is
  kGzip,   // 1f 8b (a .tar.gz too: libarchive tells tar from raw data after decompressing)
  kZip,    // "PK\x03\x04", or "PK\x05\x06" for an empty zip
  kTar,    // "ustar" at offset 257 (POSIX and GNU tar)
};

// Bytes detectContainer() wants to see (the tar magic ends at 262).
inline constexpr std::size_t kContainerMagicBytes = 262;

Container detectContainer(std::string_view head);

// One libarchive read handle, limited to the formats fhir837 accepts: zip, tar, and gzip holding
// either a tar or plain data (libarchive's "raw" format). Never throws; every libarchive failure
// becomes an Error naming the input.
class ArchiveReader {
 public:
  // kGzip: a gzip stream holding a tar or raw data; kGzipData: a gzip stream of raw data only
  // (a .gz member inside an archive: deeper nesting is not unpacked).
  enum class Mode { kZip, kTar, kGzip, kGzipData };

  // From a file on disk: zip then reads its central directory, so a corrupt member does not hide
  // the ones after it.
  static std::unique_ptr<ArchiveReader> openFile(const std::filesystem::path& path, Mode mode);
  // From a stream (stdin, an archive member). The stream must outlive the reader.
  static std::unique_ptr<ArchiveReader> openStream(ByteStream& stream, Mode mode);

  Mode mode() const { return mode_; }

  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  struct Header {
    enum class State { kEntry, kEnd, kFailed, kFatal } state = State::kEnd;
    std::string name;        // member path (kEntry)
    bool regular = false;    // a regular file with its own data (kEntry)
    bool directory = false;  // a directory (kEntry)
    std::string kind;        // what a member that is not regular is: "a symbolic link", ...
    std::string error;       // libarchive's text (kFailed: skip this header; kFatal: stop)
    bool ioError = false;    // the operating system failed, not the data
    // kEntry/kEnd found only after skipping damaged headers: libarchive's text for the first one.
    std::string skippedDamage;
  };
  Header nextHeader();

  // True when the input was plain data under gzip rather than an archive (valid after the first
  // nextHeader()).
  bool isRaw() const;
  // True when a gzip stream decompressed to nothing at all (valid after the first nextHeader()).
  bool isEmptyData() const;

  struct DataError {
    std::string text;
    bool ioError = false;
    bool fatal = true;  // the handle is unusable afterwards
  };
  // Reads the current member's data: >= 0 bytes, or a DataError.
  std::ptrdiff_t readData(char* buffer, std::size_t size, DataError& error);

 private:
  struct StreamSource;
  explicit ArchiveReader(Mode mode);
  void checkOpened(int openResult);
  std::string errorText() const;
  bool errnoIsIo() const;

  Mode mode_;
  ::archive* archive_ = nullptr;
  std::unique_ptr<StreamSource> source_;
  std::string openError_;
  bool openIoError_ = false;
};

// The data of the current member of an ArchiveReader as a ByteStream. Errors are kSyntax (corrupt
// or truncated data) or kIo, with `where` = the display name and a message naming it and the
// decompressed byte offset where reading stopped.
class ArchiveMemberStream : public ByteStream {
 public:
  ArchiveMemberStream(ArchiveReader& reader, std::string where)
      : reader_(reader), where_(std::move(where)) {}
  Result<std::size_t> read(char* buffer, std::size_t size) override;
  // The member's data hit an error that left the reader unusable.
  bool fatal() const { return fatal_; }

 private:
  ArchiveReader& reader_;
  std::string where_;
  std::size_t delivered_ = 0;
  bool fatal_ = false;
  std::optional<Error> error_;
};

}  // namespace fhir837
