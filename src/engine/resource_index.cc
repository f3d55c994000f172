#include "engine/resource_index.h"

#include <algorithm>
#include <optional>
#include <type_traits>
#include <utility>

namespace fhir837 {

namespace {

constexpr std::string_view kHistory = "/_history/";

bool isResourceTypeName(std::string_view s) {
  if (s.empty() || s[0] < 'A' || s[0] > 'Z') return false;
  for (char c : s) {
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alpha) return false;
  }
  return true;
}

// FHIR id: [A-Za-z0-9\-\.]{1,64}
bool isFhirId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// "Type/id" or "Type/id/_history/n" → "Type/id"; nullopt when malformed.
std::optional<std::string_view> typeIdOf(std::string_view path) {
  if (std::size_t history = path.find(kHistory); history != std::string_view::npos) {
    std::string_view version = path.substr(history + kHistory.size());
    if (!isFhirId(version)) return std::nullopt;
    path = path.substr(0, history);
  }
  std::size_t slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  if (!isResourceTypeName(path.substr(0, slash)) || !isFhirId(path.substr(slash + 1))) {
    return std::nullopt;
  }
  return path;
}

// The "Type/id" tail of an absolute RESTful URL, and the base URL before it.
std::optional<std::pair<std::string_view, std::string_view>> splitAbsolute(std::string_view url) {
  std::string_view path = url;
  if (std::size_t history = path.find(kHistory); history != std::string_view::npos) {
    path = path.substr(0, history);
  }
  std::size_t idSlash = path.rfind('/');
  if (idSlash == std::string_view::npos || idSlash == 0) return std::nullopt;
  std::size_t typeSlash = path.rfind('/', idSlash - 1);
  if (typeSlash == std::string_view::npos) return std::nullopt;
  std::string_view tail = path.substr(typeSlash + 1);
  if (!typeIdOf(tail)) return std::nullopt;
  return std::make_pair(path.substr(0, typeSlash + 1), tail);
}

std::string typeIdKey(const AnyResource& resource) {
  std::string key(resource.resourceType());
  key += '/';
  key += resource.id();
  return key;
}

// A token search on Identifier: "system|value", "|value" (no system), "value" (any system),
// "system|" (any value).
struct IdentifierToken {
  std::optional<std::string> system;
  std::string value;

  bool matches(const Identifier& identifier) const {
    if (system && identifier.system != *system) return false;
    return value.empty() ? system.has_value() : identifier.value == value;
  }
};

bool hasIdentifier(const AnyResource& resource, const std::vector<IdentifierToken>& tokens) {
  const std::vector<Identifier>* identifiers = resource.identifiers();
  if (identifiers == nullptr) return false;
  for (const IdentifierToken& token : tokens) {
    bool found = false;
    for (const Identifier& identifier : *identifiers) found = found || token.matches(identifier);
    if (!found) return false;
  }
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int high = hexValue(s[i + 1]);
    int low = hexValue(s[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

Error unresolved(std::string message, std::string_view where) {
  return makeError(ErrorCode::kUnresolvedReference, std::move(message), std::string(where));
}

}  // namespace

ResourceIndex ResourceIndex::fromBundle(const Bundle& bundle) {
  ResourceIndex index;
  index.addBundle(bundle);
  return index;
}

void ResourceIndex::addBundle(const Bundle& bundle) {
  for (const BundleEntry& entry : bundle.entry) {
    if (entry.resource) addBorrowed(*entry.resource, entry.fullUrl);
  }
}

void ResourceIndex::addBorrowed(const AnyResource& resource, std::string fullUrl) {
  std::size_t position = entries_.size();
  if (!fullUrl.empty()) byFullUrl_[fullUrl].push_back(position);
  if (!resource.id().empty()) byTypeId_[typeIdKey(resource)].push_back(position);
  byType_[std::string(resource.resourceType())].push_back(position);
  byAddress_.emplace(&resource, position);
  entries_.push_back(Entry{&resource, std::move(fullUrl)});
}

const AnyResource& ResourceIndex::add(AnyResource resource, std::string fullUrl) {
  owned_.push_back(std::make_unique<AnyResource>(std::move(resource)));
  addBorrowed(*owned_.back(), std::move(fullUrl));
  return *owned_.back();
}

std::vector<const AnyResource*> ResourceIndex::resources() const {
  std::vector<const AnyResource*> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) out.push_back(entry.resource);
  return out;
}

std::string_view ResourceIndex::fullUrlOf(const AnyResource& resource) const {
  auto found = byAddress_.find(&resource);
  return found == byAddress_.end() ? std::string_view() : entries_[found->second].fullUrl;
}

Result<const AnyResource*> ResourceIndex::resolve(const Reference& ref, const AnyResource& from,
                                                  std::string_view where,
                                                  const ExternalResources* external) const {
  std::string_view reference = ref.reference;
  Result<const AnyResource*> resolved = makeError(ErrorCode::kUnresolvedReference, "");
  if (reference.empty()) {
    if (!ref.identifier) return unresolved("empty reference", where);
    resolved = resolveLogical(ref, where, external);
  } else if (reference.starts_with('#')) {
    resolved = resolveContained(reference, from, where);
  } else if (reference.starts_with("urn:uuid:") || reference.starts_with("urn:oid:")) {
    resolved = resolveFullUrl(reference, where);
  } else if (reference.find('?') != std::string_view::npos) {
    resolved = resolveConditional(reference, where, external);
  } else if (reference.find("://") != std::string_view::npos) {
    resolved = resolveAbsolute(reference, from, where, external);
  } else {
    resolved = resolveRelative(reference, from, where, external);
  }
  if (resolved && !ref.type.empty() && (*resolved)->resourceType() != ref.type) {
    return unresolved("reference " + quoted(reference.empty() ? "(identifier)" : reference) +
                          " resolves to a " + std::string((*resolved)->resourceType()) +
                          " but Reference.type is " + ref.type,
                      where);
  }
  return resolved;
}

Result<const AnyResource*> ResourceIndex::resolveContained(std::string_view reference,
                                                           const AnyResource& from,
                                                           std::string_view where) const {
  std::string_view id = reference.substr(1);
  if (id.empty()) return &from;  // "#" is the container itself
  for (const AnyResource& contained : from.base().contained) {
    if (contained.id() == id) return &contained;
  }
  return unresolved("contained reference " + quoted(reference) +
                        " matches no resource contained in " + typeIdKey(from),
                    where);
}

Result<const AnyResource*> ResourceIndex::resolveFullUrl(std::string_view reference,
                                                         std::string_view where) const {
  auto found = byFullUrl_.find(std::string(reference));
  return pickOne(
      found == byFullUrl_.end() ? std::vector<const AnyResource*>{} : atPositions(found->second),
      "reference " + quoted(reference), where);
}

Result<const AnyResource*> ResourceIndex::resolveAbsolute(std::string_view reference,
                                                          const AnyResource& from,
                                                          std::string_view where,
                                                          const ExternalResources* external) const {
  if (byFullUrl_.contains(std::string(reference))) return resolveFullUrl(reference, where);
  auto split = splitAbsolute(reference);
  if (!split) {
    return unresolved("reference " + quoted(reference) + " matches no entry fullUrl", where);
  }
  // A versioned URL matches the unversioned fullUrl of the same resource.
  std::string unversioned = std::string(split->first) + std::string(split->second);
  if (byFullUrl_.contains(unversioned)) return resolveFullUrl(unversioned, where);
  // FHIR R4 Bundle §2.36.4.1: an absolute reference is resolved by the entry whose fullUrl it
  // is. Only when it names the referrer's own server can it mean a Type/id the input holds
  // without a server URL (urn:uuid or no fullUrl); another server's Patient/x is not ours. A
  // referrer that is no entry here (an NDJSON line: a bulk export has no fullUrls) has no server
  // to compare with, so there the Type/id of a resource without a server URL is taken.
  std::vector<const AnyResource*> local = withTypeId(split->second, external);
  const std::string_view fromUrl = fullUrlOf(from);
  auto fromSplit =
      fromUrl.find("://") != std::string_view::npos ? splitAbsolute(fromUrl) : std::nullopt;
  const bool sameServer =
      (fromSplit && fromSplit->first == split->first) || !byAddress_.contains(&from);
  std::erase_if(local, [&](const AnyResource* candidate) {
    return !sameServer || fullUrlOf(*candidate).find("://") != std::string_view::npos;
  });
  if (local.empty() && !withTypeId(split->second, external).empty()) {
    return unresolved("reference " + quoted(reference) + " is on server " +
                          std::string(split->first) +
                          ", not the referrer's: no entry has that fullUrl, and the local " +
                          std::string(split->second) + " is not that resource",
                      where);
  }
  return pickOne(local, "reference " + quoted(reference), where);
}

Result<const AnyResource*> ResourceIndex::resolveRelative(std::string_view reference,
                                                          const AnyResource& from,
                                                          std::string_view where,
                                                          const ExternalResources* external) const {
  auto typeId = typeIdOf(reference);
  if (!typeId) {
    return unresolved("reference " + quoted(reference) + " is not a valid FHIR reference", where);
  }
  // Within a Bundle, a relative reference is relative to the base URL of the referrer's own
  // fullUrl (FHIR R4 Bundle §2.36.4.1); fall back to any resource with that Type/id.
  std::string_view fromUrl = fullUrlOf(from);
  if (fromUrl.find("://") != std::string_view::npos) {
    if (auto split = splitAbsolute(fromUrl)) {
      auto found = byFullUrl_.find(std::string(split->first) + std::string(*typeId));
      if (found != byFullUrl_.end()) {
        return pickOne(atPositions(found->second), "reference " + quoted(reference), where);
      }
    }
  }
  return pickOne(withTypeId(*typeId, external), "reference " + quoted(reference), where);
}

Result<const AnyResource*> ResourceIndex::resolveConditional(
    std::string_view reference, std::string_view where, const ExternalResources* external) const {
  std::size_t question = reference.find('?');
  std::string_view type = reference.substr(0, question);
  std::string_view query = reference.substr(question + 1);
  // The message shows parameter names and identifier systems, never identifier values.
  std::string shown = std::string(type) + "?";
  std::vector<IdentifierToken> tokens;
  bool supported = isResourceTypeName(type) && !query.empty();
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    std::size_t eq = param.find('=');
    std::string_view name = param.substr(0, eq);
    std::optional<std::string> value =
        eq == std::string_view::npos ? std::nullopt : percentDecode(param.substr(eq + 1));
    if (shown.back() != '?') shown += '&';
    shown += std::string(name) + "=";
    if (name != "identifier" || !value) {
      supported = false;
      shown += "...";
      continue;
    }
    IdentifierToken token;
    if (std::size_t bar = value->find('|'); bar != std::string::npos) {
      token.system = value->substr(0, bar);
      token.value = value->substr(bar + 1);
      shown += *token.system + "|";
    } else {
      token.value = *value;
    }
    shown += "...";
    tokens.push_back(std::move(token));
  }
  std::string described = "conditional reference " + quoted(shown);
  if (!supported) {
    return unresolved(described + " is not supported (only Type?identifier=[system|]value)", where);
  }
  std::vector<const AnyResource*> matches;
  if (auto ofType = byType_.find(std::string(type)); ofType != byType_.end()) {
    for (std::size_t position : ofType->second) {
      if (hasIdentifier(*entries_[position].resource, tokens)) {
        matches.push_back(entries_[position].resource);
      }
    }
  }
  if (external) {
    for (const IdentifierToken& token : tokens) {
      if (token.value.empty()) continue;  // "system|" (any value) cannot be looked up by value
      for (const AnyResource* candidate : external->withIdentifierValue(type, token.value)) {
        if (candidate->resourceType() == type && hasIdentifier(*candidate, tokens)) {
          matches.push_back(candidate);
        }
      }
      break;
    }
  }
  return pickOne(matches, described, where);
}

Result<const AnyResource*> ResourceIndex::resolveLogical(const Reference& ref,
                                                         std::string_view where,
                                                         const ExternalResources* external) const {
  const Identifier& identifier = *ref.identifier;
  std::string described = "logical reference";
  if (!ref.type.empty()) described += " to a " + ref.type;
  described += " (identifier system " + quoted(identifier.system) + ")";
  if (identifier.value.empty()) return unresolved(described + " has no identifier value", where);
  IdentifierToken token{
      identifier.system.empty() ? std::nullopt : std::optional<std::string>(identifier.system),
      identifier.value};
  std::vector<const AnyResource*> matches;
  for (std::size_t position = 0; position < entries_.size(); ++position) {
    const AnyResource& candidate = *entries_[position].resource;
    if (!ref.type.empty() && candidate.resourceType() != ref.type) continue;
    if (hasIdentifier(candidate, {token})) matches.push_back(&candidate);
  }
  if (external) {
    for (const AnyResource* candidate : external->withIdentifierValue(ref.type, identifier.value)) {
      if (!ref.type.empty() && candidate->resourceType() != ref.type) continue;
      if (hasIdentifier(*candidate, {token})) matches.push_back(candidate);
    }
  }
  return pickOne(matches, described, where);
}

std::vector<const AnyResource*> ResourceIndex::atPositions(
    const std::vector<std::size_t>& positions) const {
  std::vector<const AnyResource*> out;
  out.reserve(positions.size());
  for (std::size_t position : positions) out.push_back(entries_[position].resource);
  return out;
}

std::vector<const AnyResource*> ResourceIndex::withTypeId(std::string_view typeId,
                                                          const ExternalResources* external) const {
  std::vector<const AnyResource*> matches;
  if (auto found = byTypeId_.find(std::string(typeId)); found != byTypeId_.end()) {
    matches = atPositions(found->second);
  }
  // Both are asked: the same Type/id in a Bundle and in an NDJSON file is ambiguous, as it is
  // within one index.
  if (external) {
    for (const AnyResource* candidate : external->withTypeId(typeId)) {
      if (typeIdKey(*candidate) == typeId) matches.push_back(candidate);
    }
  }
  return matches;
}

Result<const AnyResource*> ResourceIndex::pickOne(const std::vector<const AnyResource*>& candidates,
                                                  std::string_view described,
                                                  std::string_view where) {
  if (candidates.size() == 1) return candidates.front();
  if (candidates.empty()) {
    Error missing = unresolved(std::string(described) + " matches no resource", where);
    missing.mayStillArrive = true;
    return missing;
  }
  // Copies of one resource (a Medication or Practitioner in every Bundle and in the NDJSON files
  // of an overlapping export) are one resource; only different contents are ambiguous.
  const bool copies = std::all_of(candidates.begin() + 1, candidates.end(),
                                  [&](const AnyResource* c) { return *c == *candidates.front(); });
  if (copies) return candidates.front();
  return unresolved(
      std::string(described) + " matches " + std::to_string(candidates.size()) + " resources",
      where);
}

}  // namespace fhir837
