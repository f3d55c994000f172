#include "rules/infusion_evidence.h"

#include <algorithm>
#include <cctype>

namespace fhir837 {

namespace {
bool mentionsInfusion(std::string_view text) {
  std::string lower;
  for (char c : text)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower.find("infus") != std::string::npos || lower.find("pump") != std::string::npos ||
         lower.find("continuous") != std::string::npos;
}

bool isScInfusionCpt(const CodeableConcept& code) {
  for (const auto& coding : code.coding) {
    if (coding.system == "http://www.ama-assn.org/go/cpt" &&
        (coding.code == "96369" || coding.code == "96370" || coding.code == "96371")) {
      return true;
    }
  }
  return false;
}
}  // namespace

std::vector<std::string> findInfusionEvidence(const EventFacts& facts) {
  std::vector<std::string> evidence;
  const MedicationAdministration& ma = *facts.administration;
  if (!ma.device.empty()) evidence.push_back(facts.eventRef + ".device");
  if (ma.dosage) {
    if (ma.dosage->rateRatio) evidence.push_back(facts.eventRef + ".dosage.rateRatio");
    if (ma.dosage->rateQuantity) evidence.push_back(facts.eventRef + ".dosage.rateQuantity");
    const CodeableConcept& method = ma.dosage->method;
    bool methodSaysInfusion = mentionsInfusion(method.text);
    for (const auto& coding : method.coding) {
      methodSaysInfusion = methodSaysInfusion || mentionsInfusion(coding.display);
    }
    if (methodSaysInfusion) evidence.push_back(facts.eventRef + ".dosage.method");
  }
  for (const Procedure* procedure : facts.linkedProcedures) {
    if (procedure && isScInfusionCpt(procedure->code)) {
      evidence.push_back("Procedure/" + procedure->id + ".code");
    }
  }
  return evidence;
}

}  // namespace fhir837
