#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace fhir837 {

// This instance's own reservations whose file has no fate in the cluster ledger yet, one small
// file each under <stateDir>/cluster-reservations/ (named by the hash of the interchange path,
// holding the path), fsynced before the reservation's first ledger key is written. Left by a
// crash, they tell the next start which reservations to settle; nobody else can settle them.
class InFlightReservations {
 public:
  explicit InFlightReservations(const std::filesystem::path& stateDir)
      : dir_(stateDir / "cluster-reservations") {}

  Status add(const std::string& file);
  Status remove(const std::string& file);
  // The files of the records present (a crash's leftovers when called before any add).
  Result<std::vector<std::string>> files() const;

 private:
  std::filesystem::path recordOf(const std::string& file) const;
  std::filesystem::path dir_;
};

}  // namespace fhir837
