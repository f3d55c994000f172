#pragma once

#include <cstdint>
#include <ostream>
#include <string>

// Writes a valid 837P interchange with `claims` claims (3 lines each, one subscriber per claim,
// one billing provider) straight to a stream, so tests and bench/validate_throughput.cc can make
// files of any size without holding them in memory. Header-only: the bench does not link gtest.
namespace fhir837::testing {

inline void writeSynthetic837P(std::ostream& out, std::uint64_t claims, bool newlines = true) {
  const char* end = newlines ? "~\n" : "~";
  std::uint64_t segments = 0;
  auto seg = [&](const std::string& text) {
    out << text << end;
    ++segments;
  };
  out << "ISA*00*          *00*          *ZZ*SUB12345       *ZZ*RCV67890       *250312*1030*^*"
         "00501*000000201*0*T*:"
      << end;
  out << "GS*HC*SUB12345*RCV67890*20250312*1030*201*X*005010X222A1" << end;
  seg("ST*837*0001*005010X222A1");
  seg("BHT*0019*00*0001*20250312*1030*CH");
  seg("NM1*41*2*EXAMPLE BILLING SERVICE*****46*SUB12345");
  seg("PER*IC*BILLING DESK*TE*2175550100");
  seg("NM1*40*2*EXAMPLE CLEARINGHOUSE*****46*RCV67890");
  seg("HL*1**20*1");
  seg("NM1*85*2*PRAIRIE INFUSION CENTER*****XX*1234567893");
  seg("N3*100 MAIN ST");
  seg("N4*SPRINGFIELD*IL*627011234");
  seg("REF*EI*371234567");
  for (std::uint64_t i = 0; i < claims; ++i) {
    const std::string n = std::to_string(i + 1);
    seg("HL*" + std::to_string(i + 2) + "*1*22*0");
    seg("SBR*P*18*GRP001******CI");
    seg("NM1*IL*1*DOE*JANE****MI*W" + n);
    seg("N3*42 ELM ST");
    seg("N4*SPRINGFIELD*IL*62704");
    seg("DMG*D8*19800115*F");
    seg("NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*12345");
    seg("CLM*C" + n + "*8825.5***11:B:1*Y*A*Y*Y");
    seg("HI*ABK:D801*ABF:Z7981");
    seg("LX*1");
    seg("SV1*HC:96369*250*UN*1***1");
    seg("DTP*472*D8*20250310");
    seg("LX*2");
    seg("SV1*HC:96370*75.5*UN*1***1:2");
    seg("DTP*472*D8*20250310");
    seg("LX*3");
    seg("SV1*HC:J1559:JZ*8500*UN*100***1");
    seg("DTP*472*D8*20250310");
    seg("LIN**N4*12345678901");
    seg("CTP****50*ML");
  }
  seg("SE*" + std::to_string(segments + 1) + "*0001");
  out << "GE*1*201" << end << "IEA*1*000000201" << end;
}

}  // namespace fhir837::testing
