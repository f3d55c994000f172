#include "engine/config/toml_reader.h"

namespace fhir837 {

TomlReader::TomlReader(const toml::table* table, std::string path)
    : TomlReader(table, std::move(path), std::make_shared<std::vector<Error>>()) {}

TomlReader::TomlReader(const toml::table* table, std::string path,
                       std::shared_ptr<std::vector<Error>> errors)
    : table_(table), path_(std::move(path)), errors_(std::move(errors)) {}

std::string TomlReader::pathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void TomlReader::fail(const std::string& key, const std::string& message) {
  errors_->push_back(makeError(ErrorCode::kConfig, message, pathOf(key)));
}

const toml::node* TomlReader::raw(const std::string& key) {
  seen_.insert(key);
  return table_ ? table_->get(key) : nullptr;
}

bool TomlReader::has(const std::string& key) const { return table_ && table_->contains(key); }

std::string TomlReader::string(const std::string& key, const std::string& fallback) {
  const toml::node* node = raw(key);
  if (!node) return fallback;
  if (auto value = node->value<std::string>(); value && node->is_string()) return *value;
  fail(key, "must be a string");
  return fallback;
}

std::string TomlReader::requiredString(const std::string& key) {
  if (!has(key)) {
    seen_.insert(key);
    fail(key, "is required");
    return {};
  }
  std::string value = string(key);
  if (value.empty()) fail(key, "must not be empty");
  return value;
}

bool TomlReader::boolean(const std::string& key, bool fallback) {
  const toml::node* node = raw(key);
  if (!node) return fallback;
  if (node->is_boolean()) return *node->value<bool>();
  fail(key, "must be true or false");
  return fallback;
}

std::int64_t TomlReader::integer(const std::string& key, std::int64_t fallback) {
  const toml::node* node = raw(key);
  if (!node) return fallback;
  if (node->is_integer()) return *node->value<std::int64_t>();
  fail(key, "must be an integer");
  return fallback;
}

std::vector<std::string> TomlReader::strings(const std::string& key) {
  std::vector<std::string> out;
  const toml::node* node = raw(key);
  if (!node) return out;
  const toml::array* array = node->as_array();
  if (!array) {
    fail(key, "must be an array of strings");
    return out;
  }
  for (const auto& item : *array) {
    if (!item.is_string()) {
      fail(key, "must be an array of strings");
      return {};
    }
    out.push_back(*item.value<std::string>());
  }
  return out;
}

TomlReader TomlReader::table(const std::string& key) {
  const toml::node* node = raw(key);
  if (node && !node->is_table()) fail(key, "must be a table");
  return TomlReader(node ? node->as_table() : nullptr, pathOf(key), errors_);
}

std::vector<std::string> TomlReader::keys() {
  std::vector<std::string> out;
  if (!table_) return out;
  for (const auto& [key, value] : *table_) {
    out.emplace_back(key.str());
    seen_.insert(std::string(key.str()));
  }
  return out;
}

void TomlReader::checkUnknownKeys() {
  if (!table_) return;
  for (const auto& [key, value] : *table_) {
    if (!seen_.count(std::string(key.str()))) fail(std::string(key.str()), "unknown key");
  }
}

Status TomlReader::status() const {
  if (errors_->empty()) return Status::ok();
  return errors_->front();
}

}  // namespace fhir837
