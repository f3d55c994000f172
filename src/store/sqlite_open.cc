#include "store/sqlite_open.h"

namespace fhir837 {

Error sqliteError(sqlite3* db, const std::string& what, const std::string& label) {
  return makeError(ErrorCode::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"),
                   label);
}

Result<sqlite3*> openDurableSqlite(const std::filesystem::path& file, const std::string& label,
                                   std::initializer_list<const char*> extraPragmas) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Error error = sqliteError(db, "cannot open " + file.string(), label);
    sqlite3_close(db);
    return error;
  }
  sqlite3_busy_timeout(db, 60000);
  auto apply = [&](const char* pragma) -> Status {
    if (sqlite3_exec(db, pragma, nullptr, nullptr, nullptr) == SQLITE_OK) return Status::ok();
    Error error = sqliteError(db, pragma, label);
    sqlite3_close(db);
    return error;
  };
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
    if (Status s = apply(pragma); !s) return s.error();
  }
  for (const char* pragma : extraPragmas) {
    if (Status s = apply(pragma); !s) return s.error();
  }
  return db;
}

}  // namespace fhir837
