#include "engine/serve/resource_intake_conditions.h"

#include "engine/serve/resource_intake.h"

namespace fhir837::serve {

std::optional<std::uint64_t> versionOfETag(std::string_view tag) {
  if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"')
    tag = tag.substr(1, tag.size() - 2);
  if (tag.empty() || tag.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : tag) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::optional<IdentifierQuery> identifierSearch(std::string_view search, std::string type) {
  if (const std::string typed = type + "?"; !type.empty() && search.rfind(typed, 0) == 0) {
    search.remove_prefix(typed.size());
  }
  constexpr std::string_view kParam = "identifier=";
  if (search.rfind(kParam, 0) != 0 || search.find('&') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view token = search.substr(kParam.size());
  IdentifierQuery query;
  query.type = std::move(type);
  const std::size_t bar = token.find('|');
  query.system = bar == std::string_view::npos ? "" : std::string(token.substr(0, bar));
  query.value = std::string(bar == std::string_view::npos ? token : token.substr(bar + 1));
  if (query.value.empty()) return std::nullopt;
  return query;
}

std::function<Result<std::vector<std::string>>(const IdentifierQuery&)> existingIdsIn(
    Journal& journal) {
  return [&journal](const IdentifierQuery& query) -> Result<std::vector<std::string>> {
    auto found = journal.findByIdentifier(query);
    if (!found) return found.error();
    std::vector<std::string> ids;
    for (const StoredResource& resource : *found) ids.push_back(resource.id);
    return ids;
  };
}

}  // namespace fhir837::serve
