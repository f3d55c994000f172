#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace fhir837 {

// RAII prepared statement, shared by the SQLite stores (state store, serve journal).
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  void bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, const std::string& text) { bind(i, std::string_view(text)); }
  void bind(int i, const char* text) { bind(i, std::string_view(text)); }
  void bind(int i, std::int64_t value) { sqlite3_bind_int64(stmt_, i, value); }
  // Bodies are stored as BLOBs: any bytes, no text conversion.
  void bindBlob(int i, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
  int step() { return sqlite3_step(stmt_); }
  // Ready for the next row: one prepared statement serves a whole loop.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int col) { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  std::string blob(int col) {
    const void* data = sqlite3_column_blob(stmt_, col);
    const int size = sqlite3_column_bytes(stmt_, col);
    return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size)) : "";
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace fhir837
