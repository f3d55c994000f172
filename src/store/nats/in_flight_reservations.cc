#include "store/nats/in_flight_reservations.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "store/nats/ledger_records.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

Error ioError(const std::string& what, const fs::path& path) {
  return makeError(ErrorCode::kIo, what + ": " + std::strerror(errno), path.string());
}

Status syncPath(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return ioError("cannot open for fsync", path);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return ioError("fsync failed", path);
  return Status::ok();
}

}  // namespace

fs::path InFlightReservations::recordOf(const std::string& file) const {
  return dir_ / ledger_keys::hashed(file);
}

Status InFlightReservations::add(const std::string& file) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    return makeError(ErrorCode::kIo, "cannot create reservations dir: " + ec.message(),
                     dir_.string());
  }
  const fs::path record = recordOf(file);
  int fd = ::open(record.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ioError("cannot create reservation record", record);
  const bool written = ::write(fd, file.data(), file.size()) == static_cast<ssize_t>(file.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return ioError("cannot write reservation record", record);
  // The record's directory entry must be durable too, or a crash could lose the record.
  return syncPath(dir_, O_RDONLY | O_DIRECTORY);
}

Status InFlightReservations::remove(const std::string& file) {
  const fs::path record = recordOf(file);
  if (::unlink(record.c_str()) != 0 && errno != ENOENT) {
    return ioError("cannot remove reservation record", record);
  }
  return Status::ok();
}

Result<std::vector<std::string>> InFlightReservations::files() const {
  std::vector<fs::path> records;
  std::error_code ec;
  if (!fs::exists(dir_, ec)) return std::vector<std::string>();
  fs::directory_iterator entries(dir_, ec);
  for (; !ec && entries != fs::directory_iterator(); entries.increment(ec)) {
    records.push_back(entries->path());
  }
  if (ec) {
    return makeError(ErrorCode::kIo, "cannot list reservation records: " + ec.message(),
                     dir_.string());
  }
  std::vector<std::string> files;
  for (const fs::path& record : records) {
    std::ifstream in(record, std::ios::binary);
    std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A record cut short by the crash it was written for names no file: nothing was reserved
    // under it (keys are written only after its fsync), so it is dropped.
    if (file.empty() || ledger_keys::hashed(file) != record.filename().string()) {
      if (::unlink(record.c_str()) != 0 && errno != ENOENT) {
        return ioError("cannot remove torn reservation record", record);
      }
      continue;
    }
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace fhir837
