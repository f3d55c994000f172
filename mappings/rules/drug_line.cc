#include "rules/drug_line.h"

#include "core/decimal.h"
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
}  // namespace

DrugLines buildDrugLines(const EventFacts& facts, const CodingPolicy& policy,
                         const CodingTables& tables, const std::string& dateFrom,
                         const std::string& dateTo) {
  DrugLines out;
  auto review = [&](std::string reason, std::string path) {
    out.verdict =
        endWith(OutcomeKind::kNeedsReview, "DRUG-D10", std::move(reason), std::move(path));
    return out;
  };
  std::string codePath;
  const CodeableConcept* code = medicationCode(facts, codePath);
  if (!code) return review("medication is not coded (no Medication.code)", facts.eventRef);

  std::string ndc11;
  if (const Coding* ndc = code->findSystem(kNdcSystem)) {
    auto normalized = normalizeNdc(ndc->code);
    if (!normalized)
      return review("NDC '" + ndc->code + "' is malformed: " + normalized.error().message,
                    codePath);
    ndc11 = *normalized;
  }
  std::string hcpcs;
  for (const auto& coding : code->coding) {
    if (isHcpcsSystem(coding.system)) hcpcs = coding.code;
  }
  const NdcHcpcsEntry* entry = nullptr;
  if (!ndc11.empty()) entry = tables.ndc->find(ndc11, dateFrom);
  if (hcpcs.empty() && entry) hcpcs = entry->hcpcs;
  if (hcpcs.empty()) {
    return review(ndc11.empty()
                      ? "no HCPCS coding and no NDC on the medication"
                      : "NDC " + ndc11 + " is not in the NDC->HCPCS crosswalk for " + dateFrom,
                  codePath);
  }
  if (!entry || entry->hcpcs != hcpcs) entry = tables.ndc->findHcpcs(hcpcs, dateFrom);
  if (!entry)
    return review("no billing-unit size for HCPCS " + hcpcs + " on " + dateFrom, codePath);
  if (ndc11.empty() && policy.ndcRequired) {
    return review("payer requires the NDC on drug lines and the medication has none", codePath);
  }

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
  DoseAmount dose = readDose(*ma.dosage->dose, facts.medication);
  if (!dose.micrograms) {
    return review(
        dose.error.empty() ? "dose in mL but the Medication has no mg/mL strength" : dose.error,
        facts.eventRef + ".dosage.dose");
  }
  std::int64_t units = ceilDiv(*dose.micrograms, entry->microgramsPerUnit);
  if (units <= 0) return review("dose is zero", facts.eventRef + ".dosage.dose");

  CodedLine line;
  line.procedureCode = hcpcs;
  line.units = units;
  line.dateFrom = dateFrom;
  line.dateTo = dateTo;
  line.sourceEventId = facts.eventRef;
  if (!ndc11.empty()) {
    DrugIdentification drug;
    drug.ndc11 = ndc11;
    if (dose.microLitres) {
      drug.quantity = formatMicros(*dose.microLitres);
      drug.unitCode = "ML";
    } else {
      drug.quantity = formatMicros(*dose.micrograms);  // micrograms as micros of a gram
      drug.unitCode = "GR";
    }
    line.drug = drug;
  }
  line.trail.push_back({"DRUG-D10",
                        {codePath, facts.eventRef + ".dosage.dose"},
                        "dose " + milligrams(*dose.micrograms) + " mg / " +
                            milligrams(entry->microgramsPerUnit) + " mg per unit, rounded up -> " +
                            hcpcs + " x" + std::to_string(units)});

  const Extension* waste = findExtension(ma.extension, kDiscardedAmountExtension);
  if (policy.jwJzRequired && entry->singleDose) {
    if (!waste) {
      line.modifiers.push_back("JZ");
      line.trail.push_back({"DRUG-JZ",
                            {facts.eventRef + ".extension"},
                            "single-dose container, no documented waste -> JZ"});
    }
  }
  out.lines.push_back(std::move(line));

  if (waste) {
    if (!waste->valueQuantity) {
      return review("discarded-amount extension needs valueQuantity",
                    facts.eventRef + ".extension");
    }
    DoseAmount wasted = readDose(*waste->valueQuantity, facts.medication);
    if (!wasted.micrograms) {
      return review("discarded amount: " + wasted.error, facts.eventRef + ".extension");
    }
    std::int64_t wasteUnits = *wasted.micrograms / entry->microgramsPerUnit;
    if (!entry->singleDose) {
      out.lines.front().trail.push_back({"DRUG-JW",
                                         {facts.eventRef + ".extension"},
                                         "waste documented on a multi-dose container: not billed"});
    } else if (wasteUnits >= 1) {
      CodedLine jw = out.lines.front();
      jw.units = wasteUnits;
      jw.modifiers = {"JW"};
      jw.drug.reset();
      if (!ndc11.empty()) {
        DrugIdentification drug{
            ndc11, formatMicros(wasted.microLitres ? *wasted.microLitres : *wasted.micrograms),
            wasted.microLitres ? "ML" : "GR"};
        jw.drug = drug;
      }
      jw.trail = {{"DRUG-JW",
                   {facts.eventRef + ".extension"},
                   "documented waste of " + std::to_string(wasteUnits) + " billing unit(s) -> " +
                       hcpcs + "-JW x" + std::to_string(wasteUnits)}};
      out.lines.push_back(std::move(jw));
    } else {
      out.lines.front().trail.push_back(
          {"DRUG-JW", {facts.eventRef + ".extension"}, "waste under one billing unit: no JW line"});
    }
  }
  return out;
}

}  // namespace fhir837
