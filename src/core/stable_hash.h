#pragma once

#include <cstdint>
#include <string_view>

namespace fhir837 {

// FNV-1a 64: fixed by definition, unlike std::hash, so values written down (index files,
// partitions of a cluster) never change between builds or hosts.
std::uint64_t stableHash(std::string_view bytes);

}  // namespace fhir837
