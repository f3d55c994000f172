#include "sources/archive/input_streams.h"

#include <memory>
#include <string_view>

#include "rule_ids.h"
#include "sources/archive/archive_reader.h"
#include "sources/archive/byte_streams.h"
#include "sources/files/input_files.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

// Reopening a zip past a broken member costs a walk over the headers before it; the cap keeps a
// hostile archive of thousands of broken members from making that quadratic without end.
constexpr std::size_t kMaxReopens = 1000;

class FailingStream : public ByteStream {
 public:
  explicit FailingStream(Error error) : error_(std::move(error)) {}
  Result<std::size_t> read(char*, std::size_t) override { return error_; }

 private:
  Error error_;
};

// Hidden like a dot-file in a directory walk, or macOS resource-fork debris.
bool isHiddenMember(std::string_view name) {
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    std::string_view part = name.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == "__MACOSX") return true;
    if (!part.empty() && part[0] == '.' && part != "." && part != "..") return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

Error headerError(const std::string& display, const ArchiveReader::Header& header,
                  std::size_t headersSeen) {
  return makeError(
      header.ioError ? ErrorCode::kIo : ErrorCode::kSyntax,
      "cannot read " + display +
          (headersSeen > 0 ? " after " + std::to_string(headersSeen) + " members" : "") + ": " +
          header.error,
      display);
}

// Where an archive's bytes come from, so a zip on disk can be opened again.
struct ArchiveSource {
  InputName name;
  bool fileBacked = false;
  ByteStream* stream = nullptr;
  ArchiveReader::Mode mode = ArchiveReader::Mode::kZip;

  std::unique_ptr<ArchiveReader> open() const {
    return fileBacked ? ArchiveReader::openFile(name.path, mode)
                      : ArchiveReader::openStream(*stream, mode);
  }
};

// A member that is itself gzip is decompressed (one level only).
Status visitMember(const InputName& name, ArchiveMemberStream& member, const InputVisitor& visit) {
  PeekableStream peek(member);
  if (detectContainer(peek.peek(2)) != Container::kGzip) return visit(name, peek);
  auto inner = ArchiveReader::openStream(peek, ArchiveReader::Mode::kGzipData);
  ArchiveReader::Header header = inner->nextHeader();
  switch (header.state) {
    case ArchiveReader::Header::State::kEntry: {
      ArchiveMemberStream data(*inner, name.display);
      return visit(name, data);
    }
    case ArchiveReader::Header::State::kEnd: {
      MemoryByteStream empty("");
      return visit(name, empty);
    }
    default: {
      FailingStream failing(makeError(
          header.ioError ? ErrorCode::kIo : ErrorCode::kSyntax,
          "cannot read " + name.display + " after 0 bytes: " + header.error, name.display));
      return visit(name, failing);
    }
  }
}

bool skipHeaders(ArchiveReader& reader, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    auto state = reader.nextHeader().state;
    if (state == ArchiveReader::Header::State::kEnd ||
        state == ArchiveReader::Header::State::kFatal) {
      return false;
    }
  }
  return true;
}

Status visitArchive(const ArchiveSource& source, const InputVisitor& visit) {
  using State = ArchiveReader::Header::State;
  std::unique_ptr<ArchiveReader> reader = source.open();
  std::size_t headersSeen = 0;
  std::size_t visited = 0;  // members (and errors) handed to the visitor
  std::size_t reopens = 0;
  while (true) {
    ArchiveReader::Header header = reader->nextHeader();
    if (!header.skippedDamage.empty()) {
      ArchiveReader::Header damage = header;
      damage.error = header.skippedDamage;
      damage.ioError = false;
      FailingStream failing(headerError(source.name.display, damage, headersSeen));
      ++visited;
      if (Status s = visit(source.name, failing); !s) return s;
    }
    if (header.state == State::kEnd) {
      if (visited > 0) return Status::ok();
      if (reader->isEmptyData()) {
        MemoryByteStream empty("");  // a gzip of nothing is still an (empty) input
        return visit(source.name, empty);
      }
      // An empty zip, a zip of directories, a gzip of zero blocks (an empty tar): still an input,
      // reported as empty.
      FailingStream failing(makeError(
          ErrorCode::kInvalidValue,
          "archive holds no files" + (headersSeen > 0 ? " (only " + std::to_string(headersSeen) +
                                                            " directories or hidden members)"
                                                      : std::string()),
          source.name.display, rule_id::kInputEmpty));
      return visit(source.name, failing);
    }
    if (header.state == State::kFatal || header.state == State::kFailed) {
      FailingStream failing(headerError(source.name.display, header, headersSeen));
      ++visited;
      if (Status s = visit(source.name, failing); !s) return s;
      if (header.state == State::kFatal) return Status::ok();
      ++headersSeen;
      continue;
    }
    ++headersSeen;
    if (header.directory || isHiddenMember(header.name)) continue;
    const bool raw = reader->isRaw();
    InputName name = source.name;
    if (!raw) {
      name.display += "!" + header.name;
      name.member = header.name;
    }
    ++visited;
    if (!header.regular) {
      // A link, FIFO or device member has no data of its own: reported, never followed.
      FailingStream failing(makeError(ErrorCode::kUnsupported,
                                      "archive member is " + header.kind + ": not read",
                                      name.display, rule_id::kInputNotFile));
      if (Status s = visit(name, failing); !s) return s;
      continue;
    }
    ArchiveMemberStream member(*reader, name.display);
    Status visited = raw ? visit(name, member) : visitMember(name, member, visit);
    if (!visited) return visited;
    if (!member.fatal()) continue;
    // The decoder broke inside this member and libarchive cannot go on with this handle. A zip on
    // disk can be reopened and its central directory walked past the broken member; a stream
    // (or a gzip, whose later bytes hang on the broken ones) cannot.
    if (!source.fileBacked || source.mode != ArchiveReader::Mode::kZip || ++reopens > kMaxReopens) {
      return Status::ok();
    }
    reader = source.open();
    if (!skipHeaders(*reader, headersSeen)) return Status::ok();
  }
}

Status visitSource(const InputName& name, ByteStream& raw, bool fileBacked,
                   const InputVisitor& visit) {
  PeekableStream peek(raw);
  ArchiveSource source{name, fileBacked, &peek};
  switch (detectContainer(peek.peek(kContainerMagicBytes))) {
    case Container::kPlain:
      return visit(name, peek);
    case Container::kGzip:
      source.mode = ArchiveReader::Mode::kGzip;
      break;
    case Container::kZip:
      source.mode = ArchiveReader::Mode::kZip;
      break;
    case Container::kTar:
      source.mode = ArchiveReader::Mode::kTar;
      break;
  }
  return visitArchive(source, visit);
}

}  // namespace

Status forEachInputStream(const std::vector<fs::path>& inputs, const InputVisitor& visit,
                          const InputStreamOptions& options) {
  std::vector<InputEntry> expanded;
  for (const auto& input : inputs) {
    if (input == "-") {
      expanded.push_back(InputEntry{input, false, std::nullopt});
      continue;
    }
    auto entries = expandInputs({input});
    if (!entries) return entries.error();
    expanded.insert(expanded.end(), std::make_move_iterator(entries->begin()),
                    std::make_move_iterator(entries->end()));
  }
  for (const auto& entry : expanded) {
    const fs::path& path = entry.path;
    InputName name{path.string(), path, {}};
    Status visited;
    if (entry.problem) {
      FailingStream failing(*entry.problem);
      visited = visit(name, failing);
    } else if (path == "-") {
      if (options.stdinStream != nullptr) {
        IstreamByteStream in(*options.stdinStream, "-");
        visited = visitSource(name, in, false, visit);
      } else {
        FileByteStream in(0, "-");
        visited = visitSource(name, in, false, visit);
      }
    } else {
      FileByteStream in(path, name.display);
      visited = visitSource(name, in, entry.regular, visit);
    }
    if (!visited) return visited;
  }
  return Status::ok();
}

}  // namespace fhir837
