#include "engine/bulk/spilled_resources.h"

#include "fhir_json/fhir_json_binder.h"

namespace fhir837 {

SpilledResources::SpilledResources(const CompactIndex& index, const LineStore& lines,
                                   const std::vector<std::string>& inputNames,
                                   const ParseLimits& limits, std::size_t capacity)
    : index_(index), lines_(lines), inputNames_(inputNames), limits_(limits), capacity_(capacity) {}

const AnyResource* SpilledResources::load(CompactIndex::EntryId entry) const {
  if (auto found = slots_.find(entry); found != slots_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second.age);
    return found->second.resource.get();
  }
  const CompactIndex::Entry& where = index_.entry(entry);
  if (Status read = lines_.read(where.input, where.span(), line_); !read) {
    if (!readError_) readError_ = read.error();
    return nullptr;
  }
  const std::string& source = inputNames_[where.input];
  // The line parsed and bound in the first pass; failing now means it changed since.
  auto bound = bindFhirJson(line_, source, limits_);
  if (!bound) {
    if (!readError_) {
      readError_ = makeError(
          ErrorCode::kIo,
          "a resource read back for the second pass no longer parses: " + bound.error().message,
          source);
    }
    return nullptr;
  }
  ++loads_;
  lru_.push_front(entry);
  auto resource = std::make_unique<AnyResource>(std::move(*bound));
  const AnyResource* address = resource.get();
  byAddress_.emplace(address, entry);
  slots_.emplace(entry, Slot{std::move(resource), lru_.begin()});
  return address;
}

std::optional<CompactIndex::EntryId> SpilledResources::entryOf(const AnyResource* resource) const {
  auto found = byAddress_.find(resource);
  if (found == byAddress_.end()) return std::nullopt;
  return found->second;
}

void SpilledResources::beginPinWindow() {
  while (slots_.size() > capacity_) {
    const CompactIndex::EntryId oldest = lru_.back();
    lru_.pop_back();
    auto slot = slots_.find(oldest);
    byAddress_.erase(slot->second.resource.get());
    slots_.erase(slot);
  }
}

std::vector<const AnyResource*> SpilledResources::loadAll(
    const std::vector<CompactIndex::EntryId>& ids) const {
  std::vector<const AnyResource*> out;
  out.reserve(ids.size());
  for (CompactIndex::EntryId id : ids) {
    if (const AnyResource* resource = load(id)) out.push_back(resource);
  }
  return out;
}

std::vector<const AnyResource*> SpilledResources::withTypeId(std::string_view typeId) const {
  return loadAll(index_.withTypeId(typeId));
}

std::vector<const AnyResource*> SpilledResources::withIdentifierValue(
    std::string_view type, std::string_view value) const {
  return loadAll(index_.withIdentifierValue(value, type));
}

}  // namespace fhir837
