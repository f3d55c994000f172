#include "emitters/x12_common/x12_hierarchy_writer.h"

#include <string>

#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_hierarchy.h"
#include "emitters/x12_common/x12_party_writer.h"
#include "emitters/x12_common/x12_sanitizer.h"

namespace fhir837::x12 {

namespace {

constexpr std::string_view kPayerResponsibilityCodes = "PSTABCDEFGHU";
constexpr std::string_view kPatientRelationshipCodes[] = {"01", "19", "20", "21",
                                                          "39", "40", "53", "G8"};

class HierarchyWriter {
 public:
  HierarchyWriter(SegmentWriter& writer, std::span<const Claim> claims,
                  const ClaimLoopWriter& writeClaim)
      : writer_(writer), claims_(claims), writeClaim_(writeClaim) {}

  Status writeBilling(const BillingGroup& group) {
    const ElementContext context = contextOf(group.firstClaim);
    const Provider& provider = *group.provider;
    int id = writeHl({}, "20", true);
    if (auto s = writeTaxonomy(writer_, context, "2000A", "BI", provider.taxonomy); !s) return s;
    if (auto s = checkNpi(context, "2010AA NM109", provider.npi); !s) return s;
    if (auto s = writeName(writer_, context, "2010AA", "85", provider.name, "XX", provider.npi);
        !s) {
      return s;
    }
    if (auto s = writeAddress(writer_, context, "2010AA", provider.address, ZipRule::kNine, true);
        !s) {
      return s;
    }
    std::string ein;
    for (char c : provider.ein) {
      if (c != '-') ein.push_back(c);
    }
    if (ein.size() != 9 || !isDigits(ein)) {
      return context.invalid("2010AA REF02", "EIN must have 9 digits");
    }
    writer_.write(Segment("REF").add("EI").add(ein));
    for (const SubscriberGroup& subscriber : group.subscribers) {
      if (auto s = writeSubscriber(subscriber, id); !s) return s;
    }
    return Status::ok();
  }

 private:
  Status writeSubscriber(const SubscriberGroup& group, int parent) {
    std::size_t first =
        group.ownClaims.empty() ? group.patients.front().claims.front() : group.ownClaims.front();
    const ElementContext context = contextOf(first);
    const Subscriber& subscriber = *group.subscriber;
    const bool isPatient = !group.ownClaims.empty();
    int id = writeHl(std::to_string(parent), "22", !group.patients.empty());
    if (subscriber.payerResponsibility.size() != 1 ||
        kPayerResponsibilityCodes.find(subscriber.payerResponsibility[0]) ==
            std::string_view::npos) {
      return context.invalid("2000B SBR01", "payer responsibility code is not valid");
    }
    std::string groupNumber = sanitizeValue(subscriber.groupNumber, kReferenceMax);
    writer_.write(Segment("SBR")
                      .add(subscriber.payerResponsibility)
                      .add(isPatient ? "18" : "")
                      .add(groupNumber)
                      .add(groupNumber.empty() ? sanitizeValue(subscriber.groupName, 60) : "")
                      .skip(4)
                      .add(sanitizeValue(subscriber.claimFilingIndicator, 2)));
    if (auto s =
            writeName(writer_, context, "2010BA", "IL", subscriber.name, "MI", subscriber.memberId);
        !s) {
      return s;
    }
    if (auto s = writeAddress(writer_, context, "2010BA", subscriber.address, ZipRule::kFiveOrNine,
                              isPatient);
        !s) {
      return s;
    }
    if (auto s = writeDemographics(writer_, context, "2010BA", subscriber.birthDate,
                                   subscriber.gender, isPatient);
        !s) {
      return s;
    }
    PartyName payer{.isPerson = false, .lastOrOrganization = group.payer->name};
    if (auto s = writeName(writer_, context, "2010BB", "PR", payer, "PI", group.payer->payerId);
        !s) {
      return s;
    }
    if (auto s = writeClaims(group.ownClaims, "2000B"); !s) return s;
    for (const PatientGroup& patient : group.patients) {
      if (auto s = writePatient(patient, id); !s) return s;
    }
    return Status::ok();
  }

  Status writePatient(const PatientGroup& group, int parent) {
    const ElementContext context = contextOf(group.claims.front());
    const PatientParty& patient = *group.patient;
    writeHl(std::to_string(parent), "23", false);
    bool knownCode = false;
    for (std::string_view code : kPatientRelationshipCodes)
      knownCode |= patient.relationshipCode == code;
    if (!knownCode) return context.invalid("2000C PAT01", "relationship code is not valid");
    writer_.write(Segment("PAT").add(patient.relationshipCode));
    PartyName name = patient.name;
    name.isPerson = true;
    if (auto s = writeName(writer_, context, "2010CA", "QC", name); !s) return s;
    if (auto s =
            writeAddress(writer_, context, "2010CA", patient.address, ZipRule::kFiveOrNine, true);
        !s) {
      return s;
    }
    if (auto s =
            writeDemographics(writer_, context, "2010CA", patient.birthDate, patient.gender, true);
        !s) {
      return s;
    }
    return writeClaims(group.claims, "2000C");
  }

  Status writeClaims(const std::vector<std::size_t>& indices, std::string_view loop) {
    if (indices.size() > kMaxClaimsPerHierarchy) {
      return makeError(ErrorCode::kLimitExceeded,
                       contextOf(indices.front()).label() + ": more than 100 claims in one loop",
                       std::string(loop));
    }
    for (std::size_t index : indices) {
      if (auto s = writeClaim_(writer_, claims_[index], contextOf(index)); !s) return s;
    }
    return Status::ok();
  }

  int writeHl(std::string parent, std::string_view level, bool hasChildren) {
    int id = ++lastHl_;
    writer_.write(
        Segment("HL").add(std::to_string(id)).add(parent).add(level).add(hasChildren ? "1" : "0"));
    return id;
  }

  ElementContext contextOf(std::size_t index) const {
    return ElementContext::forClaim(claims_[index], index);
  }

  SegmentWriter& writer_;
  std::span<const Claim> claims_;
  const ClaimLoopWriter& writeClaim_;
  int lastHl_ = 0;
};

}  // namespace

Status writeHierarchy(SegmentWriter& writer, std::span<const Claim> claims,
                      const ClaimLoopWriter& writeClaim) {
  HierarchyWriter hierarchy(writer, claims, writeClaim);
  for (const BillingGroup& group : groupClaims(claims)) {
    if (auto s = hierarchy.writeBilling(group); !s) return s;
  }
  return Status::ok();
}

}  // namespace fhir837::x12
