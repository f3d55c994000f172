#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>

#include "store/state_store.h"

namespace fhir837 {

// Opens the state store in `dir` for a test; a failure is a broken test set-up, hence the throw.
inline std::unique_ptr<StateStore> openStore(const std::filesystem::path& dir) {
  auto store = StateStore::open(dir);
  if (!store) throw std::runtime_error(store.error().describe());
  return std::move(*store);
}

}  // namespace fhir837
