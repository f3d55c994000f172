#include "engine/assembly/plausibility_checks.h"

#include <cstdio>

#include "engine/clock.h"
#include "rule_ids.h"

namespace fhir837 {

namespace {

Error review(std::string rule, std::string message, std::string where) {
  return makeError(ErrorCode::kNeedsReview, std::move(message), std::move(where), std::move(rule));
}

std::string typeId(const AnyResource& resource) {
  return std::string(resource.resourceType()) + "/" + resource.id();
}

// FHIR R4 §2.4.1.1 (Extensibility): a system that does not understand a modifierExtension must
// not process the element as if it were absent. fhir837 understands none.
std::optional<Error> modifierExtension(const std::vector<Extension>& extensions,
                                       const std::string& path) {
  if (extensions.empty()) return std::nullopt;
  return review(rule_id::kFhirModext,
                "modifierExtension '" + extensions.front().url +
                    "' is not understood: it may change the meaning of the element, which "
                    "cannot be billed as if it were absent",
                path + ".modifierExtension[0]");
}

// Same resource, or an identical copy of it (one patient in two Bundles of one run).
bool samePatient(const AnyResource* a, const AnyResource* b) { return a == b || *a == *b; }

std::optional<Error> otherPatient(const ResourceScope& scope, const Reference& ref,
                                  const AnyResource& from, const std::string& path,
                                  const PlausibilityInput& input) {
  if (ref.empty()) return std::nullopt;
  auto target = scope.resolve(ref, from, path);
  // Unresolvable: no evidence of another patient (and nothing billed is read from it).
  if (!target || samePatient(*target, input.patient)) return std::nullopt;
  return review(rule_id::kCtxSubject,
                input.eventPath + ".subject is " + typeId(*input.patient) + " but " + path +
                    " is " + typeId(**target) + ": the claim's patient is not certain",
                path);
}

// The calendar date digits of `date` at its own precision: "2030", "203005" or "20300512".
std::string dateDigits(const FhirDateTime& date) {
  char text[16];
  switch (date.precision) {
    case FhirDateTime::Precision::kYear:
      std::snprintf(text, sizeof text, "%04d", date.year);
      break;
    case FhirDateTime::Precision::kMonth:
      std::snprintf(text, sizeof text, "%04d%02d", date.year, date.month);
      break;
    default:
      std::snprintf(text, sizeof text, "%04d%02d%02d", date.year, date.month, date.day);
  }
  return text;
}

// After `now`: an instant by the clock; a date (or a time without zone) when its local date is
// after today's date anywhere on Earth (UTC+14), so no time zone makes it "today".
bool afterNow(const FhirDateTime& date, std::int64_t now) {
  if (date.isInstant()) return *date.epochSeconds() > now;
  if (date.precision < FhirDateTime::Precision::kDay) return false;  // INF-D5 decides
  return dateDigits(date) > utcStamp(now + 14 * 3600).date;
}

std::optional<Error> futureService(const PlausibilityInput& input, std::int64_t now) {
  const TimingChoice& service = *input.service;
  const std::string& path = input.servicePath;
  auto check = [&](const std::optional<FhirDateTime>& date,
                   const std::string& where) -> std::optional<Error> {
    if (!date || !afterNow(*date, now)) return std::nullopt;
    return review(rule_id::kDosFuture,
                  "service date " + date->lexeme + " is after the run clock (" +
                      utcStamp(now).date + "): a service not yet given is not billed",
                  where);
  };
  if (auto e = check(service.dateTime, path)) return e;
  if (service.period) {
    if (auto e = check(service.period->start, path + ".start")) return e;
    if (auto e = check(service.period->end, path + ".end")) return e;
  }
  return std::nullopt;
}

std::optional<Error> bornAfterService(const PlausibilityInput& input) {
  const Patient* patient = input.patient->as<Patient>();
  if (!patient || !patient->birthDate) return std::nullopt;
  const TimingChoice& service = *input.service;
  const std::optional<FhirDateTime>& first =
      service.period ? service.period->start : service.dateTime;
  if (!first || first->precision < FhirDateTime::Precision::kDay) return std::nullopt;
  auto serviceDate = first->localDateCcyymmdd();
  if (!serviceDate) return std::nullopt;
  const std::string birth = dateDigits(*patient->birthDate);
  if (birth <= serviceDate->substr(0, birth.size())) return std::nullopt;
  // Neither date goes into the message: a birth date is PHI.
  return review(rule_id::kDosBirth,
                typeId(*input.patient) + ".birthDate is after the service date in " +
                    input.servicePath + ": one of them is wrong",
                typeId(*input.patient) + ".birthDate");
}

}  // namespace

Status checkPlausibility(const PlausibilityInput& input, const ResourceScope& scope) {
  const std::string& path = input.eventPath;
  if (auto e = modifierExtension(input.event->base().modifierExtension, path)) return *e;
  if (const auto* ma = input.event->as<MedicationAdministration>(); ma && ma->dosage) {
    if (auto e = modifierExtension(ma->dosage->modifierExtension, path + ".dosage")) return *e;
  }
  if (auto e = modifierExtension(input.patient->base().modifierExtension, typeId(*input.patient))) {
    return *e;
  }
  if (input.encounter) {
    if (auto e = modifierExtension(input.encounter->base().modifierExtension,
                                   typeId(*input.encounter))) {
      return *e;
    }
  }
  if (input.coverage) {
    if (auto e = modifierExtension(input.coverage->base().modifierExtension, input.coveragePath)) {
      return *e;
    }
  }
  for (const auto& [other, otherPath] : input.others) {
    if (auto e = modifierExtension(other->modifierExtension, otherPath)) return *e;
  }

  if (const Encounter* enc = input.encounter ? input.encounter->as<Encounter>() : nullptr) {
    if (auto e = otherPatient(scope, enc->subject, *input.encounter,
                              typeId(*input.encounter) + ".subject", input)) {
      return *e;
    }
  }
  if (const Coverage* cov = input.coverage ? input.coverage->as<Coverage>() : nullptr) {
    const AnyResource& from = input.coverageContainer ? *input.coverageContainer : *input.coverage;
    if (auto e = otherPatient(scope, cov->beneficiary, from, input.coveragePath + ".beneficiary",
                              input)) {
      return *e;
    }
  }

  if (input.service) {
    if (scope.nowEpochSeconds) {
      if (auto e = futureService(input, *scope.nowEpochSeconds)) return *e;
    }
    if (auto e = bornAfterService(input)) return *e;
  }
  return Status::ok();
}

}  // namespace fhir837
