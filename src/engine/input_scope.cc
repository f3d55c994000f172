#include "engine/input_scope.h"

namespace fhir837 {

bool isEventResource(const AnyResource& resource) {
  return resource.as<MedicationAdministration>() || resource.as<Procedure>();
}

std::unique_ptr<InputScope> buildInputScope(AnyResource root) {
  auto scope = std::make_unique<InputScope>();
  scope->root = std::move(root);
  if (const Bundle* bundle = scope->root.as<Bundle>()) {
    scope->index.addBundle(*bundle);
    for (std::size_t i = 0; i < bundle->entry.size(); ++i) {
      const auto& entry = bundle->entry[i];
      if (entry.resource && isEventResource(*entry.resource)) {
        scope->events.emplace_back(&*entry.resource, "Bundle.entry[" + std::to_string(i) + "]");
      }
    }
  } else {
    scope->index.addBorrowed(scope->root);
    if (isEventResource(scope->root)) {
      scope->events.emplace_back(&scope->root, std::string(scope->root.resourceType()));
    }
  }
  scope->scope.resources = scope->index.resources();
  const ResourceIndex* index = &scope->index;
  scope->scope.resolve = [index](const Reference& ref, const AnyResource& from,
                                 const std::string& where) {
    return index->resolve(ref, from, where);
  };
  return scope;
}

}  // namespace fhir837
