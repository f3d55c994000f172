#pragma once

#include <string_view>

#include "core/result.h"
#include "emitters/x12_common/x12_element_context.h"
#include "emitters/x12_common/x12_segment_writer.h"
#include "model/claim.h"

namespace fhir837::x12 {

// Element maximum lengths from the §2 tables.
inline constexpr std::size_t kNameLastMax = 60;    // NM103
inline constexpr std::size_t kNameFirstMax = 35;   // NM104
inline constexpr std::size_t kNameMiddleMax = 25;  // NM105
inline constexpr std::size_t kNameSuffixMax = 10;  // NM107
inline constexpr std::size_t kIdCodeMax = 80;      // NM109
inline constexpr std::size_t kStreetMax = 55;      // N301 / N302
inline constexpr std::size_t kCityMax = 30;        // N401
inline constexpr std::size_t kReferenceMax = 50;   // REF02, PRV03, SBR03

// NM1*<entity>*1|2*last*first*middle**suffix*<qualifier>*<id>. First/middle/suffix only for
// persons; qualifier and id only when `idQualifier` is not empty (then the id is required).
// Errors name "<loop> NM103" / "<loop> NM109".
Status writeName(SegmentWriter& writer, const ElementContext& context, std::string_view loop,
                 std::string_view entityCode, const PartyName& name,
                 std::string_view idQualifier = {}, std::string_view id = {});

enum class ZipRule {
  kFiveOrNine,
  kNine,  // 2010AA billing provider: ZIP+4 mandatory
};

// N3 + N4. An empty address writes nothing unless `required` (then "<loop> N301" fails).
Status writeAddress(SegmentWriter& writer, const ElementContext& context, std::string_view loop,
                    const PostalAddress& address, ZipRule zipRule, bool required);

// DMG*D8*CCYYMMDD*F|M|U. Nothing when no birth date and not `required`.
Status writeDemographics(SegmentWriter& writer, const ElementContext& context,
                         std::string_view loop, std::string_view birthDate, std::string_view gender,
                         bool required);

// Fails with "<where>" unless `npi` is 10 digits with a valid check digit.
Status checkNpi(const ElementContext& context, std::string_view where, std::string_view npi);

// PRV*<role>*PXC*<taxonomy>; nothing when `taxonomy` is empty. PRV03 is required once PRV is
// sent, so a value that is not a NUCC taxonomy code (10 letters and digits ending in X, after
// sanitising) fails with "<loop> PRV03" instead of writing a PRV with an empty or junk PRV03.
Status writeTaxonomy(SegmentWriter& writer, const ElementContext& context, std::string_view loop,
                     std::string_view role, std::string_view taxonomy);

}  // namespace fhir837::x12
