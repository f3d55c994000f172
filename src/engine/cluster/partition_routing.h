#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/serve/journal.h"

namespace fhir837::cluster {

// Where resources meet (issue 12): every resource that names a patient goes to that patient's
// partition, so an encounter's events, the Encounter, its Coverages, Conditions and the Patient
// are all applied by the one instance that owns the partition. Resources that name no patient
// (Organization, Practitioner, Location, Medication...) are reference data every instance reads.
inline constexpr std::string_view kSubjectPrefix = "fhir837.in.";
inline constexpr std::string_view kReferenceSubject = "fhir837.ref";

// The partition of "Patient/<id>" among `partitions` (a stable hash: every instance, every
// version, agrees).
int partitionOf(std::string_view patientKey, int partitions);
std::string partitionSubject(int partition);

// The subjects a write is published to: one per distinct patient it names (a Coverage whose
// subscriber is another patient goes to both), or the reference subject when it names none.
// Conditional references ("Patient?identifier=...") name no partition: such a resource is
// reference data, and its encounter cannot meet its Patient (docs/architecture.md says so).
std::vector<std::string> subjectsOf(const serve::ResourceWrite& write, int partitions);

}  // namespace fhir837::cluster
