#include "model/fhir_types.h"

namespace fhir837 {

const Coding* CodeableConcept::findSystem(std::string_view system) const {
  for (const Coding& candidate : coding) {
    if (candidate.system == system) return &candidate;
  }
  return nullptr;
}

}  // namespace fhir837
