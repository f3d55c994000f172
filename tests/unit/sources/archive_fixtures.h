#pragma once

// Builds zip / tar / tar.gz / gz fixtures in memory with libarchive's writer, so the tests carry
// no binary files and each case shows exactly what its archive holds.

#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace fhir837::testing {

struct ArchiveMember {
  std::string name;
  std::string bytes;
  bool directory = false;
  unsigned fileType = 0;  // an AE_IF* type other than a file or directory (AE_IFIFO, AE_IFCHR...)
  std::string symlink;    // AE_IFLNK target
  std::string hardlink;   // tar: a hard link to this earlier member
};

enum class ArchiveKind { kZip, kZipStored, kTar, kTarGz };

namespace detail {

inline la_ssize_t appendTo(archive*, void* out, const void* data, size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

inline void check(archive* a, int r) {
  if (r < ARCHIVE_WARN) throw std::runtime_error(archive_error_string(a));
}

inline void writeEntries(archive* a, const std::vector<ArchiveMember>& members) {
  for (const auto& m : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, m.name.c_str());
    archive_entry_set_filetype(entry, m.fileType != 0      ? m.fileType
                                      : m.directory        ? AE_IFDIR
                                      : !m.symlink.empty() ? AE_IFLNK
                                                           : AE_IFREG);
    if (!m.symlink.empty()) archive_entry_set_symlink(entry, m.symlink.c_str());
    if (!m.hardlink.empty()) archive_entry_set_hardlink(entry, m.hardlink.c_str());
    archive_entry_set_perm(entry, m.directory ? 0755 : 0644);
    archive_entry_set_size(entry, m.directory ? 0 : static_cast<la_int64_t>(m.bytes.size()));
    archive_entry_set_mtime(entry, 1700000000, 0);
    check(a, archive_write_header(a, entry));
    if (!m.directory && !m.bytes.empty()) {
      la_ssize_t n = archive_write_data(a, m.bytes.data(), m.bytes.size());
      if (n != static_cast<la_ssize_t>(m.bytes.size())) throw std::runtime_error("short write");
    }
    archive_entry_free(entry);
  }
}

}  // namespace detail

inline std::string makeArchive(ArchiveKind kind, const std::vector<ArchiveMember>& members) {
  std::string out;
  archive* a = archive_write_new();
  switch (kind) {
    case ArchiveKind::kZip:
      archive_write_set_format_zip(a);
      break;
    case ArchiveKind::kZipStored:
      archive_write_set_format_zip(a);
      archive_write_zip_set_compression_store(a);
      break;
    case ArchiveKind::kTar:
      archive_write_set_format_pax_restricted(a);
      break;
    case ArchiveKind::kTarGz:
      archive_write_set_format_pax_restricted(a);
      archive_write_add_filter_gzip(a);
      break;
  }
  archive_write_set_bytes_in_last_block(a, 1);
  detail::check(a, archive_write_open(a, &out, nullptr, &detail::appendTo, nullptr));
  detail::writeEntries(a, members);
  detail::check(a, archive_write_close(a));
  archive_write_free(a);
  return out;
}

// A plain .gz of `bytes` (libarchive's raw format under the gzip filter).
inline std::string gzip(const std::string& bytes) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  archive_write_add_filter_gzip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  detail::check(a, archive_write_open(a, &out, nullptr, &detail::appendTo, nullptr));
  detail::writeEntries(a, {{"data", bytes}});
  detail::check(a, archive_write_close(a));
  archive_write_free(a);
  return out;
}

}  // namespace fhir837::testing
