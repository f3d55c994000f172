#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/resources.h"

namespace fhir837 {

// A dose converted to exact integer amounts. Mass is in micrograms; volume in micro-millilitres.
struct DoseAmount {
  std::optional<std::int64_t> micrograms;
  std::optional<std::int64_t> microLitres;  // mL x 1000 x 1000 (micro-mL), exact for 6 decimals
  std::string error;                        // why the dose could not be read, when both are empty
};

// Reads dosage.dose (UCUM g, mg or mL; unit text accepted when code is absent) and converts volume
// to mass (and back) with the Medication's first ingredient strength (mg|g per mL).
DoseAmount readDose(const Quantity& dose, const Medication* medication);

}  // namespace fhir837
