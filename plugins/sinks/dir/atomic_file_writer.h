#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "core/result.h"

namespace fhir837 {

// Writes `bytes` to `target` so that a reader (or a crash) sees either no file or the whole file:
// a temporary name in the same directory, fsync, rename, fsync of the directory.
Status writeFileAtomically(const std::filesystem::path& target, std::string_view bytes);
// The same, asking `beforeRename` once the temporary is durable: an error from it removes the
// temporary and is returned, and the target never appears.
Status writeFileAtomically(const std::filesystem::path& target, std::string_view bytes,
                           const std::function<Status()>& beforeRename);

// Renames a durable temporary of `target` left by a writer killed between its commit
// (beforeRename) and its rename into place. Returns false when there is none.
Result<bool> finishCommittedTemporary(const std::filesystem::path& target);

// Removes the temporary files a writer of `target` killed before its rename left behind
// (".<name>.<pid>.tmp"). A killed writer's temporary can hold a complete interchange whose claims
// a later run bills again under a new number: left in place, a process that ships the directory
// wholesale would send them twice. Returns how many were removed.
Result<std::size_t> removeAbandonedTemporaries(const std::filesystem::path& target);

// For crash recovery of a reservation: whether its writer got `target` renamed into place; when
// not, the temporaries it may have left are removed (above), since its claims go out again.
Result<bool> settleInterruptedWrite(const std::filesystem::path& target);

}  // namespace fhir837
