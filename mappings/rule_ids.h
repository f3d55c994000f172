#pragma once

#include <array>
#include <string_view>

// Every rule id fhir837 puts in an outcome, a trail step or an error, in one place: the ids are
// what a report reader looks up in docs/coding.md, so a test (tests/unit/mappings/rule_ids_test.cc)
// keeps this table and the doc's rule catalogue the same. Char arrays, not string_views, so an id
// goes wherever a literal went (std::string members, const char* parameters, comparisons).
namespace fhir837::rule_id {

// One event (docs/coding.md §1.1)
inline constexpr char kProcCode[] = "PROC-CODE";
inline constexpr char kInfD6[] = "INF-D6";
inline constexpr char kSetD13[] = "SET-D13";
inline constexpr char kSetD7[] = "SET-D7";
inline constexpr char kSetD9[] = "SET-D9";
inline constexpr char kInfD4[] = "INF-D4";
inline constexpr char kInfD5[] = "INF-D5";
inline constexpr char kInfMaxtime[] = "INF-MAXTIME";
inline constexpr char kInfDos[] = "INF-DOS";
inline constexpr char kDrugD10[] = "DRUG-D10";
inline constexpr char kDrugJz[] = "DRUG-JZ";
inline constexpr char kDrugJw[] = "DRUG-JW";
inline constexpr char kInfD3[] = "INF-D3";
inline constexpr char kInfD1[] = "INF-D1";
inline constexpr char kInfR11[] = "INF-R11";
inline constexpr char kIvR12[] = "IV-R12";
inline constexpr char kChemoR13[] = "CHEMO-R13";
inline constexpr char kDrugJbja[] = "DRUG-JBJA";

// One encounter (§1.2)
inline constexpr char kInfD8[] = "INF-D8";
inline constexpr char kInfR7[] = "INF-R7";
inline constexpr char kInfD2[] = "INF-D2";
inline constexpr char kIvR15[] = "IV-R15";
inline constexpr char kModGa[] = "MOD-GA";
inline constexpr char kModPo[] = "MOD-PO";
inline constexpr char kNcciR16[] = "NCCI-R16";
inline constexpr char kMod4[] = "MOD-4";
inline constexpr char kMueD11[] = "MUE-D11";
inline constexpr char kInfR6[] = "INF-R6";

// Claim context (§1.3)
inline constexpr char kPayD12[] = "PAY-D12";
inline constexpr char kPayId[] = "PAY-ID";
inline constexpr char kFhirModext[] = "FHIR-MODEXT";
inline constexpr char kCtxSubject[] = "CTX-SUBJECT";
inline constexpr char kDosFuture[] = "DOS-FUTURE";
inline constexpr char kDosBirth[] = "DOS-BIRTH";
inline constexpr char kCtxCoverage[] = "CTX-COVERAGE";
inline constexpr char kCtxPatient[] = "CTX-PATIENT";
inline constexpr char kCtxSubscriber[] = "CTX-SUBSCRIBER";
inline constexpr char kCtxEncounter[] = "CTX-ENCOUNTER";
inline constexpr char kCtxMedication[] = "CTX-MEDICATION";
inline constexpr char kCtxRequest[] = "CTX-REQUEST";
inline constexpr char kCtxBilling[] = "CTX-BILLING";
inline constexpr char kCtxRendering[] = "CTX-RENDERING";
inline constexpr char kCtxDx[] = "CTX-DX";
inline constexpr char kCtxPos[] = "CTX-POS";
inline constexpr char kCtxClaim[] = "CTX-CLAIM";
inline constexpr char kCtxAddress[] = "CTX-ADDRESS";
inline constexpr char kCtx[] = "CTX";
inline constexpr char kCtxForm[] = "CTX-FORM";
inline constexpr char kCtxAttending[] = "CTX-ATTENDING";

// Driver and claim (§1.4)
inline constexpr char kEvtId[] = "EVT-ID";
inline constexpr char kEvtConflict[] = "EVT-CONFLICT";
inline constexpr char kEvtDup[] = "EVT-DUP";
inline constexpr char kVoidD6[] = "VOID-D6";
inline constexpr char kProcPartof[] = "PROC-PARTOF";
inline constexpr char kLedger1[] = "LEDGER-1";
inline constexpr char kLedger2[] = "LEDGER-2";
inline constexpr char kFee1[] = "FEE-1";
inline constexpr char kClmLines[] = "CLM-LINES";
inline constexpr char kClmId[] = "CLM-ID";
inline constexpr char kClmValid[] = "CLM-VALID";
inline constexpr char kClmGroup[] = "CLM-GROUP";

// Also emitted (§1.4): 837I revenue codes, inputs, the daemon
inline constexpr char kRevR19[] = "REV-R19";
inline constexpr char kInputParse[] = "INPUT-PARSE";
inline constexpr char kInputLimit[] = "INPUT-LIMIT";
inline constexpr char kInputRead[] = "INPUT-READ";
inline constexpr char kInputEmpty[] = "INPUT-EMPTY";
inline constexpr char kInputNotFile[] = "INPUT-NOT-FILE";
inline constexpr char kInputType[] = "INPUT-TYPE";
inline constexpr char kInputBundle[] = "INPUT-BUNDLE";
inline constexpr char kServeWait[] = "SERVE-WAIT";
inline constexpr char kServeReplace[] = "SERVE-REPLACE";
inline constexpr char kServeClosure[] = "SERVE-CLOSURE";

inline constexpr std::array<std::string_view, 72> kAll = {
    kProcCode,      kInfD6,        kSetD13,        kSetD7,      kSetD9,        kInfD4,
    kInfD5,         kInfMaxtime,   kInfDos,        kDrugD10,    kDrugJz,       kDrugJw,
    kInfD3,         kInfD1,        kInfR11,        kIvR12,      kChemoR13,     kDrugJbja,
    kInfD8,         kInfR7,        kInfD2,         kIvR15,      kModGa,        kModPo,
    kNcciR16,       kMod4,         kMueD11,        kInfR6,      kPayD12,       kPayId,
    kFhirModext,    kCtxSubject,   kDosFuture,     kDosBirth,   kCtxCoverage,  kCtxPatient,
    kCtxSubscriber, kCtxEncounter, kCtxMedication, kCtxRequest, kCtxBilling,   kCtxRendering,
    kCtxDx,         kCtxPos,       kCtxClaim,      kCtxAddress, kCtx,          kCtxForm,
    kCtxAttending,  kEvtId,        kEvtConflict,   kEvtDup,     kVoidD6,       kProcPartof,
    kLedger1,       kLedger2,      kFee1,          kClmLines,   kClmId,        kClmValid,
    kClmGroup,      kRevR19,       kInputParse,    kInputLimit, kInputRead,    kInputEmpty,
    kInputNotFile,  kInputType,    kInputBundle,   kServeWait,  kServeReplace, kServeClosure};

}  // namespace fhir837::rule_id
