#include "sources/http/ops_readiness.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace fhir837::http {

ReadinessCheck storeCheck(serve::Journal& journal) {
  return {"store", [&journal]() -> std::optional<std::string> {
            auto seq = journal.lastSeq();
            if (!seq) return seq.error().describe();
            return std::nullopt;
          }};
}

ReadinessCheck outboxCheck(std::filesystem::path outbox) {
  return {"outbox", [outbox]() -> std::optional<std::string> {
            // A real create, not access(2): as root access() says yes to everything, and a
            // read-only mount or a file in the directory's place must show here.
            const std::filesystem::path probe =
                outbox / (".readyz-" + std::to_string(::getpid()) + ".probe");
            const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            if (fd < 0) {
              return "cannot create a file in the outbox " + outbox.string() + ": " +
                     std::strerror(errno);
            }
            ::close(fd);
            ::unlink(probe.c_str());
            return std::nullopt;
          }};
}

ReadinessCheck drainingCheck(const std::atomic<bool>& draining) {
  return {"draining", [&draining]() -> std::optional<std::string> {
            if (draining.load()) return std::string("stopping: no new work is taken");
            return std::nullopt;
          }};
}

}  // namespace fhir837::http
