#include "model/resources.h"

#include <type_traits>

namespace fhir837 {

bool ResourceBase::operator==(const ResourceBase& other) const {
  return id == other.id && contained == other.contained && extension == other.extension &&
         modifierExtension == other.modifierExtension;
}

bool Bundle::operator==(const Bundle& other) const {
  return static_cast<const ResourceBase&>(*this) == other && type == other.type &&
         entry == other.entry;
}

namespace {
template <class T>
constexpr std::string_view typeName();
template <>
constexpr std::string_view typeName<Patient>() {
  return "Patient";
}
template <>
constexpr std::string_view typeName<Coverage>() {
  return "Coverage";
}
template <>
constexpr std::string_view typeName<Encounter>() {
  return "Encounter";
}
template <>
constexpr std::string_view typeName<Practitioner>() {
  return "Practitioner";
}
template <>
constexpr std::string_view typeName<PractitionerRole>() {
  return "PractitionerRole";
}
template <>
constexpr std::string_view typeName<Organization>() {
  return "Organization";
}
template <>
constexpr std::string_view typeName<Condition>() {
  return "Condition";
}
template <>
constexpr std::string_view typeName<Location>() {
  return "Location";
}
template <>
constexpr std::string_view typeName<Medication>() {
  return "Medication";
}
template <>
constexpr std::string_view typeName<MedicationRequest>() {
  return "MedicationRequest";
}
template <>
constexpr std::string_view typeName<Device>() {
  return "Device";
}
template <>
constexpr std::string_view typeName<MedicationAdministration>() {
  return "MedicationAdministration";
}
template <>
constexpr std::string_view typeName<Procedure>() {
  return "Procedure";
}
template <>
constexpr std::string_view typeName<Bundle>() {
  return "Bundle";
}
}  // namespace

std::string_view AnyResource::resourceType() const {
  return std::visit(
      [](const auto& r) -> std::string_view {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, OtherResource>) {
          return r.resourceType;
        } else {
          return typeName<T>();
        }
      },
      value);
}

const std::string& AnyResource::id() const { return base().id; }

const ResourceBase& AnyResource::base() const {
  return std::visit([](const auto& r) -> const ResourceBase& { return r; }, value);
}

const std::vector<Identifier>* AnyResource::identifiers() const {
  return std::visit(
      [](const auto& r) -> const std::vector<Identifier>* {
        if constexpr (requires { r.identifier; }) {
          if constexpr (std::is_same_v<std::decay_t<decltype(r.identifier)>,
                                       std::vector<Identifier>>) {
            return &r.identifier;
          }
        }
        return nullptr;
      },
      value);
}

}  // namespace fhir837
