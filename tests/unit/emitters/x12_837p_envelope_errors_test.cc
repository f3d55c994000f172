// Envelope and 1000A/1000B values the 837P emitter refuses, and the PER variants it writes.

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "unit/emitters/emitter_test_support.h"

namespace fhir837::testing {
namespace {

struct EnvelopeErrorCase {
  const char* name;
  std::function<void(Envelope&)> breakIt;
  std::string where;
};

void PrintTo(const EnvelopeErrorCase& c, std::ostream* os) { *os << c.name; }

class X12_837PEnvelopeErrors : public ::testing::TestWithParam<EnvelopeErrorCase> {};

TEST_P(X12_837PEnvelopeErrors, FailsNamingTheEnvelopeElement) {
  const EnvelopeErrorCase& c = GetParam();
  Envelope envelope = scigEnvelope();
  c.breakIt(envelope);
  std::vector<Claim> claims{scigClaim()};
  expectEmitError(claims, envelope, ErrorCode::kInvalidValue, c.where, "envelope: ");
}

INSTANTIATE_TEST_SUITE_P(
    Table, X12_837PEnvelopeErrors,
    ::testing::Values(
        EnvelopeErrorCase{"isa05", [](Envelope& e) { e.partner.senderQualifier = "Z"; }, "ISA05"},
        EnvelopeErrorCase{"isa06", [](Envelope& e) { e.partner.senderId = " * "; }, "ISA06"},
        EnvelopeErrorCase{"isa07", [](Envelope& e) { e.partner.receiverQualifier = ""; }, "ISA07"},
        EnvelopeErrorCase{"isa08", [](Envelope& e) { e.partner.receiverId = ""; }, "ISA08"},
        EnvelopeErrorCase{"isa09", [](Envelope& e) { e.date = "2025-03-12"; }, "ISA09"},
        EnvelopeErrorCase{"isa10", [](Envelope& e) { e.time = "10:30"; }, "ISA10"},
        EnvelopeErrorCase{"isa13_zero", [](Envelope& e) { e.interchangeControlNumber = 0; },
                          "ISA13"},
        EnvelopeErrorCase{"isa13_ten_digits",
                          [](Envelope& e) { e.interchangeControlNumber = 1'000'000'000; }, "ISA13"},
        EnvelopeErrorCase{"isa14", [](Envelope& e) { e.partner.acknowledgmentRequested = "2"; },
                          "ISA14"},
        EnvelopeErrorCase{"isa15", [](Envelope& e) { e.partner.usageIndicator = "X"; }, "ISA15"},
        EnvelopeErrorCase{"gs02", [](Envelope& e) { e.partner.applicationSender = "A"; }, "GS02"},
        EnvelopeErrorCase{"gs06", [](Envelope& e) { e.groupControlNumber = 0; }, "GS06"},
        EnvelopeErrorCase{"st02", [](Envelope& e) { e.transactionControlNumber = 0; }, "ST02"},
        EnvelopeErrorCase{"bht03", [](Envelope& e) { e.batchReference = ""; }, "BHT03"},
        EnvelopeErrorCase{"submitter_name", [](Envelope& e) { e.partner.submitterName = ""; },
                          "1000A NM103"},
        EnvelopeErrorCase{"submitter_id", [](Envelope& e) { e.partner.submitterId = "1"; },
                          "1000A NM109"},
        EnvelopeErrorCase{"no_contact", [](Envelope& e) { e.partner.submitterPhone = ""; },
                          "1000A PER03"},
        EnvelopeErrorCase{"phone_without_digits",
                          [](Envelope& e) { e.partner.submitterPhone = "n/a"; }, "1000A PER04"},
        EnvelopeErrorCase{"receiver_name", [](Envelope& e) { e.partner.receiverName = "^"; },
                          "1000B NM103"},
        EnvelopeErrorCase{"receiver_id", [](Envelope& e) { e.partner.receiverIdCode = ""; },
                          "1000B NM109"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(X12_837PEnvelope, NoClaimsIsAnError) {
  expectEmitError({}, scigEnvelope(), ErrorCode::kInvalidValue, "2000A", "envelope: ");
}

TEST(X12_837PEnvelope, PerCarriesOnlyTheContactFieldsPresent) {
  std::vector<Claim> claims{scigClaim()};
  Envelope envelope = scigEnvelope();
  envelope.partner.submitterEmail = "billing_desk@example.com";
  EXPECT_NE(emitChecked(claims, envelope)
                .find("\nPER*IC*BILLING DESK*TE*2175550100*EM*BILLING_DESK@EXAMPLE.COM~\n"),
            std::string::npos);
  envelope.partner.submitterPhone = "";
  envelope.partner.submitterContactName = "";
  EXPECT_NE(emitChecked(claims, envelope).find("\nPER*IC**EM*BILLING_DESK@EXAMPLE.COM~\n"),
            std::string::npos);
}

TEST(X12_837PEnvelope, ApplicationCodesDefaultToTheIsaIdsAndCanBeSet) {
  std::vector<Claim> claims{scigClaim()};
  Envelope envelope = scigEnvelope();
  envelope.partner.applicationSender = "app-send";
  envelope.partner.applicationReceiver = "APPRECV";
  EXPECT_NE(emitChecked(claims, envelope)
                .find("\nGS*HC*APP-SEND*APPRECV*20250312*1030*101*X*005010X222A1~\n"),
            std::string::npos);
}

}  // namespace
}  // namespace fhir837::testing
