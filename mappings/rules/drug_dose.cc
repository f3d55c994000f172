#include "rules/drug_dose.h"

#include "core/decimal.h"

namespace fhir837 {

namespace {
__extension__ typedef __int128 Wide;  // volume x concentration can exceed 64 bits

std::string unitOf(const Quantity& q) {
  std::string unit = q.code.empty() ? q.unit : q.code;
  if (unit == "ML" || unit == "ml") unit = "mL";
  return unit;
}

// Strength as micrograms per micro-mL ratio parts (numerator µg, denominator micro-mL).
std::optional<std::pair<std::int64_t, std::int64_t>> strengthOf(const Medication* medication) {
  if (!medication) return std::nullopt;
  for (const auto& ingredient : medication->ingredient) {
    if (!ingredient.strength || !ingredient.strength->numerator ||
        !ingredient.strength->denominator) {
      continue;
    }
    const Quantity& num = *ingredient.strength->numerator;
    const Quantity& den = *ingredient.strength->denominator;
    auto numMicros = num.value ? parseMicros(*num.value) : std::nullopt;
    auto denMicros = den.value ? parseMicros(*den.value) : std::nullopt;
    if (!numMicros || !denMicros || *denMicros == 0 || unitOf(den) != "mL") continue;
    std::string numUnit = unitOf(num);
    if (numUnit == "g") return std::make_pair(*numMicros, *denMicros);
    if (numUnit == "mg") return std::make_pair(*numMicros / 1000, *denMicros);
  }
  return std::nullopt;
}
}  // namespace

DoseAmount readDose(const Quantity& dose, const Medication* medication) {
  DoseAmount amount;
  auto micros = dose.value ? parseMicros(*dose.value) : std::nullopt;
  if (!micros) {
    amount.error = "dose value missing or not a plain decimal";
    return amount;
  }
  std::string unit = unitOf(dose);
  auto strength = strengthOf(medication);
  if (unit == "g") {
    amount.micrograms = *micros;
  } else if (unit == "mg") {
    amount.micrograms = *micros / 1000;
  } else if (unit == "mL") {
    amount.microLitres = *micros;
  } else {
    amount.error = "dose unit '" + unit + "' is not g, mg or mL";
    return amount;
  }
  if (strength) {
    auto [numMicrograms, denMicroLitres] = *strength;
    if (amount.microLitres && !amount.micrograms && numMicrograms > 0) {
      amount.micrograms = static_cast<std::int64_t>(static_cast<Wide>(*amount.microLitres) *
                                                    numMicrograms / denMicroLitres);
    } else if (amount.micrograms && !amount.microLitres && numMicrograms > 0) {
      amount.microLitres = static_cast<std::int64_t>(static_cast<Wide>(*amount.micrograms) *
                                                     denMicroLitres / numMicrograms);
    }
  }
  return amount;
}

}  // namespace fhir837
