#include "engine/bulk/compact_index.h"

#include "engine/coverage_index.h"

#include <algorithm>

namespace fhir837 {

std::optional<std::string_view> referencedTypeId(std::string_view reference) {
  if (reference.empty() || reference.starts_with('#') || reference.starts_with("urn:") ||
      reference.find('?') != std::string_view::npos) {
    return std::nullopt;
  }
  if (std::size_t history = reference.find("/_history/"); history != std::string_view::npos) {
    reference = reference.substr(0, history);
  }
  const std::size_t idSlash = reference.rfind('/');
  if (idSlash == std::string_view::npos || idSlash == 0 || idSlash + 1 == reference.size()) {
    return std::nullopt;
  }
  const std::size_t typeSlash = reference.rfind('/', idSlash - 1);
  return typeSlash == std::string_view::npos ? reference : reference.substr(typeSlash + 1);
}

void CompactIndex::addCoverage(EntryId holder, std::int32_t contained,
                               const Reference& beneficiary) {
  if (auto typeId = referencedTypeId(beneficiary.reference)) {
    byBeneficiary_.push_back({Key::of(stableHash(*typeId), holder), contained});
  } else {
    unusual_.push_back({{holder, contained}, beneficiary});
  }
}

std::uint8_t CompactIndex::typeCode(std::string_view type) {
  for (std::size_t i = 0; i < typeNames_.size(); ++i) {
    if (typeNames_[i] == type) return static_cast<std::uint8_t>(i);
  }
  if (typeNames_.size() >= kOtherType) return kOtherType;
  typeNames_.emplace_back(type);
  return static_cast<std::uint8_t>(typeNames_.size() - 1);
}

std::string_view CompactIndex::typeOf(EntryId id) const {
  const std::uint8_t code = types_[id];
  return code == kOtherType ? std::string_view() : std::string_view(typeNames_[code]);
}

CompactIndex::EntryId CompactIndex::add(const AnyResource& resource, SpillSpan span,
                                        std::uint32_t input) {
  const auto id = static_cast<EntryId>(entries_.size());
  entries_.push_back({span.offset, span.length, input});
  types_.push_back(typeCode(resource.resourceType()));
  if (!resource.id().empty()) {
    std::string typeId(resource.resourceType());
    typeId += '/';
    typeId += resource.id();
    byTypeId_.push_back(Key::of(stableHash(typeId), id));
  }
  if (const auto* identifiers = resource.identifiers()) {
    for (const Identifier& identifier : *identifiers) {
      if (!identifier.value.empty()) {
        byIdentifier_.push_back(Key::of(stableHash(identifier.value), id));
      }
    }
  }
  forEachCoverage(resource, [&](const AnyResource& coverage, const AnyResource*, int contained) {
    addCoverage(id, contained, coverage.as<Coverage>()->beneficiary);
  });
  return id;
}

CompactIndex::EntryId CompactIndex::adopt(CompactIndex&& single, SpillSpan span,
                                          std::uint32_t input) {
  const auto id = static_cast<EntryId>(entries_.size());
  entries_.push_back({span.offset, span.length, input});
  types_.push_back(single.types_.empty() ? kOtherType : typeCode(single.typeOf(0)));
  for (Key key : single.byTypeId_) byTypeId_.push_back({key.high, key.low, id});
  for (Key key : single.byIdentifier_) byIdentifier_.push_back({key.high, key.low, id});
  for (CoverageKey coverage : single.byBeneficiary_) {
    coverage.key.value = id;
    byBeneficiary_.push_back(coverage);
  }
  for (UnusualCoverage& coverage : single.unusual_) {
    coverage.at.holder = id;
    unusual_.push_back(std::move(coverage));
  }
  return id;
}

void CompactIndex::seal() {
  // Entry ids break ties, so candidates come in input order, as in the in-memory index.
  std::sort(byTypeId_.begin(), byTypeId_.end());
  std::sort(byIdentifier_.begin(), byIdentifier_.end());
  byIdentifier_.erase(std::unique(byIdentifier_.begin(), byIdentifier_.end()), byIdentifier_.end());
  std::sort(byBeneficiary_.begin(), byBeneficiary_.end());
  entries_.shrink_to_fit();
  types_.shrink_to_fit();
  byTypeId_.shrink_to_fit();
  byIdentifier_.shrink_to_fit();
  byBeneficiary_.shrink_to_fit();
  unusual_.shrink_to_fit();
}

std::vector<CompactIndex::EntryId> CompactIndex::lookup(const std::vector<Key>& keys,
                                                        std::uint64_t hash) {
  std::vector<EntryId> out;
  const Key first = Key::of(hash, 0);
  for (auto it = std::lower_bound(keys.begin(), keys.end(), first);
       it != keys.end() && it->high == first.high && it->low == first.low; ++it) {
    out.push_back(it->value);
  }
  return out;
}

std::vector<CompactIndex::EntryId> CompactIndex::withTypeId(std::string_view typeId) const {
  return lookup(byTypeId_, stableHash(typeId));
}

std::vector<CompactIndex::EntryId> CompactIndex::withIdentifierValue(std::string_view value,
                                                                     std::string_view type) const {
  std::vector<EntryId> out = lookup(byIdentifier_, stableHash(value));
  if (!type.empty()) {
    // An unknown type code (kOtherType) cannot be ruled out here; loading checks it.
    std::erase_if(out, [&](EntryId id) { return types_[id] != kOtherType && typeOf(id) != type; });
  }
  return out;
}

std::vector<CompactIndex::CoverageAt> CompactIndex::coveragesOf(std::string_view typeId) const {
  std::vector<CoverageAt> out;
  const CoverageKey first{Key::of(stableHash(typeId), 0), -1};
  for (auto it = std::lower_bound(byBeneficiary_.begin(), byBeneficiary_.end(), first);
       it != byBeneficiary_.end() && it->key.high == first.key.high && it->key.low == first.key.low;
       ++it) {
    out.push_back({it->key.value, it->contained});
  }
  return out;
}

}  // namespace fhir837
