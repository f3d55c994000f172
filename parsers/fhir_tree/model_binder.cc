#include "fhir_tree/model_binder.h"

#include "fhir_tree/bind_support.h"

namespace fhir837 {

Result<AnyResource> bindResource(const FhirNode& root, std::string_view source) {
  bind::Context ctx{source};
  // The root path is the resource type, so errors read "Patient.birthDate"; a root without one
  // is reported at the source itself.
  bind::Path path{nullptr, root.resourceType, -1};
  AnyResource out;
  if (Status s = bind::bindValue(ctx, root, path, out); !s) return s.error();
  return out;
}

}  // namespace fhir837
