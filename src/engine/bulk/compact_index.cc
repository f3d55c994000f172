#include "engine/bulk/compact_index.h"

#include <algorithm>
#include <type_traits>

namespace fhir837 {

std::uint64_t stableHash(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

namespace {

const std::vector<Identifier>* identifiersOf(const AnyResource& resource) {
  return std::visit(
      [](const auto& r) -> const std::vector<Identifier>* {
        if constexpr (requires { r.identifier; }) {
          if constexpr (std::is_same_v<std::decay_t<decltype(r.identifier)>,
                                       std::vector<Identifier>>) {
            return &r.identifier;
          }
        }
        return nullptr;
      },
      resource.value);
}

}  // namespace

CompactIndex::EntryId CompactIndex::add(const AnyResource& resource, SpillSpan span,
                                        std::uint32_t input, std::uint32_t line) {
  const auto id = static_cast<EntryId>(entries_.size());
  entries_.push_back({span, input, line});
  if (!resource.id().empty()) {
    std::string typeId(resource.resourceType());
    typeId += '/';
    typeId += resource.id();
    byTypeId_.emplace_back(stableHash(typeId), id);
  }
  if (const auto* identifiers = identifiersOf(resource)) {
    for (const Identifier& identifier : *identifiers) {
      if (!identifier.value.empty()) byIdentifier_.emplace_back(stableHash(identifier.value), id);
    }
  }
  if (const Coverage* coverage = resource.as<Coverage>()) {
    coverages_.push_back({id, -1, coverage->beneficiary});
  } else if (resource.resourceType() == "Claim" ||
             resource.resourceType() == "ExplanationOfBenefit") {
    const auto& contained = resource.base().contained;
    for (std::size_t i = 0; i < contained.size(); ++i) {
      if (const Coverage* inner = contained[i].as<Coverage>()) {
        coverages_.push_back({id, static_cast<std::int32_t>(i), inner->beneficiary});
      }
    }
  }
  return id;
}

CompactIndex::EntryId CompactIndex::adopt(CompactIndex&& single, SpillSpan span,
                                          std::uint32_t input, std::uint32_t line) {
  const auto id = static_cast<EntryId>(entries_.size());
  entries_.push_back({span, input, line});
  for (const Key& key : single.byTypeId_) byTypeId_.emplace_back(key.first, id);
  for (const Key& key : single.byIdentifier_) byIdentifier_.emplace_back(key.first, id);
  for (CoverageSource& source : single.coverages_) {
    source.holder = id;
    coverages_.push_back(std::move(source));
  }
  return id;
}

void CompactIndex::seal() {
  // Stable order within a hash keeps candidates in input order, like the in-memory index.
  std::sort(byTypeId_.begin(), byTypeId_.end());
  std::sort(byIdentifier_.begin(), byIdentifier_.end());
  byIdentifier_.erase(std::unique(byIdentifier_.begin(), byIdentifier_.end()), byIdentifier_.end());
  entries_.shrink_to_fit();
  byTypeId_.shrink_to_fit();
  byIdentifier_.shrink_to_fit();
  coverages_.shrink_to_fit();
}

std::vector<CompactIndex::EntryId> CompactIndex::lookup(const std::vector<Key>& keys,
                                                        std::uint64_t hash) {
  std::vector<EntryId> out;
  auto it = std::lower_bound(keys.begin(), keys.end(), Key{hash, 0});
  for (; it != keys.end() && it->first == hash; ++it) out.push_back(it->second);
  return out;
}

std::vector<CompactIndex::EntryId> CompactIndex::withTypeId(std::string_view typeId) const {
  return lookup(byTypeId_, stableHash(typeId));
}

std::vector<CompactIndex::EntryId> CompactIndex::withIdentifierValue(std::string_view value) const {
  return lookup(byIdentifier_, stableHash(value));
}

}  // namespace fhir837
