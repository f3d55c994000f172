#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/bulk/compact_index.h"
#include "engine/bulk/line_store.h"
#include "engine/resource_index.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837 {

// One thread's view of the NDJSON resources: loads a resource from its line (in the input file or
// the spill file, see LineStore) the first time it is asked for (parse and bind again, as in the
// first pass) and keeps the most recently used ones. Not thread-safe: each worker has its own, over
// the shared (read-only) index and file.
//
// Pin windows: every resource returned since the last beginPinWindow() stays valid until the next
// one, however many are loaded in between, because assembled events keep pointers into them
// until their claim is built. Eviction happens only at beginPinWindow().
class SpilledResources final : public ExternalResources {
 public:
  SpilledResources(const CompactIndex& index, const LineStore& lines,
                   const std::vector<std::string>& inputNames, const ParseLimits& limits,
                   std::size_t capacity = 1024);

  std::vector<const AnyResource*> withTypeId(std::string_view typeId) const override;
  std::vector<const AnyResource*> withIdentifierValue(std::string_view type,
                                                      std::string_view value) const override;

  // The resource of `entry`, or nullptr when its line cannot be read back: an I/O error, kept in
  // readError() for the caller to stop the run with (a resource that silently went missing
  // would turn into a wrong rejection, or a claim to the wrong payer).
  const AnyResource* load(CompactIndex::EntryId entry) const;
  const std::optional<Error>& readError() const { return readError_; }
  // The entry a resource returned by this object came from.
  std::optional<CompactIndex::EntryId> entryOf(const AnyResource* resource) const;
  void beginPinWindow();

  std::size_t loads() const { return loads_; }

 private:
  struct Slot {
    std::unique_ptr<AnyResource> resource;
    std::list<CompactIndex::EntryId>::iterator age;
  };
  std::vector<const AnyResource*> loadAll(const std::vector<CompactIndex::EntryId>& ids) const;

  const CompactIndex& index_;
  const LineStore& lines_;
  const std::vector<std::string>& inputNames_;
  ParseLimits limits_;
  std::size_t capacity_;
  mutable std::unordered_map<CompactIndex::EntryId, Slot> slots_;
  mutable std::list<CompactIndex::EntryId> lru_;  // most recent first
  mutable std::unordered_map<const AnyResource*, CompactIndex::EntryId> byAddress_;
  mutable std::size_t loads_ = 0;
  mutable std::optional<Error> readError_;
  mutable std::string line_;  // the line being loaded, reused
};

}  // namespace fhir837
