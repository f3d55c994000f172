#include "engine/validation/guide_tables.h"

// 837I 2300 claim and 2400 service line loops (x12-837-map.md §3; pyx12 837Q3 X223 order).
namespace fhir837::validation::tables {

namespace {

constexpr std::string_view kRef = "R ID 2-3|R AN 1-50|N|N";
constexpr std::string_view kNm1Person =
    "R ID 2|R ID 1 1|R AN 1-60|S AN 1-35|S AN 1-25|N|S AN 1-10|S ID 2 XX|S AN 2-80";
constexpr std::string_view kPoa = "S ID 1 N,Y,U,W,1";

std::string hiSpec(std::string_view codes, int count, bool poa) {
  std::string spec;
  for (int i = 1; i <= count; ++i) {
    if (i > 1) spec += "|";
    spec += i == 1 ? "R{R ID 1-3 " : "S{R ID 1-3 ";
    spec += std::string(codes) + ";R AN 1-30;N;N;N;N;N;N;" + (poa ? std::string(kPoa) : "N") + "}";
  }
  return spec;
}

}  // namespace

const LoopDef& addClaim837I(Guide& guide) {
  const LoopDef& drug = addLoop(guide, "2410",
                                {seg("LIN", R, 1, "N|R ID 2 N4|R AN 1-48"),
                                 seg("CTP", R, 1, "N|N|N|R R 1-15|R{R ID 2 @CTP05}"),
                                 seg("REF", S, 1, "R ID 2 XZ,VY|R AN 1-50|N|N", q(1, "XZ,VY"))});
  auto party = [&](std::string id, std::string_view codes, std::string_view spec,
                   bool address) -> const LoopDef& {
    std::vector<Node> nodes = {seg("NM1", R, 1, spec, q(1, codes))};
    if (codes == "71")
      nodes.push_back(seg("PRV", S, 1, "R ID 2 AT|R ID 3 PXC|R AN 1-50", q(1, "AT")));
    if (address) {
      nodes.push_back(seg("N3", R, 1, "R AN 1-55|S AN 1-55"));
      nodes.push_back(seg("N4", R, 1, "R AN 2-30|S ID 2|S ID 3-15|S ID 2-3|N|N|S ID 1-3"));
    }
    nodes.push_back(seg("REF", S, 4, kRef));
    return addLoop(guide, std::move(id), std::move(nodes));
  };
  const LoopDef& lineOperating = party("2420A", "72", kNm1Person, false);
  const LoopDef& lineOther = party("2420B", "ZZ", kNm1Person, false);
  const LoopDef& lineRendering = party("2420C", "82", kNm1Person, false);
  const LoopDef& lineReferring = party("2420D", "DN", kNm1Person, false);
  const LoopDef& adjudication =
      addLoop(guide, "2430",
              {seg("SVD", R, 1), seg("CAS", S, 5), seg("DTP", R, 1, {}, q(1, "573")),
               seg("AMT", S, 1, "R ID 1-3|R $ 1-18")});
  const LoopDef& line = addLoop(
      guide, "2400",
      {seg("LX", R, 1, "R N0 1-6"),
       seg("SV2", R, 1,
           "R AN 1-48|S{R ID 2 ER,HC,HP,IV,WK;R AN 1-48;S AN 2;S AN 2;S AN 2;S AN 2;S AN 1-80}|"
           "R $ 1-18|R ID 2 DA,UN|R R 1-15|N|S $ 1-18|N|N|N"),
       seg("PWK", S, 10), seg("DTP", S, 1, "R ID 3|R ID 2-3 D8,RD8|R AN 1-35", q(1, "472")),
       seg("REF", S, 10, kRef, q(1, "6R,9B,9D,G1,9F,EW,X4,F4,BT,TP")),
       seg("AMT", S, 2, "R ID 1-3 GT,N8|R $ 1-18"), seg("NTE", S, 1, "R ID 3 TPO|R AN 1-80"),
       seg("HCP", S, 1), loop(drug, S, 1), loop(lineOperating, S, 1), loop(lineOther, S, 1),
       loop(lineRendering, S, 1), loop(lineReferring, S, 1), loop(adjudication, S, 15)});

  const LoopDef& attending = party("2310A", "71", kNm1Person, false);
  const LoopDef& operating = party("2310B", "72", kNm1Person, false);
  const LoopDef& otherOperating = party("2310C", "ZZ", kNm1Person, false);
  const LoopDef& rendering = party("2310D", "82", kNm1Person, false);
  const LoopDef& facility =
      party("2310E", "77", "R ID 2 77|R ID 1 2|R AN 1-60|N|N|N|N|S ID 2 XX|S AN 2-80", true);
  const LoopDef& referring = party("2310F", "DN", kNm1Person, false);
  const LoopDef& otherSubscriber = addOtherSubscriber(guide);

  return addLoop(
      guide, "2300",
      {seg("CLM", R, 1,
           "R AN 1-38|R $ 1-18|N|N|R{R AN 2;R ID 1-2 A;R ID 1 @FREQI}|N|R ID 1 A,B,C|"
           "R ID 1 N,W,Y|R ID 1 I,Y|N|N|N|N|N|N|N|N|N|N|S ID 1-2 1,2,3,4,5,6,7,8,9,10,11,15"),
       seg("DTP", S, 1, "R ID 3 096|R ID 2-3 TM|R AN 1-35", q(1, "096")),
       seg("DTP", R, 1, "R ID 3 434|R ID 2-3 RD8|R AN 1-35", q(1, "434")),
       seg("DTP", S, 1, "R ID 3 435|R ID 2-3 D8,DT|R AN 1-35", q(1, "435")),
       seg("CL1", R, 1, "S ID 1 1,2,3,4,5,9|S ID 1|R ID 1-2|N"),
       seg("PWK", S, 10),
       seg("CN1", S, 1),
       seg("AMT", S, 1, "R ID 1-3 F3|R $ 1-18", q(1, "F3")),
       seg("REF", S, 15, kRef, q(1, "4N,9F,G1,F8,9A,9C,LX,D9,DD,P4,EA,F5,EW,G4,4N")),
       seg("K3", S, 10),
       seg("NTE", S, 10),
       seg("CRC", S, 1),
       seg("HI", R, 1, hiSpec("ABK,BK", 1, true), q(1, "ABK,BK", 1)),
       seg("HI", S, 1, hiSpec("ABJ,BJ", 1, false), q(1, "ABJ,BJ", 1)),
       seg("HI", S, 1, hiSpec("APR,PR", 3, false), q(1, "APR,PR", 1)),
       seg("HI", S, 1, hiSpec("ABN,BN", 12, true), q(1, "ABN,BN", 1)),
       seg("HI", S, 1, {}, q(1, "DR", 1)),
       seg("HI", S, 2, hiSpec("ABF,BF", 12, true), q(1, "ABF,BF", 1)),
       seg("HI", S, 1, {}, q(1, "BBR,BR,CAH", 1)),
       seg("HI", S, 2, {}, q(1, "BBQ,BQ", 1)),
       seg("HI", S, 2, {}, q(1, "BI", 1)),
       seg("HI", S, 2, {}, q(1, "BH", 1)),
       seg("HI", S, 2, {}, q(1, "BE", 1)),
       seg("HI", S, 2, {}, q(1, "BG", 1)),
       seg("HI", S, 1, {}, q(1, "TC", 1)),
       seg("HCP", S, 1),
       loop(attending, S, 1),
       loop(operating, S, 1),
       loop(otherOperating, S, 1),
       loop(rendering, S, 1),
       loop(facility, S, 1),
       loop(referring, S, 1),
       loop(otherSubscriber, S, 10),
       loop(line, R, 999)});
}

}  // namespace fhir837::validation::tables
