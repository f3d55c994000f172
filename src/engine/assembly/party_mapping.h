#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/claim.h"
#include "model/resources.h"

namespace fhir837 {

// Small FHIR -> X12-party conversions shared by the claim assembler. Each returns an Error naming
// the FHIR path when the data cannot make a valid 837 value (no PHI in messages).

inline constexpr const char* kNpiSystem = "http://hl7.org/fhir/sid/us-npi";
inline constexpr const char* kEinSystem = "urn:oid:2.16.840.1.113883.4.4";
inline constexpr const char* kIcd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr const char* kPosSystem =
    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";

const Identifier* findIdentifier(const std::vector<Identifier>& ids, std::string_view system);

// NPI check digit: Luhn over "80840" + the first 9 digits (x12 map §4).
bool isValidNpi(std::string_view npi);

// Digits only ("62701-1234" -> "627011234").
std::string digitsOnly(std::string_view text);

// The first usable address (not old, not postal-only), as an X12 address, checked for what N4
// can carry (CTX-ADDRESS, needs review, `where` = "<path>.address[i].state" etc.): a US address
// (country absent or US), the state a code of X12 code source 22 for a US state or territory
// (a full state name, any case, is replaced by its code: "Texas" -> "TX"), the ZIP 5 or 9 digits
// (a hyphen allowed). fhir837 sends no N404, so an address in another country needs review.
// `resourcePath` is "Patient/p1"; `single` for Location.address (no index).
Result<std::optional<PostalAddress>> pickAddress(const std::vector<Address>& addresses,
                                                 const std::string& resourcePath,
                                                 bool single = false);

// The N4 checks above on one address; `out` gets the corrected state and the ZIP digits.
Status checkUsAddress(const Address& address, PostalAddress& out, const std::string& where);

// Official (else first) name as an X12 person name.
std::optional<PartyName> personName(const std::vector<HumanName>& names);

// "male" -> "M", "female" -> "F", anything else -> "U".
std::string x12Gender(std::string_view gender);

// ICD-10-CM code of a Condition without the dot, upper-cased; error when it has none or the code
// is not 3-7 letters/digits.
Result<std::string> icd10Code(const CodeableConcept& code, const std::string& path);

// An Organization as a billing or facility provider (NPI required and check-digit valid).
Result<Provider> organizationProvider(const Organization& org, const std::string& path);
// A Practitioner as a rendering/attending provider (NPI required and valid).
Result<Provider> practitionerProvider(const Practitioner& practitioner, const std::string& path);

}  // namespace fhir837
