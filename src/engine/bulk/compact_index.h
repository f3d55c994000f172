#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/bulk/spill_file.h"
#include "model/resources.h"

namespace fhir837 {

// The keys of the resources read from NDJSON, without the resources: where each one's line is in
// the SpillFile, 64-bit hashes of its "Type/id" and identifier values, and the beneficiaries of
// the Coverages (standalone, or contained in Claim/ExplanationOfBenefit). About 40 bytes per
// resource, so memory grows with the referenced resources only, never with their size. Hashes
// may collide: lookups return candidates that the caller checks after loading them.
class CompactIndex {
 public:
  using EntryId = std::uint32_t;

  struct Entry {
    SpillSpan span;
    std::uint32_t input = 0;  // index into the run's input names
    std::uint32_t line = 0;   // NDJSON line number, for messages
  };

  // A Coverage to link to its patient once every resource is indexed.
  struct CoverageSource {
    EntryId holder = 0;           // the Coverage, or the Claim/EOB containing it
    std::int32_t contained = -1;  // index into holder's contained, or -1
    Reference beneficiary;
  };

  EntryId add(const AnyResource& resource, SpillSpan span, std::uint32_t input, std::uint32_t line);
  // Appends the only entry of `single` (an index built for one resource on a worker thread, so
  // the hashing runs in parallel) as a new entry at `span`.
  EntryId adopt(CompactIndex&& single, SpillSpan span, std::uint32_t input, std::uint32_t line);
  // Sorts the keys; lookups need it, adds must not follow.
  void seal();

  const Entry& entry(EntryId id) const { return entries_[id]; }
  std::size_t size() const { return entries_.size(); }
  std::vector<EntryId> withTypeId(std::string_view typeId) const;
  std::vector<EntryId> withIdentifierValue(std::string_view value) const;
  const std::vector<CoverageSource>& coverageSources() const { return coverages_; }

 private:
  using Key = std::pair<std::uint64_t, EntryId>;
  static std::vector<EntryId> lookup(const std::vector<Key>& keys, std::uint64_t hash);

  std::vector<Entry> entries_;
  std::vector<Key> byTypeId_;
  std::vector<Key> byIdentifier_;
  std::vector<CoverageSource> coverages_;
};

// FNV-1a: stable across platforms and runs, so nothing depends on std::hash.
std::uint64_t stableHash(std::string_view bytes);

}  // namespace fhir837
