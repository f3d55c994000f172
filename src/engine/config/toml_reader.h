#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/result.h"

namespace fhir837 {

// Typed, strict access to one TOML table. Every key read is remembered so checkUnknownKeys() can
// report keys nobody read (typos) with their full path. Errors are collected, not thrown; readers
// for nested tables share the parent's error list.
class TomlReader {
 public:
  TomlReader(const toml::table* table, std::string path);

  std::string string(const std::string& key, const std::string& fallback = {});
  std::string requiredString(const std::string& key);
  bool boolean(const std::string& key, bool fallback);
  std::int64_t integer(const std::string& key, std::int64_t fallback);
  std::vector<std::string> strings(const std::string& key);
  // A reader for a nested table; an absent table reads as empty.
  TomlReader table(const std::string& key);
  bool has(const std::string& key) const;
  // All keys of this table (for maps such as the fee schedule); marks them as read.
  std::vector<std::string> keys();
  const toml::node* raw(const std::string& key);

  void fail(const std::string& key, const std::string& message);
  std::string pathOf(const std::string& key) const;

  // Records an error for every key of this table that was never read.
  void checkUnknownKeys();
  // The first error recorded by this reader or any reader sharing its list.
  Status status() const;

 private:
  TomlReader(const toml::table* table, std::string path,
             std::shared_ptr<std::vector<Error>> errors);

  const toml::table* table_;
  std::string path_;
  std::set<std::string> seen_;
  std::shared_ptr<std::vector<Error>> errors_;
};

}  // namespace fhir837
