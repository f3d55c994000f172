#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "fhir_tree/fhir_node.h"

namespace fhir837 {

// Parses one FHIR R4 JSON resource (a Bundle or any single resource) into the format-neutral tree.
// Errors name `source` and either the FHIR path (e.g. "Bundle.entry[2].resource.status") or the
// byte offset. Never throws, never recurses on input depth, honours every limit in `limits`.
//
// Tree rules (FHIR R4 JSON format):
// - The root must be an object with a string `resourceType`. Any object with `resourceType` is a
//   resource node; `resourceType` itself is not a child.
// - Every property is a child list: a scalar or object gives one item, an array one per element.
//   Primitives keep their lexeme (numbers exactly as written, e.g. "1.50"); kind records
//   string/number/bool.
// - `_name` merges its id/extensions into the node(s) of `name` (arrays index by index, `null`
//   holding a place); alone, it creates value-less nodes. A `null` property is absent, and array
//   items left with neither value nor children (and empty objects) are dropped.
// - The XHTML narrative `div` (and `_div`) is dropped entirely: its JSON and XML forms differ, no
//   claim needs it, and the XML parser drops it too, so both give the same tree.
// - Syntax errors (including duplicate property names and bytes after the root object) are kSyntax
//   with "<source>: byte <offset>"; a document that is not well formed is reported as kSyntax even
//   when it also has the wrong shape. Wrong JSON types for FHIR elements are kWrongType and a
//   missing root resourceType kMissingElement, with "<source>: <FHIR path>" (the path starts with
//   "Resource" while the root's resourceType is not yet known). Limits give kLimitExceeded: size
//   (checked before parsing), depth (byte offset), string length (FHIR path).
// - Numbers with an exponent beyond double range (e.g. 1e400) are rejected by RapidJSON as kSyntax.
Result<FhirDocument> parseFhirJson(std::string_view bytes, std::string source,
                                   const ParseLimits& limits = {});

}  // namespace fhir837
