#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/stable_hash.h"
#include "engine/bulk/line_store.h"
#include "model/resources.h"

namespace fhir837 {

// The keys of the resources read from NDJSON, without the resources: where each one's line is in
// the SpillFile, 64-bit hashes of its "Type/id" and identifier values, and the beneficiary of each
// Coverage (standalone, or contained in Claim/ExplanationOfBenefit). About 50 bytes per resource,
// so memory grows with the number of referenced resources, never with their size. Hashes may
// collide: lookups return candidates that the caller checks after loading them.
class CompactIndex {
 public:
  using EntryId = std::uint32_t;

  struct Entry {
    std::uint64_t offset = 0;  // of the line (see LineStore)
    std::uint32_t length = 0;
    std::uint32_t input = 0;  // index into the run's input names
    SpillSpan span() const { return {offset, length}; }
  };

  // A Coverage (or a Claim/EOB holding one) and where: the holder's entry and the index into its
  // contained resources, -1 for a standalone Coverage.
  struct CoverageAt {
    EntryId holder = 0;
    std::int32_t contained = -1;
  };

  // A Coverage whose beneficiary is not a plain Type/id reference (conditional, logical,
  // urn:uuid): resolved once after the first pass. Rare in bulk exports.
  struct UnusualCoverage {
    CoverageAt at;
    Reference beneficiary;
  };

  EntryId add(const AnyResource& resource, SpillSpan span, std::uint32_t input);
  // Appends the only entry of `single` (an index built for one resource on a worker thread, so
  // the hashing runs in parallel) as a new entry at `span`.
  EntryId adopt(CompactIndex&& single, SpillSpan span, std::uint32_t input);
  // Sorts the keys; lookups need it, adds must not follow.
  void seal();

  const Entry& entry(EntryId id) const { return entries_[id]; }
  std::size_t size() const { return entries_.size(); }
  std::vector<EntryId> withTypeId(std::string_view typeId) const;
  // Entries of `type` (any when empty) with an identifier whose value hashes like `value`: the
  // type is checked here, before anything is read back (a shared value such as an NPI may be
  // carried by thousands of resources of other types).
  std::vector<EntryId> withIdentifierValue(std::string_view value,
                                           std::string_view type = {}) const;
  std::string_view typeOf(EntryId id) const;
  // The Coverages whose beneficiary reference names `typeId` ("Patient/p1"), in input order.
  std::vector<CoverageAt> coveragesOf(std::string_view typeId) const;
  const std::vector<UnusualCoverage>& unusualCoverages() const { return unusual_; }

 private:
  // 12 bytes instead of the 16 of a pair<uint64_t, uint32_t>: there is one per resource and
  // identifier, millions in a large export.
  struct Key {
    std::uint32_t high = 0, low = 0, value = 0;
    static Key of(std::uint64_t hash, std::uint32_t value) {
      return {static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(hash), value};
    }
    bool operator<(const Key& o) const {
      return high != o.high ? high < o.high : low != o.low ? low < o.low : value < o.value;
    }
    bool operator==(const Key&) const = default;
  };
  struct CoverageKey {
    Key key;  // hash of the beneficiary's Type/id, holder entry
    std::int32_t contained = -1;
    bool operator<(const CoverageKey& o) const {
      return key < o.key || (key == o.key && contained < o.contained);
    }
  };
  static std::vector<EntryId> lookup(const std::vector<Key>& keys, std::uint64_t hash);
  void addCoverage(EntryId holder, std::int32_t contained, const Reference& beneficiary);

  std::uint8_t typeCode(std::string_view type);

  std::vector<Entry> entries_;
  std::vector<std::uint8_t> types_;     // per entry, into typeNames_
  std::vector<std::string> typeNames_;  // at most 255; kOtherType beyond
  static constexpr std::uint8_t kOtherType = 255;
  std::vector<Key> byTypeId_;
  std::vector<Key> byIdentifier_;
  std::vector<CoverageKey> byBeneficiary_;
  std::vector<UnusualCoverage> unusual_;
};

// The "Type/id" a relative or absolute RESTful reference names (a version is dropped), or
// nothing for urn:, #contained, conditional and empty references.
std::optional<std::string_view> referencedTypeId(std::string_view reference);

}  // namespace fhir837
