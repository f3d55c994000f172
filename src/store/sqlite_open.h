#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <initializer_list>
#include <string>

#include "core/result.h"

namespace fhir837 {

// Opens (or creates) a database every commit of which is on disk when COMMIT returns: WAL,
// synchronous=FULL, a 60 s busy timeout, then `extraPragmas`. Errors name `label` (the store's
// name in messages, e.g. "journal"); the connection is closed on failure.
Result<sqlite3*> openDurableSqlite(const std::filesystem::path& file, const std::string& label,
                                   std::initializer_list<const char*> extraPragmas = {});

// An I/O error naming `label` with SQLite's own message for `db`.
Error sqliteError(sqlite3* db, const std::string& what, const std::string& label);

}  // namespace fhir837
