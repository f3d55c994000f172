#include "engine/validation/guide_tables.h"

// 837P 2300 claim and 2400 service line loops (x12-837-map.md §2.5, §2.6; pyx12 X222A1 order).
namespace fhir837::validation::tables {

namespace {

constexpr std::string_view kRef = "R ID 2-3|R AN 1-50|N|N";
constexpr std::string_view kNm1Person =
    "R ID 2|R ID 1 1,2|R AN 1-60|S AN 1-35|S AN 1-25|N|S AN 1-10|S ID 2 XX|S AN 2-80";
constexpr std::string_view kNm1Facility = "R ID 2|R ID 1 2|R AN 1-60|N|N|N|N|S ID 2 XX|S AN 2-80";
constexpr std::string_view kDtpD8 = "R ID 3|R ID 2-3 D8|R AN 1-35";
constexpr std::string_view kDtpService = "R ID 3|R ID 2-3 D8,RD8|R AN 1-35";

std::string hiSpec() {
  std::string spec = "R{R ID 1-3 ABK,BK;R AN 1-30;N;N;N;N;N;N;N}";
  for (int i = 2; i <= 12; ++i) spec += "|S{R ID 1-3 ABF,BF;R AN 1-30;N;N;N;N;N;N;N}";
  return spec;
}

}  // namespace

const LoopDef& addClaim837P(Guide& guide) {
  const LoopDef& drug = addLoop(guide, "2410",
                                {seg("LIN", R, 1, "N|R ID 2 @LIN02P|R AN 1-48"),
                                 seg("CTP", R, 1, "N|N|N|R R 1-15|R{R ID 2 @CTP05}"),
                                 seg("REF", S, 1, "R ID 2 XZ,VY|R AN 1-50|N|N", q(1, "XZ,VY"))});
  auto lineParty = [&](std::string id, std::string_view codes, std::string_view spec,
                       bool address) -> const LoopDef& {
    std::vector<Node> nodes = {seg("NM1", R, 1, spec, q(1, codes))};
    if (codes == "82")
      nodes.push_back(seg("PRV", S, 1, "R ID 2 PE|R ID 3 PXC|R AN 1-50", q(1, "PE")));
    if (address) {
      nodes.push_back(seg("N3", R, 1, "R AN 1-55|S AN 1-55"));
      nodes.push_back(seg("N4", R, 1, "R AN 2-30|S ID 2|S ID 3-15|S ID 2-3|N|N|S ID 1-3"));
    }
    nodes.push_back(seg("REF", S, 20, kRef));
    if (codes == "77" || codes == "DK") nodes.push_back(seg("PER", S, 1));
    return addLoop(guide, std::move(id), std::move(nodes));
  };
  const LoopDef& lineRendering = lineParty("2420A", "82", kNm1Person, false);
  const LoopDef& linePurchased = lineParty("2420B", "QB", kNm1Facility, false);
  const LoopDef& lineFacility = lineParty("2420C", "77", kNm1Facility, true);
  const LoopDef& lineSupervising = lineParty("2420D", "DQ", kNm1Person, false);
  const LoopDef& lineOrdering = lineParty("2420E", "DK", kNm1Person, true);
  const LoopDef& lineReferring = lineParty("2420F", "DN,P3", kNm1Person, false);
  const LoopDef& linePickup = lineParty("2420G", "PW", {}, true);
  const LoopDef& lineDropoff = lineParty("2420H", "45", {}, true);
  const LoopDef& adjudication =
      addLoop(guide, "2430",
              {seg("SVD", R, 1), seg("CAS", S, 5), seg("DTP", R, 1, kDtpD8, q(1, "573")),
               seg("AMT", S, 1, "R ID 1-3|R $ 1-18")});
  const LoopDef& forms = addLoop(guide, "2440", {seg("LQ", R, 1), seg("FRM", R, 99)});
  const LoopDef& line =
      addLoop(guide, "2400",
              {seg("LX", R, 1, "R N0 1-6"),
               seg("SV1", R, 1,
                   "R{R ID 2 ER,HC,IV,WK;R AN 1-48;S AN 2;S AN 2;S AN 2;S AN 2;S AN 1-80}|R $ 1-18|"
                   "R ID 2 MJ,UN|R R 1-15|S AN 1-2|N|R{R N0 1-2;S N0 1-2;S N0 1-2;S N0 1-2}|N|"
                   "S ID 1 Y|N|S ID 1 Y|S ID 1 Y|N|N|S ID 1 0"),
               seg("SV5", S, 1),
               seg("PWK", S, 10),
               seg("CR1", S, 1),
               seg("CR3", S, 1),
               seg("CRC", S, 3),
               seg("DTP", R, 1, kDtpService, q(1, "472")),
               seg("DTP", S, 12, kDtpD8, q(1, "471,607,463,461,304,738,739,011,455,454")),
               seg("QTY", S, 2),
               seg("MEA", S, 5),
               seg("CN1", S, 1),
               seg("REF", S, 20, kRef,
                   q(1, "9B,9D,G1,9F,6R,EW,X4,F4,BT,TP,0B,1G,LU,G2,9A,9C,EA,P4,1J,LX,EI")),
               seg("AMT", S, 2, "R ID 1-3 T,GT,AAE|R $ 1-18"),
               seg("K3", S, 10),
               seg("NTE", S, 2, "R ID 3 ADD,DCP,TPO|R AN 1-80"),
               seg("PS1", S, 1),
               seg("HCP", S, 1),
               loop(drug, S, 1),
               loop(lineRendering, S, 1),
               loop(linePurchased, S, 1),
               loop(lineFacility, S, 1),
               loop(lineSupervising, S, 1),
               loop(lineOrdering, S, 1),
               loop(lineReferring, S, 2),
               loop(linePickup, S, 1),
               loop(lineDropoff, S, 1),
               loop(adjudication, S, 15),
               loop(forms, S, 0)});

  auto claimParty = [&](std::string id, std::string_view codes, std::string_view spec,
                        bool address) -> const LoopDef& {
    std::vector<Node> nodes = {seg("NM1", R, 1, spec, q(1, codes))};
    if (codes == "82")
      nodes.push_back(seg("PRV", S, 1, "R ID 2 PE|R ID 3 PXC|R AN 1-50", q(1, "PE")));
    if (address) {
      nodes.push_back(seg("N3", R, 1, "R AN 1-55|S AN 1-55"));
      nodes.push_back(seg("N4", R, 1, "R AN 2-30|S ID 2|S ID 3-15|S ID 2-3|N|N|S ID 1-3"));
    }
    nodes.push_back(seg("REF", S, 20, kRef));
    if (codes == "77") nodes.push_back(seg("PER", S, 1));
    return addLoop(guide, std::move(id), std::move(nodes));
  };
  const LoopDef& referring = claimParty("2310A", "DN,P3", kNm1Person, false);
  const LoopDef& rendering = claimParty("2310B", "82", kNm1Person, false);
  const LoopDef& facility = claimParty("2310C", "77", kNm1Facility, true);
  const LoopDef& supervising = claimParty("2310D", "DQ", kNm1Person, false);
  const LoopDef& pickup = claimParty("2310E", "PW", {}, true);
  const LoopDef& dropoff = claimParty("2310F", "45", {}, true);
  const LoopDef& otherSubscriber = addOtherSubscriber(guide);

  return addLoop(
      guide, "2300",
      {seg("CLM", R, 1,
           "R AN 1-38|R $ 1-18|N|N|R{R AN 1-2;R ID 1-2 B;R ID 1 @FREQP}|R ID 1 N,Y|R ID 1 A,B,C|"
           "R ID 1 N,W,Y|R ID 1 I,Y|S ID 1 P|S{R ID 2-3 AA,EM,OA;S ID 2-3 AA,EM,OA;N;S ID 2;S AN "
           "2-3}|"
           "S ID 2-3 02,03,05,09|N|N|N|N|N|N|N|S ID 1-2 1,2,3,4,5,6,7,8,9,10,11,15"),
       seg("DTP", S, 20, kDtpService,
           q(1, "431,454,304,453,439,484,455,471,314,360,361,297,296,435,096,090,091,444,050")),
       seg("PWK", S, 10),
       seg("CN1", S, 1),
       seg("AMT", S, 1, "R ID 1-3 F5|R $ 1-18", q(1, "F5")),
       seg("REF", S, 15, kRef, q(1, "4N,F5,EW,9F,G1,F8,X4,9A,9C,LX,D9,EA,P4,1J")),
       seg("K3", S, 10),
       seg("NTE", S, 1, "R ID 3 ADD,CER,DCP,DGN,TPO|R AN 1-80"),
       seg("CR1", S, 1),
       seg("CR2", S, 1),
       seg("CRC", S, 8),
       seg("HI", R, 1, hiSpec(), q(1, "ABK,BK", 1)),
       seg("HI", S, 1, {}, q(1, "BP,BO", 1)),
       seg("HI", S, 2, {}, q(1, "BG", 1)),
       seg("HCP", S, 1),
       loop(referring, S, 2),
       loop(rendering, S, 1),
       loop(facility, S, 1),
       loop(supervising, S, 1),
       loop(pickup, S, 1),
       loop(dropoff, S, 1),
       loop(otherSubscriber, S, 10),
       loop(line, R, 50)});
}

}  // namespace fhir837::validation::tables
