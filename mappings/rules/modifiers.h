#pragma once

#include <string>
#include <vector>

#include "coding_types.h"

namespace fhir837 {

// Liability modifiers are data, not inference: a MedicationAdministration extension with this URL
// and valueCode GA, GZ, GY or KX applies that modifier to every line of the event (MOD-GA).
inline constexpr const char* kLiabilityModifierExtension =
    "http://fhir837.org/fhir/StructureDefinition/liability-modifier";

// MOD-* rules on one billed event's lines: liability modifiers (GA/GZ/GY/KX, never GA with GY/GZ
// or KX, never GY with GZ), PO/PN on every HCPCS line of an 837I from an off-campus
// provider-based department, 25 never on 963xx/964xx, at most 4 modifiers in the documented order
// (drug JW/JZ/JA/JB, payment PO/PN, NCCI XE/XS/XP/XU/59, liability GA/GZ/GY/KX). A conflict
// demotes the event to needs review.
void applyModifierRules(const EventFacts& facts, const CodingPolicy& policy, EventCoding& coding);

// The documented order of modifiers; unknown modifiers keep their place after known ones.
void orderModifiers(std::vector<std::string>& modifiers);

}  // namespace fhir837
