#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "engine/serve/journal.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837::serve {

// What changes in an entry's resource as it is stored on its own.
struct EntryBodyEdits {
  std::string assignedId;  // non-empty: the resource had no id; this one is put first in it
  // fullUrl (urn:uuid:/urn:oid:) -> "Type/id": `reference` values equal to a key are rewritten.
  // Only Reference.reference is rewritten (not narrative links or other uri elements): that is
  // what links stored resources, and what the journal indexes.
  const std::map<std::string, std::string>* references = nullptr;
};

// Cuts a Bundle's entries out of the request bytes, in the Bundle's own format, so that a stored
// entry is a resource as a client would have sent it alone. JSON keeps the bytes as sent (found
// through the parse tree's offsets) with only the edits spliced in; XML is re-serialised from a
// DOM (namespace declarations of the Bundle carried onto the resource element).
class EntryBodies {
 public:
  virtual ~EntryBodies() = default;
  // The resource of entry `index`, edited. The entry must have a resource.
  virtual Result<std::string> resource(std::size_t index, const EntryBodyEdits& edits) const = 0;
  // The whole entry as sent (fullUrl, request, resource): what the dead letter keeps of a refused
  // entry.
  virtual Result<std::string> entry(std::size_t index) const = 0;
};

// `entries`: the Bundle's entry nodes from parsing `body` (which must outlive the result).
Result<std::unique_ptr<EntryBodies>> entryBodiesOf(std::string_view body, BodyFormat format,
                                                   std::span<const FhirNode> entries);

}  // namespace fhir837::serve
