#include "emitters/x12_common/x12_envelope_writer.h"

#include <string>

#include "emitters/x12_common/x12_element_context.h"
#include "emitters/x12_common/x12_format.h"
#include "emitters/x12_common/x12_party_writer.h"
#include "emitters/x12_common/x12_sanitizer.h"

namespace fhir837::x12 {

namespace {

constexpr std::uint64_t kMaxControlNumber = 999'999'999;
constexpr std::size_t kIsaIdWidth = 15;

std::string padRight(std::string value, std::size_t width) {
  value.resize(width, ' ');
  return value;
}

Status checkControlNumber(const ElementContext& context, std::string_view where,
                          std::uint64_t value) {
  if (value >= 1 && value <= kMaxControlNumber) return Status::ok();
  return context.invalid(where, "control number must be 1 to 999999999");
}

struct IsaFields {
  std::string senderQualifier, senderId, receiverQualifier, receiverId;
};

Result<IsaFields> isaFields(const ElementContext& context, const TradingPartner& partner) {
  IsaFields f{
      sanitizeValue(partner.senderQualifier, 2), sanitizeValue(partner.senderId, kIsaIdWidth),
      sanitizeValue(partner.receiverQualifier, 2), sanitizeValue(partner.receiverId, kIsaIdWidth)};
  if (f.senderQualifier.size() != 2)
    return context.invalid("ISA05", "qualifier must have 2 characters");
  if (f.senderId.empty()) return context.invalid("ISA06", "sender id is empty");
  if (f.receiverQualifier.size() != 2)
    return context.invalid("ISA07", "qualifier must have 2 characters");
  if (f.receiverId.empty()) return context.invalid("ISA08", "receiver id is empty");
  if (partner.acknowledgmentRequested != "0" && partner.acknowledgmentRequested != "1") {
    return context.invalid("ISA14", "acknowledgment flag must be 0 or 1");
  }
  if (partner.usageIndicator != "P" && partner.usageIndicator != "T") {
    return context.invalid("ISA15", "usage indicator must be P or T");
  }
  return f;
}

// GS02/GS03 default to the ISA ids, which is what most clearinghouses expect.
Result<std::string> applicationCode(const ElementContext& context, std::string_view where,
                                    std::string_view configured, std::string_view fallback) {
  std::string code = sanitizeValue(configured.empty() ? fallback : configured, 15);
  if (code.size() < 2)
    return context.invalid(where, "application code must have 2 to 15 characters");
  return code;
}

Status writeSubmitter(SegmentWriter& writer, const ElementContext& context,
                      const TradingPartner& partner) {
  PartyName name{.isPerson = false, .lastOrOrganization = partner.submitterName};
  if (auto s = writeName(writer, context, "1000A", "41", name, "46", partner.submitterId); !s) {
    return s;
  }
  std::string phone = digitsOnly(partner.submitterPhone);
  std::string email = sanitizeValue(partner.submitterEmail, 256, CharacterSet::kExtended);
  if (!partner.submitterPhone.empty() && phone.empty()) {
    return context.invalid("1000A PER04", "phone number has no digits");
  }
  if (phone.empty() && email.empty()) {
    return context.invalid("1000A PER03", "submitter contact needs a phone number or an e-mail");
  }
  Segment per("PER");
  per.add("IC").add(sanitizeValue(partner.submitterContactName, 60));
  if (!phone.empty()) per.add("TE").add(phone);
  if (!email.empty()) per.add("EM").add(email);
  writer.write(per);
  PartyName receiver{.isPerson = false, .lastOrOrganization = partner.receiverName};
  return writeName(writer, context, "1000B", "40", receiver, "46", partner.receiverIdCode);
}

}  // namespace

std::string transactionSetControlNumber(const Envelope& envelope) {
  return zeroPad(envelope.transactionControlNumber, 4);
}

Status writeEnvelopeHeader(SegmentWriter& writer, const Envelope& envelope,
                           std::string_view implementationReference) {
  const ElementContext context = ElementContext::forEnvelope();
  const TradingPartner& partner = envelope.partner;
  auto isa = isaFields(context, partner);
  if (!isa) return isa.error();
  if (!isValidDate(envelope.date)) return context.invalid("ISA09", "date must be CCYYMMDD");
  if (!isValidTime(envelope.time)) return context.invalid("ISA10", "time must be HHMM");
  if (auto s = checkControlNumber(context, "ISA13", envelope.interchangeControlNumber); !s)
    return s;
  if (auto s = checkControlNumber(context, "GS06", envelope.groupControlNumber); !s) return s;
  if (auto s = checkControlNumber(context, "ST02", envelope.transactionControlNumber); !s) return s;
  auto gs02 = applicationCode(context, "GS02", partner.applicationSender, isa->senderId);
  if (!gs02) return gs02.error();
  auto gs03 = applicationCode(context, "GS03", partner.applicationReceiver, isa->receiverId);
  if (!gs03) return gs03.error();
  std::string batch = sanitizeValue(envelope.batchReference, 50);
  if (batch.empty()) return context.invalid("BHT03", "batch reference is empty");

  std::string isaText = "ISA*00*          *00*          *" + isa->senderQualifier + "*" +
                        padRight(isa->senderId, kIsaIdWidth) + "*" + isa->receiverQualifier + "*" +
                        padRight(isa->receiverId, kIsaIdWidth) + "*" + envelope.date.substr(2) +
                        "*" + envelope.time + "*^*00501*" +
                        zeroPad(envelope.interchangeControlNumber, 9) + "*" +
                        partner.acknowledgmentRequested + "*" + partner.usageIndicator + "*:";
  writer.writeRaw(isaText);
  writer.write(Segment("GS")
                   .add("HC")
                   .add(*gs02)
                   .add(*gs03)
                   .add(envelope.date)
                   .add(envelope.time)
                   .add(std::to_string(envelope.groupControlNumber))
                   .add("X")
                   .add(implementationReference));
  writer.resetCount();
  writer.write(Segment("ST")
                   .add("837")
                   .add(transactionSetControlNumber(envelope))
                   .add(implementationReference));
  writer.write(Segment("BHT")
                   .add("0019")
                   .add("00")
                   .add(batch)
                   .add(envelope.date)
                   .add(envelope.time)
                   .add("CH"));
  return writeSubmitter(writer, context, partner);
}

void writeEnvelopeTrailer(SegmentWriter& writer, const Envelope& envelope) {
  writer.write(Segment("SE")
                   .add(std::to_string(writer.count() + 1))
                   .add(transactionSetControlNumber(envelope)));
  writer.write(Segment("GE").add("1").add(std::to_string(envelope.groupControlNumber)));
  writer.write(Segment("IEA").add("1").add(zeroPad(envelope.interchangeControlNumber, 9)));
}

}  // namespace fhir837::x12
