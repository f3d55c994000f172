#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "model/resources.h"

namespace fhir837 {

// Resources that live outside a ResourceIndex (bulk-data lines kept on disk, loaded on demand),
// asked alongside the index: candidates from both count, so the same resource key in a Bundle and
// in an NDJSON file is as ambiguous as twice in one index. Returned pointers stay valid until the
// owner's next pin window (see SpilledResources); the index checks every candidate again (type,
// id, identifier), so a source may return false positives.
class ExternalResources {
 public:
  virtual ~ExternalResources() = default;
  // Resources whose "Type/id" is `typeId`.
  virtual std::vector<const AnyResource*> withTypeId(std::string_view typeId) const = 0;
  // Resources of `type` (any type when empty) that may carry an identifier with this value.
  virtual std::vector<const AnyResource*> withIdentifierValue(std::string_view type,
                                                              std::string_view value) const = 0;
};

// Resolves FHIR References within one input scope: a Bundle, several Bundles (a patient Bundle
// plus the hospital/practitioner Bundles its conditional references point to), or resources
// gathered from many files in bulk-data mode.
//
// Supported forms, as FHIR R4 §2.36 (Bundle) and §2.3.0 (References) describe them:
//   Type/id, Type/id/_history/n     relative; tried against the referrer's own base URL first
//   http(s)://base/Type/id          an entry fullUrl; the Type/id tail only when base is the
//                                   referrer's own server and that entry has no server URL
//   urn:uuid:..., urn:oid:...       an entry fullUrl
//   #id, #                          a resource contained in the referrer, or the referrer itself
//   Type?identifier=[system|]value  exactly one resource of Type with that Identifier
//   (no reference, identifier set)  logical reference: exactly one resource with that Identifier
// Failures are kUnresolvedReference errors whose `where` is the referring path. Identifier values
// never appear in messages (they may be member ids), only types, ids, systems and URLs.
class ResourceIndex {
 public:
  ResourceIndex() = default;
  ResourceIndex(ResourceIndex&&) = default;
  ResourceIndex& operator=(ResourceIndex&&) = default;
  ResourceIndex(const ResourceIndex&) = delete;
  ResourceIndex& operator=(const ResourceIndex&) = delete;

  // An index over the entries of `bundle`, which must outlive the index.
  static ResourceIndex fromBundle(const Bundle& bundle);

  // Adds every entry that carries a resource; `bundle` must outlive the index.
  void addBundle(const Bundle& bundle);
  // Adds a resource the caller keeps alive for the life of the index.
  void addBorrowed(const AnyResource& resource, std::string fullUrl = {});
  // Adds a resource the index keeps (bulk-data mode: resources read one file at a time).
  const AnyResource& add(AnyResource resource, std::string fullUrl = {});

  // Resolves `ref` as written in `from`: `from` gives the #contained scope and, through its
  // fullUrl, the base URL for relative references. `from` must be a resource of this index for
  // the base URL to apply; contained references work for any `from`.
  // `external`, when given, is asked too for Type/id, absolute, conditional and logical
  // references (not for urn: and #contained ones, which only a Bundle or the referrer can hold).
  Result<const AnyResource*> resolve(const Reference& ref, const AnyResource& from,
                                     std::string_view where,
                                     const ExternalResources* external = nullptr) const;

  // The indexed resources in insertion order (entries and added resources, not contained ones).
  std::vector<const AnyResource*> resources() const;
  std::size_t size() const { return entries_.size(); }
  // The fullUrl `resource` was added with, or empty.
  std::string_view fullUrlOf(const AnyResource& resource) const;

 private:
  struct Entry {
    const AnyResource* resource;
    std::string fullUrl;
  };

  Result<const AnyResource*> resolveContained(std::string_view reference, const AnyResource& from,
                                              std::string_view where) const;
  Result<const AnyResource*> resolveFullUrl(std::string_view reference,
                                            std::string_view where) const;
  Result<const AnyResource*> resolveAbsolute(std::string_view reference, const AnyResource& from,
                                             std::string_view where,
                                             const ExternalResources* external) const;
  Result<const AnyResource*> resolveRelative(std::string_view reference, const AnyResource& from,
                                             std::string_view where,
                                             const ExternalResources* external) const;
  Result<const AnyResource*> resolveConditional(std::string_view reference, std::string_view where,
                                                const ExternalResources* external) const;
  Result<const AnyResource*> resolveLogical(const Reference& ref, std::string_view where,
                                            const ExternalResources* external) const;
  // The entries with "Type/id" `typeId`, else what `external` has under it.
  std::vector<const AnyResource*> withTypeId(std::string_view typeId,
                                             const ExternalResources* external) const;
  std::vector<const AnyResource*> atPositions(const std::vector<std::size_t>& positions) const;
  // Exactly one of `candidates`, else an error naming `described`.
  static Result<const AnyResource*> pickOne(const std::vector<const AnyResource*>& candidates,
                                            std::string_view described, std::string_view where);

  std::vector<Entry> entries_;
  std::vector<std::unique_ptr<AnyResource>> owned_;
  std::unordered_map<std::string, std::vector<std::size_t>> byFullUrl_;
  std::unordered_map<std::string, std::vector<std::size_t>> byTypeId_;  // "Patient/123"
  std::unordered_map<std::string, std::vector<std::size_t>> byType_;
  std::unordered_map<const AnyResource*, std::size_t> byAddress_;
};

}  // namespace fhir837
