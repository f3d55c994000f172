// A Procedure as a billable event (issue 9 §3): its administration view, PROC-CODE (route and
// evidence from the code), duration from performedPeriod, bodySite, status, the drug line from
// usedReference, and trail paths that name the Procedure's own elements.
#include "engine/assembly/procedure_event.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../mappings/coder_fixture.h"
#include "encounter_coder.h"
#include "rules/procedure_code_rule.h"

namespace fhir837 {
namespace {

using testing::codeable;
using testing::coding;
using testing::dateTime;
using testing::kSnomed;
using testing::lineSummary;
using testing::quantity;
using testing::ruleIds;

constexpr const char* kCpt = "http://www.ama-assn.org/go/cpt";

const ProcedureCodeTable& shippedProcedureCodes() {
  static const ProcedureCodeTable table = [] {
    auto path = testing::sourceDir() / "mappings/tables/procedure_codes.csv";
    auto parsed = ProcedureCodeTable::parse(testing::readFile(path), path.string());
    if (!parsed) throw std::runtime_error("procedure_codes.csv: " + parsed.error().describe());
    return *parsed;
  }();
  return table;
}

CodingTables tables() {
  CodingTables t = testing::shippedTables();
  t.procedureCodes = &shippedProcedureCodes();
  return t;
}

// Hizentra 20 % in one 50 mL vial, infused over a performedPeriod, coded CPT 96369.
struct ProcedureCase {
  Procedure procedure;
  Medication medication;
  std::shared_ptr<const MedicationAdministration> view;
  CodingPolicy policy;

  explicit ProcedureCase(std::string id = "p1") {
    procedure.id = std::move(id);
    procedure.status = "completed";
    procedure.code = codeable({coding(kCpt, "96369", "SC infusion, first hour")});
    procedure.performed.period =
        Period{dateTime("2024-03-05T09:00:00-06:00"), dateTime("2024-03-05T10:35:00-06:00")};
    procedure.bodySite.push_back(codeable({coding(kSnomed, "61685007", "Lower limb structure")}));
    procedure.usedReference.push_back(Reference{"Medication/med1", "", std::nullopt, ""});
    medication.id = "med1";
    medication.code = codeable({coding(testing::kNdc, "12345-6789-01", "Hizentra 20% 50 mL")});
    MedicationIngredient ingredient;
    ingredient.strength = Ratio{quantity("200", "mg"), quantity("1", "mL")};
    medication.ingredient.push_back(ingredient);
    medication.amount = Ratio{quantity("50", "mL"), Quantity{"1", "", "vial", "", ""}};
  }

  void setPeriod(const char* start, const char* end) {
    procedure.performed = TimingChoice{};
    procedure.performed.period = Period{dateTime(start), dateTime(end)};
  }

  EventFacts facts() {
    view = administrationViewOf(procedure, &procedure.usedReference.front(), &medication);
    EventFacts f;
    f.eventRef = "Procedure/" + procedure.id;
    f.administration = view.get();
    f.procedure = &procedure;
    f.medication = &medication;
    f.encounterClass = "AMB";
    f.placeOfService = "11";
    f.payerKey = "aetna";
    return f;
  }

  EventCoding code() {
    std::vector<EventFacts> events{facts()};
    return codeEncounter(events, policy, tables()).front();
  }
};

void expectNotBilled(const EventCoding& coding, OutcomeKind kind, const std::string& rule,
                     const std::string& reason, const std::string& path) {
  EXPECT_EQ(coding.kind, kind) << toString(coding.kind) << " " << coding.reason;
  EXPECT_EQ(coding.rule, rule);
  EXPECT_EQ(coding.reason, reason);
  EXPECT_EQ(coding.path, path);
  EXPECT_TRUE(coding.lines.empty());
}

TEST(ProcedureEvent, CompletedProcedureOf95MinutesIs96369Plus96370AndTheDrug) {
  ProcedureCase c;
  EventCoding result = c.code();
  ASSERT_EQ(result.kind, OutcomeKind::kBilled) << result.rule << " " << result.reason;
  EXPECT_EQ(lineSummary(result), (std::vector<std::string>{"96369x1", "96370x1", "J1559x100"}));
  const Trail expected = {
      {"INF-D6", {"Procedure/p1.status"}, "status completed -> billable"},
      {"SET-D7", {"Procedure/p1.encounter"}, "POS 11, encounter class AMB -> separately billable"},
      {"PROC-CODE",
       {"Procedure/p1.code"},
       "Procedure.code 96369 says SC infusion; the codes billed follow performedPeriod, not the "
       "code"},
      {"INF-D3",
       {"Procedure/p1.code"},
       "Procedure.code is an SC infusion -> infusion, timed by performedPeriod"},
  };
  EXPECT_EQ(result.trail, expected);
  const Trail timing = {
      {"INF-D1", {"Procedure/p1.performedPeriod"}, "95 min -> 96369 x1 + 96370 x1"}};
  EXPECT_EQ(result.lines[0].trail, timing);
  EXPECT_EQ(result.lines[0].sourceEventId, "Procedure/p1");
  EXPECT_EQ(result.lines[2].trail.back().inputs,
            (std::vector<std::string>{"Medication/med1.code", "Medication/med1.amount"}));
}

TEST(ProcedureEvent, TheTimeDecidesNotTheCodeTheEhrPutOnIt) {
  ProcedureCase c;
  c.setPeriod("2024-03-05T09:00:00Z", "2024-03-05T09:10:00Z");
  EventCoding result = c.code();
  ASSERT_EQ(result.kind, OutcomeKind::kBilled) << result.reason;
  EXPECT_EQ(lineSummary(result), (std::vector<std::string>{"96372x1", "J1559x100"}));
  const Trail timing = {
      {"INF-D1", {"Procedure/p1.performedPeriod"}, "10 min <= 15 min -> injection 96372 x1"}};
  EXPECT_EQ(result.lines[0].trail, timing);

  // And the other way: a Procedure coded 96372 (injection) over 2 hours is still one 96372.
  ProcedureCase injection;
  injection.procedure.code = codeable({coding(kCpt, "96372")});
  injection.setPeriod("2024-03-05T09:00:00Z", "2024-03-05T11:00:00Z");
  EXPECT_EQ(lineSummary(injection.code()), (std::vector<std::string>{"96372x1", "J1559x100"}));
}

TEST(ProcedureEvent, IvAndImCodesNeverBecomeTheScInfusionFamily) {
  const std::vector<std::pair<const char*, const char*>> codes = {
      {kCpt, "96365"},        {kCpt, "96366"}, {kCpt, "96367"},       {kCpt, "96368"},
      {kCpt, "96374"},        {kCpt, "96375"}, {kCpt, "96376"},       {kCpt, "96409"},
      {kCpt, "96413"},        {kCpt, "96415"}, {kSnomed, "14152002"}, {kSnomed, "76601001"},
      {kSnomed, "180256009"}, {kCpt, "96372"}};
  for (const auto& [system, code] : codes) {
    for (int minutes : {5, 15, 16, 60, 91, 151, 240}) {
      ProcedureCase c;
      c.procedure.code = codeable({coding(system, code)});
      const std::int64_t end = 9 * 60 + minutes;
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "2024-03-05T%02d:%02d:00Z", static_cast<int>(end / 60),
                    static_cast<int>(end % 60));
      c.setPeriod("2024-03-05T09:00:00Z", buffer);
      EventCoding result = c.code();
      ASSERT_EQ(result.kind, OutcomeKind::kBilled) << code << " " << result.reason;
      for (const auto& line : result.lines) {
        EXPECT_NE(line.procedureCode, "96369") << code << " " << minutes;
        EXPECT_NE(line.procedureCode, "96370") << code << " " << minutes;
        EXPECT_NE(line.procedureCode, "96371") << code << " " << minutes;
      }
    }
  }
  ProcedureCase iv;
  iv.procedure.code = codeable({coding(kSnomed, "14152002", "Intravenous infusion")});
  EXPECT_EQ(lineSummary(iv.code()), (std::vector<std::string>{"96365x1", "96366x1", "J1559x100"}));
}

TEST(ProcedureEvent, AnUnknownCodeIsNotBilledAndNeverGuessed) {
  ProcedureCase c;
  c.procedure.code = codeable({coding(kSnomed, "430193006", "Medication reconciliation")});
  expectNotBilled(c.code(), OutcomeKind::kNotBillable, "PROC-CODE",
                  "Procedure.code (http://snomed.info/sct|430193006) is not a "
                  "drug-administration code in procedure_codes.csv: not billed as an infusion or "
                  "injection",
                  "Procedure/p1.code");

  ProcedureCase hydration;
  hydration.procedure.code = codeable({coding(kCpt, "96360")});
  EXPECT_EQ(hydration.code().rule, "PROC-CODE");

  ProcedureCase textOnly;
  textOnly.procedure.code = codeable({}, "SCIG infusion");
  EXPECT_EQ(textOnly.code().reason,
            "Procedure.code (text only 'SCIG infusion') is not a drug-administration code in "
            "procedure_codes.csv: not billed as an infusion or injection");
}

TEST(ProcedureEvent, CodingsThatDisagreeNeedReview) {
  ProcedureCase c;
  c.procedure.code = codeable({coding(kCpt, "96369"), coding(kSnomed, "14152002")});
  expectNotBilled(c.code(), OutcomeKind::kNeedsReview, "PROC-CODE",
                  "Procedure.code codings disagree: 96369 is SC infusion, 14152002 is IV infusion",
                  "Procedure/p1.code");
  ProcedureCase agree;  // the same meaning twice is one reading
  agree.procedure.code = codeable({coding(kCpt, "96369"), coding(kCpt, "96370")});
  EXPECT_EQ(agree.code().kind, OutcomeKind::kBilled);
}

TEST(ProcedureEvent, StatusFollowsR30PlusPreparation) {
  const std::vector<std::tuple<std::string, OutcomeKind, std::string>> cases = {
      {"preparation", OutcomeKind::kHeld,
       "status preparation: held until the procedure is completed"},
      {"in-progress", OutcomeKind::kHeld,
       "status in-progress: held until the procedure is completed"},
      {"on-hold", OutcomeKind::kHeld, "status on-hold: held until the procedure is completed"},
      {"unknown", OutcomeKind::kHeld, "status unknown: held until the procedure is completed"},
      {"not-done", OutcomeKind::kNotBillable, "status not-done: nothing was administered"},
      {"entered-in-error", OutcomeKind::kNotBillable,
       "status entered-in-error: record withdrawn, nothing billed"},
      {"stopped", OutcomeKind::kNeedsReview,
       "status stopped: discontinued administration needs review (actual-time coding is never "
       "automatic)"},
      {"done", OutcomeKind::kRejected, "status 'done' is not an R4 code"},
  };
  for (const auto& [status, kind, reason] : cases) {
    ProcedureCase c;
    c.procedure.status = status;
    expectNotBilled(c.code(), kind, "INF-D6", reason, "Procedure/p1.status");
  }
  // `preparation` is a Procedure status only: on an administration it is not an R4 code.
  testing::ScigCase administration;
  administration.ma.status = "preparation";
  EXPECT_EQ(administration.code().kind, OutcomeKind::kRejected);
}

TEST(ProcedureEvent, ASecondSetUpAtANewBodySiteIs96371) {
  ProcedureCase first("p1");
  ProcedureCase second("p2");
  second.setPeriod("2024-03-05T11:00:00-06:00", "2024-03-05T12:00:00-06:00");
  second.procedure.bodySite = {codeable({coding(kSnomed, "368209003", "Right upper arm")})};
  std::vector<EventFacts> events{first.facts(), second.facts()};
  std::vector<EventCoding> codings = codeEncounter(events, first.policy, tables());
  ASSERT_EQ(codings.size(), 2u);
  EXPECT_EQ(lineSummary(codings[0]), (std::vector<std::string>{"96369x1", "96370x1", "J1559x100"}));
  EXPECT_EQ(lineSummary(codings[1]), (std::vector<std::string>{"96371x1", "J1559x100"}));
  EXPECT_EQ(codings[1].lines[0].trail.back().inputs,
            (std::vector<std::string>{"Procedure/p2.performedPeriod", "Procedure/p2.bodySite"}));

  ProcedureCase sameSite("p3");  // same site, same drug, restarted after a 25 min gap: review
  sameSite.setPeriod("2024-03-05T11:00:00-06:00", "2024-03-05T12:00:00-06:00");
  std::vector<EventFacts> again{first.facts(), sameSite.facts()};
  EXPECT_EQ(codeEncounter(again, first.policy, tables())[1].rule, "INF-R7");
}

TEST(ProcedureEvent, TheDrugLineComesFromUsedReferenceOrUsedCode) {
  ProcedureCase noAmount;
  noAmount.medication.amount.reset();
  EventCoding result = noAmount.code();
  EXPECT_EQ(result.kind, OutcomeKind::kNeedsReview);
  EXPECT_EQ(result.rule, "DRUG-D10");
  EXPECT_EQ(result.path, "Medication/med1.amount");

  ProcedureCase perMl;  // an amount per mL is a concentration, not what was used
  perMl.medication.amount = Ratio{quantity("200", "mg"), quantity("1", "mL")};
  EXPECT_EQ(perMl.code().rule, "DRUG-D10");

  // usedCode alone names the drug but gives no amount: the drug line needs review.
  Procedure procedure = ProcedureCase().procedure;
  procedure.usedReference.clear();
  procedure.usedCode.push_back(codeable({coding(testing::kNdc, "12345-6789-01")}));
  auto view = administrationViewOf(procedure, nullptr, nullptr);
  ASSERT_TRUE(view->medication.codeableConcept);
  EXPECT_EQ(view->medication.codeableConcept->coding.front().code, "12345-6789-01");
  EXPECT_FALSE(view->dosage->dose);
}

TEST(ProcedureEvent, TheViewCarriesTheProcedureElementsTheAssemblerReads) {
  ProcedureCase c;
  c.procedure.subject = Reference{"Patient/pat1", "", std::nullopt, ""};
  c.procedure.encounter = Reference{"Encounter/enc1", "", std::nullopt, ""};
  c.procedure.performer.push_back(
      Performer{{}, Reference{"Practitioner/prac1", "", std::nullopt, ""}});
  c.procedure.reasonReference.push_back(Reference{"Condition/c1", "", std::nullopt, ""});
  auto view = administrationViewOf(c.procedure, &c.procedure.usedReference[0], &c.medication);
  EXPECT_EQ(view->id, "p1");
  EXPECT_EQ(view->subject.reference, "Patient/pat1");
  EXPECT_EQ(view->context.reference, "Encounter/enc1");
  EXPECT_EQ(view->performer, c.procedure.performer);
  EXPECT_EQ(view->reasonReference, c.procedure.reasonReference);
  EXPECT_EQ(view->effective, c.procedure.performed);
  EXPECT_EQ(view->medication.reference->reference, "Medication/med1");
  EXPECT_EQ(view->dosage->site, c.procedure.bodySite.front());
  EXPECT_EQ(view->dosage->dose, quantity("50", "mL"));
}

TEST(ProcedureCodeTable, RowsAreCheckedWhenTheTableIsRead) {
  const char* header = "system,code,route,kind,description\n";
  auto parse = [&](const std::string& row) {
    return ProcedureCodeTable::parse(std::string(header) + row, "t.csv");
  };
  EXPECT_TRUE(parse("http://x,1,SC,infusion,ok\n"));
  EXPECT_EQ(parse("http://x,1,PO,infusion,oral\n").error().message, "route must be SC, IV or IM");
  EXPECT_EQ(parse("http://x,1,SC,drip,x\n").error().message,
            "kind must be infusion, injection or push");
  EXPECT_EQ(parse("http://x,1,SC,infusion,a\nhttp://x,1,IV,infusion,b\n").error().where, "t.csv:3");
  EXPECT_EQ(ProcedureCodeTable::parse("system,code\n", "t.csv").error().message,
            "header must be system,code,route,kind,description");
  auto meaning = shippedProcedureCodes().lookup(kCpt, "96369");
  ASSERT_TRUE(meaning);
  EXPECT_EQ(meaning->route, Route::kSubcutaneous);
  EXPECT_EQ(meaning->kind, ProcedureKind::kInfusion);
}

}  // namespace
}  // namespace fhir837
