#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fhir837 {

// A set of 64-bit hashes in one array (open addressing, linear probing, at most half full): at
// most 16 bytes per element, against about 40 for std::unordered_set's nodes, for sets that grow
// with every claim of a bulk run.
class HashSet64 {
 public:
  // False when `value` was already in the set.
  bool insert(std::uint64_t value);
  std::size_t size() const { return size_ + (hasZero_ ? 1 : 0); }

 private:
  void grow();
  bool place(std::uint64_t value);

  std::vector<std::uint64_t> slots_;  // 0 marks an empty slot; the value 0 is kept in hasZero_
  std::size_t size_ = 0;
  bool hasZero_ = false;
};

}  // namespace fhir837
