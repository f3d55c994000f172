#include "engine/bulk/hash_set64.h"

namespace fhir837 {

bool HashSet64::place(std::uint64_t value) {
  const std::size_t mask = slots_.size() - 1;
  // The values are already hashes; mixing once more spreads sequential ones.
  std::size_t i = static_cast<std::size_t>((value * 0x9E3779B97F4A7C15ull) >> 17) & mask;
  while (slots_[i] != 0) {
    if (slots_[i] == value) return false;
    i = (i + 1) & mask;
  }
  slots_[i] = value;
  return true;
}

void HashSet64::grow() {
  std::vector<std::uint64_t> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  for (std::uint64_t value : old) {
    if (value != 0) place(value);
  }
}

bool HashSet64::insert(std::uint64_t value) {
  if (value == 0) {
    const bool inserted = !hasZero_;
    hasZero_ = true;
    return inserted;
  }
  if ((size_ + 1) * 2 > slots_.size()) grow();
  if (!place(value)) return false;
  ++size_;
  return true;
}

}  // namespace fhir837
