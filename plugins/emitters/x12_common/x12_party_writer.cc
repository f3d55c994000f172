#include "emitters/x12_common/x12_party_writer.h"

#include <string>

#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_sanitizer.h"

namespace fhir837::x12 {

namespace {

std::string where(std::string_view loop, std::string_view element) {
  std::string out(loop);
  out.push_back(' ');
  out += element;
  return out;
}

bool isAlpha(std::string_view text) {
  for (char c : text) {
    if (c < 'A' || c > 'Z') return false;
  }
  return !text.empty();
}

}  // namespace

Status writeName(SegmentWriter& writer, const ElementContext& context, std::string_view loop,
                 std::string_view entityCode, const PartyName& name, std::string_view idQualifier,
                 std::string_view id) {
  std::string last = sanitizeValue(name.lastOrOrganization, kNameLastMax);
  if (last.empty()) return context.invalid(where(loop, "NM103"), "name is empty");
  Segment nm1("NM1");
  nm1.add(entityCode).add(name.isPerson ? "1" : "2").add(last);
  if (name.isPerson) {
    nm1.add(sanitizeValue(name.first, kNameFirstMax))
        .add(sanitizeValue(name.middle, kNameMiddleMax))
        .skip()
        .add(sanitizeValue(name.suffix, kNameSuffixMax));
  } else {
    nm1.skip(4);
  }
  if (!idQualifier.empty()) {
    std::string code = sanitizeValue(id, kIdCodeMax);
    if (code.size() < 2) {
      return context.invalid(where(loop, "NM109"), "identifier must have 2 to 80 characters");
    }
    nm1.add(idQualifier).add(code);
  }
  writer.write(nm1);
  return Status::ok();
}

Status writeAddress(SegmentWriter& writer, const ElementContext& context, std::string_view loop,
                    const PostalAddress& address, ZipRule zipRule, bool required) {
  bool anyValue = !address.line1.empty() || !address.line2.empty() || !address.city.empty() ||
                  !address.state.empty() || !address.zip.empty();
  if (!anyValue && !required) return Status::ok();
  std::string line1 = sanitizeValue(address.line1, kStreetMax);
  std::string line2 = sanitizeValue(address.line2, kStreetMax);
  if (line1.empty()) {
    if (line2.empty()) return context.invalid(where(loop, "N301"), "street address is empty");
    line1 = std::move(line2);
    line2.clear();
  }
  std::string city = sanitizeValue(address.city, kCityMax);
  if (city.size() < 2)
    return context.invalid(where(loop, "N401"), "city must have 2 to 30 characters");
  std::string state = sanitizeValue(address.state, 2);
  if (!address.state.empty() && (state.size() != 2 || !isAlpha(state))) {
    return context.invalid(where(loop, "N402"), "state must be a 2-letter code");
  }
  std::string zip;
  for (char c : address.zip) {
    if (c != '-' && c != ' ') zip.push_back(c);
  }
  bool zipOk =
      isDigits(zip) && (zip.size() == 9 || (zip.size() == 5 && zipRule == ZipRule::kFiveOrNine));
  if (!zipOk) {
    return context.invalid(where(loop, "N403"), zipRule == ZipRule::kNine
                                                    ? "ZIP code must have 9 digits"
                                                    : "ZIP code must have 5 or 9 digits");
  }
  writer.write(Segment("N3").add(line1).add(line2));
  writer.write(Segment("N4").add(city).add(state).add(zip));
  return Status::ok();
}

Status writeDemographics(SegmentWriter& writer, const ElementContext& context,
                         std::string_view loop, std::string_view birthDate, std::string_view gender,
                         bool required) {
  if (birthDate.empty() && !required) return Status::ok();
  if (!isValidDate(birthDate)) {
    return context.invalid(where(loop, "DMG02"), "birth date must be a valid CCYYMMDD date");
  }
  std::string sex = gender.empty() ? std::string("U") : sanitizeValue(gender, 2);
  if (sex != "F" && sex != "M" && sex != "U") {
    return context.invalid(where(loop, "DMG03"), "gender must be F, M or U");
  }
  writer.write(Segment("DMG").add("D8").add(birthDate).add(sex));
  return Status::ok();
}

Status checkNpi(const ElementContext& context, std::string_view where, std::string_view npi) {
  if (isValidNpi(npi)) return Status::ok();
  return context.invalid(where, "NPI must be 10 digits with a valid check digit");
}

Status writeTaxonomy(SegmentWriter& writer, const ElementContext& context, std::string_view loop,
                     std::string_view role, std::string_view taxonomy) {
  if (taxonomy.empty()) return Status::ok();
  const std::string code = sanitizeValue(taxonomy, kReferenceMax);
  bool valid = code.size() == 10 && code.back() == 'X';
  for (char c : code) valid = valid && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
  if (!valid) {
    return context.invalid(std::string(loop) + " PRV03",
                           "taxonomy must be a NUCC code: 10 letters and digits ending in X");
  }
  writer.write(Segment("PRV").add(role).add("PXC").add(code));
  return Status::ok();
}

}  // namespace fhir837::x12
