#include "engine/validation/guide_tables.h"

// Header, submitter/receiver, billing provider, subscriber, payer and patient loops: the same
// in 837P and 837I except where noted (x12-837-map.md §2.1-2.4, §3).
namespace fhir837::validation::tables {

namespace {

constexpr std::string_view kN3 = "R AN 1-55|S AN 1-55";
constexpr std::string_view kN4 = "R AN 2-30|S ID 2|S ID 3-15|S ID 2-3|N|N|S ID 1-3";
constexpr std::string_view kRef = "R ID 2-3|R AN 1-50|N|N";
constexpr std::string_view kPer =
    "R ID 2 IC|S AN 1-60|R ID 2 @PER|R AN 1-256|S ID 2 @PER|S AN 1-256|S ID 2 @PER|S AN 1-256";
constexpr std::string_view kDmg = "R ID 2-3 D8|R AN 1-35|R ID 1 @DMG03";
constexpr std::string_view kPatientPat =
    "R ID 2 @PAT01|N|N|N|S ID 2-3 D8|S AN 1-35|S ID 2 01|S R 1-10|S ID 1 Y";
constexpr std::string_view kSubscriberPat =
    "N|N|N|N|S ID 2-3 D8|S AN 1-35|S ID 2 01|S R 1-10|S ID 1 Y";

}  // namespace

void addHeaderAndParties(Guide& guide, const LoopDef& claim) {
  const bool prof = guide.kind == GuideKind::k837P;
  const LoopDef& submitter =
      addLoop(guide, "1000A",
              {seg("NM1", R, 1,
                   "R ID 2 41|R ID 1 1,2|R AN 1-60|S AN 1-35|S AN 1-25|N|N|R ID 2 46|R AN 2-80",
                   q(1, "41")),
               seg("PER", R, 2, kPer, q(1, "IC"))});
  const LoopDef& receiver = addLoop(
      guide, "1000B",
      {seg("NM1", R, 1, "R ID 2 40|R ID 1 2|R AN 1-60|N|N|N|N|R ID 2 46|R AN 2-80", q(1, "40"))});

  const LoopDef& billing =
      addLoop(guide, "2010AA",
              {seg("NM1", R, 1,
                   prof ? "R ID 2 85|R ID 1 1,2|R AN 1-60|S AN 1-35|S AN 1-25|N|S AN 1-10|S ID 2 "
                          "XX|S AN 2-80"
                        : "R ID 2 85|R ID 1 2|R AN 1-60|N|N|N|N|R ID 2 XX|R AN 2-80",
                   q(1, "85")),
               seg("N3", R, 1, kN3), seg("N4", R, 1, kN4), seg("REF", R, 1, kRef, q(1, "EI,SY")),
               seg("REF", S, 2, kRef, q(1, "0B,1G")), seg("PER", S, 2, kPer, q(1, "IC"))});
  const LoopDef& payTo =
      addLoop(guide, "2010AB",
              {seg("NM1", R, 1, "R ID 2 87|R ID 1 1,2|N|N|N|N|N|N|N", q(1, "87")),
               seg("N3", R, 1, kN3), seg("N4", R, 1, kN4)});
  const LoopDef& payToPlan = addLoop(
      guide, "2010AC",
      {seg("NM1", R, 1, "R ID 2 PE|R ID 1 2|R AN 1-60|N|N|N|N|R ID 2 PI,XV|R AN 2-80", q(1, "PE")),
       seg("N3", R, 1, kN3), seg("N4", R, 1, kN4), seg("REF", S, 1, kRef, q(1, "2U,FY,NF")),
       seg("REF", R, 1, kRef, q(1, "EI"))});

  const LoopDef& subscriber = addLoop(
      guide, "2010BA",
      {seg("NM1", R, 1,
           "R ID 2 IL|R ID 1 1,2|R AN 1-60|S AN 1-35|S AN 1-25|N|S AN 1-10|R ID 2 II,MI|R AN 2-80",
           q(1, "IL")),
       seg("N3", S, 1, kN3), seg("N4", S, 1, kN4), seg("DMG", S, 1, kDmg),
       seg("REF", S, 1, kRef, q(1, "SY")), seg("REF", S, 1, kRef, q(1, "Y4"))});
  const LoopDef& payer = addLoop(
      guide, "2010BB",
      {seg("NM1", R, 1, "R ID 2 PR|R ID 1 2|R AN 1-60|N|N|N|N|R ID 2 PI,XV|R AN 2-80", q(1, "PR")),
       seg("N3", S, 1, kN3), seg("N4", S, 1, kN4), seg("REF", S, 2, kRef, q(1, "2U,EI,FY,NF")),
       seg("REF", S, 2, kRef, q(1, "G2,LU"))});
  const LoopDef& patientName =
      addLoop(guide, "2010CA",
              {seg("NM1", R, 1, "R ID 2 QC|R ID 1 1|R AN 1-60|S AN 1-35|S AN 1-25|N|S AN 1-10|N|N",
                   q(1, "QC")),
               seg("N3", R, 1, kN3), seg("N4", R, 1, kN4), seg("DMG", R, 1, kDmg),
               seg("REF", S, 1, kRef, q(1, "Y4")), seg("REF", S, 1, kRef, q(1, "1W,SY"))});

  const LoopDef& patient =
      addLoop(guide, "2000C",
              {seg("HL", R, 1, "R AN 1-12|R AN 1-12|R ID 2 23|R ID 1 0", q(3, "23")),
               seg("PAT", R, 1, kPatientPat), loop(patientName, R, 1), loop(claim, R, 100)});
  const LoopDef& subscriberLevel =
      addLoop(guide, "2000B",
              {seg("HL", R, 1, "R AN 1-12|R AN 1-12|R ID 2 22|R ID 1 0,1", q(3, "22")),
               seg("SBR", R, 1,
                   prof ? "R ID 1 @SBR01|S ID 2 18|S AN 1-50|S AN 1-60|S ID 1-3 "
                          "12,13,14,15,16,41,42,43,47|N|N|N|S ID 1-2 @SBR09"
                        : "R ID 1 @SBR01|S ID 2 18|S AN 1-50|S AN 1-60|N|N|N|N|S ID 1-2 @SBR09"),
               seg("PAT", S, 1, kSubscriberPat), loop(subscriber, R, 1), loop(payer, R, 1),
               loop(claim, S, 100), loop(patient, S, 0)});
  const LoopDef& billingLevel = addLoop(
      guide, "2000A",
      {seg("HL", R, 1, "R AN 1-12|N|R ID 2 20|R ID 1 1", q(3, "20")),
       seg("PRV", S, 1, "R ID 2 BI|R ID 3 PXC|R AN 1-50", q(1, "BI")), seg("CUR", S, 1),
       loop(billing, R, 1), loop(payTo, S, 1), loop(payToPlan, S, 1), loop(subscriberLevel, R, 0)});

  guide.rootLoop = &addLoop(
      guide, "ST",
      {seg("ST", R, 1, "R ID 3 837|R AN 4-9|R AN 1-35 @GUIDE"),
       seg("BHT", R, 1, "R ID 4 0019|R ID 2 00,18|R AN 1-50|R DT 8|R TM 4-8|R ID 2 31,CH,RP"),
       loop(submitter, R, 1), loop(receiver, R, 1), loop(billingLevel, R, 0),
       seg("SE", R, 1, "R N0 1-10|R AN 4-9")});
}

}  // namespace fhir837::validation::tables
