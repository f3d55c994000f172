#include "rules/drug_line.h"

#include "core/decimal.h"
#include "rule_ids.h"
#include "rules/drug_dose.h"

namespace fhir837 {

namespace {
constexpr const char* kNdcSystem = "http://hl7.org/fhir/sid/ndc";

bool isHcpcsSystem(const std::string& system) {
  return system == "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets" ||
         system == "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
}

// The coded medication: the resolved Medication's code, else medicationCodeableConcept.
const CodeableConcept* medicationCode(const EventFacts& facts, std::string& path) {
  if (facts.medication) {
    path = "Medication/" + facts.medication->id + ".code";
    return &facts.medication->code;
  }
  if (facts.administration->medication.codeableConcept) {
    path = facts.eventRef + ".medicationCodeableConcept";
    return &*facts.administration->medication.codeableConcept;
  }
  return nullptr;
}

std::string milligrams(std::int64_t micrograms) { return formatMicros(micrograms * 1000); }

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

const Extension* findExtension(const std::vector<Extension>& extensions, const char* url) {
  for (const auto& e : extensions) {
    if (e.url == url) return &e;
  }
  return nullptr;
}

// What the drug is billed as: its HCPCS code, the crosswalk entry that gives its billing-unit
// size, and its NDC when the medication has one.
struct DrugCode {
  std::string codePath;  // the element the codings were read from
  std::string ndc11;
  std::string hcpcs;
  const NdcHcpcsEntry* entry = nullptr;
};

RuleVerdict review(std::string reason, std::string path) {
  return endWith(OutcomeKind::kNeedsReview, rule_id::kDrugD10, std::move(reason), std::move(path));
}

// HCPCS from the medication's HCPCS coding, else from the NDC crosswalk on the date of service.
RuleVerdict identifyDrug(const EventFacts& facts, const CodingPolicy& policy,
                         const CodingTables& tables, const std::string& dateFrom, DrugCode& drug) {
  const CodeableConcept* code = medicationCode(facts, drug.codePath);
  if (!code) return review("medication is not coded (no Medication.code)", facts.eventRef);
  const std::string& codePath = drug.codePath;
  if (const Coding* ndc = code->findSystem(kNdcSystem)) {
    auto normalized = normalizeNdc(ndc->code);
    if (!normalized) {
      return review("NDC '" + ndc->code + "' is malformed: " + normalized.error().message,
                    codePath);
    }
    drug.ndc11 = *normalized;
  }
  for (const auto& coding : code->coding) {
    if (isHcpcsSystem(coding.system)) drug.hcpcs = coding.code;
  }
  if (!drug.ndc11.empty()) drug.entry = tables.ndc->find(drug.ndc11, dateFrom);
  if (drug.hcpcs.empty() && drug.entry) drug.hcpcs = drug.entry->hcpcs;
  if (drug.hcpcs.empty()) {
    return review(drug.ndc11.empty()
                      ? "no HCPCS coding and no NDC on the medication"
                      : "NDC " + drug.ndc11 + " is not in the NDC->HCPCS crosswalk for " + dateFrom,
                  codePath);
  }
  if (!drug.entry || drug.entry->hcpcs != drug.hcpcs) {
    drug.entry = tables.ndc->findHcpcs(drug.hcpcs, dateFrom);
  }
  if (!drug.entry) {
    return review("no billing-unit size for HCPCS " + drug.hcpcs + " on " + dateFrom, codePath);
  }
  if (drug.ndc11.empty() && policy.ndcRequired) {
    return review("payer requires the NDC on drug lines and the medication has none", codePath);
  }
  return std::nullopt;
}

// The exact amount given, from dosage.dose.
RuleVerdict readGivenDose(const EventFacts& facts, DoseAmount& dose) {
  const MedicationAdministration& ma = *facts.administration;
  if (!ma.dosage || !ma.dosage->dose) {
    return review("no dosage.dose: drug units cannot be computed", facts.eventRef + ".dosage.dose");
  }
  if (!ma.dosage->dose->comparator.empty()) {
    // A bound ("<10 g") is not an amount: billing it as exactly 10 g would claim what was
    // perhaps not given (issue 9 §5).
    return review("dosage.dose has comparator '" + ma.dosage->dose->comparator +
                      "': the amount given is not known exactly, so drug units cannot be claimed",
                  facts.eventRef + ".dosage.dose.comparator");
  }
  dose = readDose(*ma.dosage->dose, facts.medication);
  if (!dose.micrograms) {
    return review(
        dose.error.empty() ? "dose in mL but the Medication has no mg/mL strength" : dose.error,
        facts.eventRef + ".dosage.dose");
  }
  return std::nullopt;
}

// LIN/CTP: the NDC with the amount in mL when the dose was a volume, else in grams.
DrugIdentification identification(const std::string& ndc11, const DoseAmount& amount) {
  if (amount.microLitres) return {ndc11, formatMicros(*amount.microLitres), "ML"};
  return {ndc11, formatMicros(*amount.micrograms), "GR"};  // micrograms as micros of a gram
}

CodedLine drugLine(const EventFacts& facts, const DrugCode& drug, const DoseAmount& dose,
                   std::int64_t units, const std::string& dateFrom, const std::string& dateTo) {
  CodedLine line;
  line.procedureCode = drug.hcpcs;
  line.units = units;
  line.dateFrom = dateFrom;
  line.dateTo = dateTo;
  line.sourceEventId = facts.eventRef;
  if (!drug.ndc11.empty()) line.drug = identification(drug.ndc11, dose);
  line.trail.push_back({rule_id::kDrugD10,
                        {drug.codePath, facts.eventRef + ".dosage.dose"},
                        "dose " + milligrams(*dose.micrograms) + " mg / " +
                            milligrams(drug.entry->microgramsPerUnit) +
                            " mg per unit, rounded up -> " + drug.hcpcs + " x" +
                            std::to_string(units)});
  return line;
}

// DRUG-JW: documented waste from a single-dose container is billed on its own JW line; waste
// from a multi-dose container, or under one billing unit, only leaves a note on the drug line.
RuleVerdict addWasteLine(const EventFacts& facts, const DrugCode& drug, const Extension& waste,
                         std::vector<CodedLine>& lines) {
  const std::string path = facts.eventRef + ".extension";
  if (!waste.valueQuantity) return review("discarded-amount extension needs valueQuantity", path);
  DoseAmount wasted = readDose(*waste.valueQuantity, facts.medication);
  if (!wasted.micrograms) return review("discarded amount: " + wasted.error, path);
  std::int64_t wasteUnits = *wasted.micrograms / drug.entry->microgramsPerUnit;
  if (!drug.entry->singleDose) {
    lines.front().trail.push_back(
        {rule_id::kDrugJw, {path}, "waste documented on a multi-dose container: not billed"});
    return std::nullopt;
  }
  if (wasteUnits < 1) {
    lines.front().trail.push_back(
        {rule_id::kDrugJw, {path}, "waste under one billing unit: no JW line"});
    return std::nullopt;
  }
  CodedLine jw = lines.front();
  jw.units = wasteUnits;
  jw.modifiers = {"JW"};
  jw.drug.reset();
  if (!drug.ndc11.empty()) jw.drug = identification(drug.ndc11, wasted);
  jw.trail = {{rule_id::kDrugJw,
               {path},
               "documented waste of " + std::to_string(wasteUnits) + " billing unit(s) -> " +
                   drug.hcpcs + "-JW x" + std::to_string(wasteUnits)}};
  lines.push_back(std::move(jw));
  return std::nullopt;
}

}  // namespace

DrugLines buildDrugLines(const EventFacts& facts, const CodingPolicy& policy,
                         const CodingTables& tables, const std::string& dateFrom,
                         const std::string& dateTo) {
  DrugLines out;
  DrugCode drug;
  if ((out.verdict = identifyDrug(facts, policy, tables, dateFrom, drug))) return out;
  DoseAmount dose;
  if ((out.verdict = readGivenDose(facts, dose))) return out;
  std::int64_t units = ceilDiv(*dose.micrograms, drug.entry->microgramsPerUnit);
  if (units <= 0) {
    out.verdict = review("dose is zero", facts.eventRef + ".dosage.dose");
    return out;
  }

  CodedLine line = drugLine(facts, drug, dose, units, dateFrom, dateTo);
  const Extension* waste =
      findExtension(facts.administration->extension, kDiscardedAmountExtension);
  if (policy.jwJzRequired && drug.entry->singleDose && !waste) {
    line.modifiers.push_back("JZ");
    line.trail.push_back({rule_id::kDrugJz,
                          {facts.eventRef + ".extension"},
                          "single-dose container, no documented waste -> JZ"});
  }
  out.lines.push_back(std::move(line));
  if (waste) out.verdict = addWasteLine(facts, drug, *waste, out.lines);
  return out;
}

}  // namespace fhir837
