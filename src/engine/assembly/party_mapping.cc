#include "engine/assembly/party_mapping.h"

#include <algorithm>
#include <cctype>

#include "engine/codesets/code_tables.h"
#include "rule_ids.h"

namespace fhir837 {

const Identifier* findIdentifier(const std::vector<Identifier>& ids, std::string_view system) {
  for (const auto& id : ids) {
    if (id.system == system && !id.value.empty()) return &id;
  }
  return nullptr;
}

bool isValidNpi(std::string_view npi) {
  if (npi.size() != 10 ||
      !std::all_of(npi.begin(), npi.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return false;
  }
  // Luhn over the 80840-prefixed number: 80840 contributes a constant 24 to the sum.
  int sum = 24;
  for (int i = 8; i >= 0; --i) {
    int digit = npi[static_cast<std::size_t>(i)] - '0';
    if ((8 - i) % 2 == 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  int check = (10 - sum % 10) % 10;
  return check == npi[9] - '0';
}

std::string digitsOnly(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

namespace {

Error addressReview(std::string message, std::string where) {
  return makeError(ErrorCode::kNeedsReview, std::move(message), std::move(where),
                   rule_id::kCtxAddress);
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

bool isUnitedStates(std::string_view country) {
  std::string upper;
  for (char c : country)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return upper.empty() || upper == "US" || upper == "USA" || upper == "UNITED STATES" ||
         upper == "UNITED STATES OF AMERICA";
}

}  // namespace

Status checkUsAddress(const Address& address, PostalAddress& out, const std::string& where) {
  const std::string country = trimmed(address.country);
  if (!isUnitedStates(country)) {
    const bool iso = codesets::countryCodes().find(country) != nullptr;
    return addressReview(iso ? "address is outside the United States: fhir837 does not send "
                               "N404 (country), so a person must bill it"
                             : "country is not an ISO 3166-1 alpha-2 code (X12 code source 5) "
                               "nor the United States",
                         where + ".country");
  }
  const std::string state = trimmed(address.state);
  if (state.empty()) {
    return addressReview("US address has no state (N402 is required)", where + ".state");
  }
  const codesets::CodeEntry* entry = codesets::stateProvinceCodes().findByCodeOrName(state);
  if (entry == nullptr || entry->country != "US") {
    return addressReview(
        "state is not the code or full name of a US state or territory (X12 code source 22)",
        where + ".state");
  }
  out.state = entry->code;
  const std::string zip = trimmed(address.postalCode);
  if (!zip.empty()) {
    const std::string digits = digitsOnly(zip);
    const bool shape =
        (zip.size() == digits.size() && (digits.size() == 5 || digits.size() == 9)) ||
        (zip.size() == 10 && zip[5] == '-' && digits.size() == 9);
    if (!shape) {
      return addressReview("ZIP code must be 5 or 9 digits (ZIP+4 with or without a hyphen)",
                           where + ".postalCode");
    }
    out.zip = digits;
  }
  return Status::ok();
}

Result<std::optional<PostalAddress>> pickAddress(const std::vector<Address>& addresses,
                                                 const std::string& resourcePath, bool single) {
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const Address& a = addresses[i];
    if (a.use == "old" || a.type == "postal" || a.line.empty() || a.city.empty()) continue;
    PostalAddress out;
    out.line1 = a.line[0];
    if (a.line.size() > 1) out.line2 = a.line[1];
    out.city = a.city;
    out.state = a.state;
    out.zip = digitsOnly(a.postalCode);
    const std::string where =
        resourcePath + ".address" + (single ? std::string() : "[" + std::to_string(i) + "]");
    if (Status s = checkUsAddress(a, out, where); !s) return s.error();
    return std::optional<PostalAddress>(std::move(out));
  }
  return std::optional<PostalAddress>();
}

std::optional<PartyName> personName(const std::vector<HumanName>& names) {
  const HumanName* chosen = nullptr;
  for (const auto& n : names) {
    if (n.use == "official" && !n.family.empty()) chosen = &n;
  }
  for (const auto& n : names) {
    if (!chosen && !n.family.empty() && n.use != "old") chosen = &n;
  }
  if (!chosen) return std::nullopt;
  PartyName name;
  name.isPerson = true;
  name.lastOrOrganization = chosen->family;
  if (!chosen->given.empty()) name.first = chosen->given[0];
  if (chosen->given.size() > 1) name.middle = chosen->given[1];
  if (!chosen->suffix.empty()) name.suffix = chosen->suffix[0];
  return name;
}

std::string x12Gender(std::string_view gender) {
  if (gender == "male") return "M";
  if (gender == "female") return "F";
  return "U";
}

Result<std::string> icd10Code(const CodeableConcept& code, const std::string& path) {
  const Coding* coding = code.findSystem(kIcd10CmSystem);
  if (!coding) {
    return makeError(ErrorCode::kMissingElement, "diagnosis has no ICD-10-CM coding", path);
  }
  std::string out;
  for (char c : coding->code) {
    if (c == '.') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      return makeError(ErrorCode::kInvalidValue, "ICD-10-CM code has invalid characters", path);
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (out.size() < 3 || out.size() > 7 || !std::isalpha(static_cast<unsigned char>(out[0]))) {
    return makeError(ErrorCode::kInvalidValue,
                     "ICD-10-CM code must be a letter and 2-6 more characters", path);
  }
  return out;
}

namespace {
Result<std::string> requireNpi(const std::vector<Identifier>& ids, const std::string& path) {
  const Identifier* npi = findIdentifier(ids, kNpiSystem);
  if (!npi) return makeError(ErrorCode::kMissingElement, "no NPI identifier", path + ".identifier");
  if (!isValidNpi(npi->value)) {
    return makeError(ErrorCode::kInvalidValue, "NPI fails the check digit (Luhn, 80840 prefix)",
                     path + ".identifier");
  }
  return npi->value;
}
}  // namespace

Result<Provider> organizationProvider(const Organization& org, const std::string& path) {
  Provider p;
  if (org.name.empty()) return makeError(ErrorCode::kMissingElement, "no name", path + ".name");
  p.name.lastOrOrganization = org.name;
  auto npi = requireNpi(org.identifier, path);
  if (!npi) return npi.error();
  p.npi = *npi;
  if (const Identifier* ein = findIdentifier(org.identifier, kEinSystem)) {
    p.ein = digitsOnly(ein->value);
  }
  auto address = pickAddress(org.address, path);
  if (!address) return address.error();
  if (*address) p.address = **address;
  for (const auto& type : org.type) {
    if (const Coding* c = type.findSystem("http://nucc.org/provider-taxonomy"))
      p.taxonomy = c->code;
  }
  return p;
}

Result<Provider> practitionerProvider(const Practitioner& practitioner, const std::string& path) {
  Provider p;
  auto name = personName(practitioner.name);
  if (!name) return makeError(ErrorCode::kMissingElement, "no family name", path + ".name");
  p.name = *name;
  auto npi = requireNpi(practitioner.identifier, path);
  if (!npi) return npi.error();
  p.npi = *npi;
  return p;
}

}  // namespace fhir837
