#include "engine/serve/journal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

#include "support/test_paths.h"

namespace fhir837::serve {
namespace {

ResourceWrite resource(std::string type, std::string id, std::string body) {
  ResourceWrite write;
  write.type = std::move(type);
  write.id = std::move(id);
  write.body = std::move(body);
  write.hash = "h:" + write.body;  // the intake hashes; any content-derived key works here
  return write;
}

ResourceWrite event(std::string id, std::string group, std::string body,
                    std::vector<std::string> references) {
  ResourceWrite write = resource("MedicationAdministration", std::move(id), std::move(body));
  write.event = EventFacts{std::move(group), "Patient/p1", "completed"};
  write.references = std::move(references);
  return write;
}

// Submits and waits for the commit (the callback runs on the writer thread).
Result<BatchResult> commit(Journal& journal, WriteBatch batch) {
  std::promise<Result<BatchResult>> promise;
  journal.submit(std::move(batch), [&](Result<BatchResult> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

Result<BatchResult> commitOne(Journal& journal, ResourceWrite write) {
  WriteBatch batch;
  batch.writes.push_back(std::move(write));
  return commit(journal, std::move(batch));
}

std::vector<std::string> keysOf(const std::vector<StoredResource>& resources) {
  std::vector<std::string> keys;
  for (const auto& r : resources) keys.push_back(r.type + "/" + r.id);
  std::sort(keys.begin(), keys.end());
  return keys;
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = openJournal(dir_.path());
    ASSERT_TRUE(opened) << opened.error().describe();
    journal_ = std::move(*opened);
  }
  testing::TempDir dir_;
  std::unique_ptr<Journal> journal_;
};

TEST_F(JournalTest, CreateUpdateAndSameContentAgain) {
  auto created = commitOne(*journal_, resource("Patient", "p1", "{v1}"));
  ASSERT_TRUE(created) << created.error().describe();
  ASSERT_TRUE(created->committed);
  EXPECT_EQ(created->results[0].kind, WriteKind::kCreated);
  EXPECT_EQ(created->results[0].versionId, 1u);
  EXPECT_EQ(created->results[0].lastUpdated.size(), 24u);  // 2026-12-02T19:00:00.000Z
  EXPECT_EQ(created->results[0].lastUpdated.back(), 'Z');

  auto again = commitOne(*journal_, resource("Patient", "p1", "{v1}"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->results[0].kind, WriteKind::kUnchanged);
  EXPECT_EQ(again->results[0].versionId, 1u);

  auto updated = commitOne(*journal_, resource("Patient", "p1", "{v2}"));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->results[0].kind, WriteKind::kUpdated);
  EXPECT_EQ(updated->results[0].versionId, 2u);

  // An earlier version re-sent (a retry that arrives late) is that version, not a third one.
  auto late = commitOne(*journal_, resource("Patient", "p1", "{v1}"));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->results[0].kind, WriteKind::kUnchanged);
  EXPECT_EQ(late->results[0].versionId, 1u);

  auto stored = journal_->current("Patient", "p1");
  ASSERT_TRUE(stored);
  ASSERT_TRUE(*stored);
  EXPECT_EQ((*stored)->body, "{v2}");
  EXPECT_EQ((*stored)->versionId, 2u);
  auto absent = journal_->current("Patient", "p2");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
}

TEST_F(JournalTest, CreateOnlyAndIfMatch) {
  ASSERT_TRUE(commitOne(*journal_, resource("Patient", "p1", "{v1}")));
  ResourceWrite post = resource("Patient", "p1", "{other}");
  post.createOnly = true;
  auto conflict = commitOne(*journal_, post);
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->results[0].kind, WriteKind::kConflict);
  EXPECT_EQ(conflict->results[0].detail, "Patient/p1 already exists");

  ResourceWrite stale = resource("Patient", "p1", "{v2}");
  stale.ifMatch = 7;
  auto failed = commitOne(*journal_, stale);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->results[0].kind, WriteKind::kPreconditionFailed);
  EXPECT_EQ(failed->results[0].detail, "If-Match names version 7, the current version is 1");

  ResourceWrite fresh = resource("Patient", "p1", "{v2}");
  fresh.ifMatch = 1;
  auto ok = commitOne(*journal_, fresh);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->results[0].kind, WriteKind::kUpdated);

  ResourceWrite missing = resource("Patient", "nobody", "{x}");
  missing.ifMatch = 1;
  auto none = commitOne(*journal_, missing);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->results[0].kind, WriteKind::kPreconditionFailed);
  EXPECT_EQ(none->results[0].detail, "If-Match names a version of a resource that does not exist");
}

TEST_F(JournalTest, IfNoneExistZeroOneOrSeveralMatches) {
  auto withIdentifier = [](std::string id, std::string body, std::string value) {
    ResourceWrite write = resource("Patient", std::move(id), std::move(body));
    write.identifiers.push_back({"Patient", "urn:mrn", std::move(value)});
    return write;
  };
  ResourceWrite first = withIdentifier("p1", "{a}", "123");
  first.ifNoneExist = IdentifierQuery{"Patient", "urn:mrn", "123"};
  auto created = commitOne(*journal_, first);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->results[0].kind, WriteKind::kCreated);

  ResourceWrite second = withIdentifier("p9", "{b}", "123");
  second.ifNoneExist = IdentifierQuery{"", "urn:mrn", "123"};  // type defaults to the write's
  auto existing = commitOne(*journal_, second);
  ASSERT_TRUE(existing);
  EXPECT_EQ(existing->results[0].kind, WriteKind::kExisting);
  EXPECT_EQ(existing->results[0].id, "p1");
  EXPECT_EQ(existing->results[0].versionId, 1u);
  auto p9 = journal_->current("Patient", "p9");
  ASSERT_TRUE(p9);
  EXPECT_FALSE(*p9);

  ASSERT_TRUE(commitOne(*journal_, withIdentifier("p2", "{c}", "123")));
  ResourceWrite third = withIdentifier("p3", "{d}", "123");
  third.ifNoneExist = IdentifierQuery{"Patient", "", "123"};  // any system
  auto several = commitOne(*journal_, third);
  ASSERT_TRUE(several);
  EXPECT_EQ(several->results[0].kind, WriteKind::kPreconditionFailed);
  EXPECT_EQ(several->results[0].detail, "If-None-Exist matches 2 resources");

  auto found = journal_->findByIdentifier({"Patient", "urn:mrn", "123"});
  ASSERT_TRUE(found);
  EXPECT_EQ(keysOf(*found), (std::vector<std::string>{"Patient/p1", "Patient/p2"}));
  auto otherSystem = journal_->findByIdentifier({"Patient", "urn:other", "123"});
  ASSERT_TRUE(otherSystem);
  EXPECT_TRUE(otherSystem->empty());
}

TEST_F(JournalTest, AtomicBatchWithOneRefusedWriteStoresNothing) {
  ASSERT_TRUE(commitOne(*journal_, resource("Patient", "p1", "{v1}")));
  WriteBatch transaction;
  transaction.writes.push_back(resource("Coverage", "c1", "{cov}"));
  ResourceWrite conflicting = resource("Patient", "p1", "{v2}");
  conflicting.createOnly = true;
  transaction.writes.push_back(conflicting);
  auto result = commit(*journal_, transaction);
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->committed);
  ASSERT_EQ(result->results.size(), 2u);
  EXPECT_EQ(result->results[1].kind, WriteKind::kConflict);
  auto coverage = journal_->current("Coverage", "c1");
  ASSERT_TRUE(coverage);
  EXPECT_FALSE(*coverage);

  // The same writes as a batch: each stands alone.
  transaction.atomic = false;
  auto batch = commit(*journal_, transaction);
  ASSERT_TRUE(batch);
  EXPECT_TRUE(batch->committed);
  EXPECT_EQ(batch->results[0].kind, WriteKind::kCreated);
  EXPECT_EQ(batch->results[1].kind, WriteKind::kConflict);
  coverage = journal_->current("Coverage", "c1");
  ASSERT_TRUE(coverage);
  EXPECT_TRUE(*coverage);
}

TEST_F(JournalTest, RepeatedMessageGetsTheOriginalResponse) {
  WriteBatch message;
  message.writes.push_back(resource("Patient", "p1", "{v1}"));
  message.messageKey = "b1|h1";
  message.messageResponse = "{original}";
  message.messageContentType = "application/fhir+json";
  auto first = commit(*journal_, message);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->committed);
  EXPECT_FALSE(first->repeatedResponse);

  message.writes[0] = resource("Patient", "p1", "{v2}");
  auto repeat = commit(*journal_, message);
  ASSERT_TRUE(repeat);
  ASSERT_TRUE(repeat->repeatedResponse);
  EXPECT_EQ(*repeat->repeatedResponse, "{original}");
  EXPECT_EQ(repeat->repeatedContentType, "application/fhir+json");
  auto stored = journal_->current("Patient", "p1");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->body, "{v1}");  // nothing of the repeat was written
}

TEST_F(JournalTest, ConcurrentIdenticalWritesStoreOneVersion) {
  constexpr int kThreads = 64;
  std::atomic<int> created{0}, unchanged{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto r = commitOne(*journal_, event("ma1", "Encounter/e1", "{same}", {}));
      if (!r) {
        ++failed;
      } else if (r->results[0].kind == WriteKind::kCreated) {
        ++created;
      } else if (r->results[0].kind == WriteKind::kUnchanged) {
        ++unchanged;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(unchanged.load(), kThreads - 1);
  auto seq = journal_->lastSeq();
  ASSERT_TRUE(seq);
  EXPECT_EQ(*seq, 1);
}

TEST_F(JournalTest, DeadLetterIsKept) {
  DeadLetter letter{
      400, "structure", "not JSON", "POST", "/fhir/Patient", "application/fhir+json", "{broken"};
  std::promise<Status> promise;
  journal_->submitDeadLetter(letter, [&](Status s) { promise.set_value(s); });
  Status status = promise.get_future().get();
  EXPECT_TRUE(status) << status.error().describe();
  journal_->close();
  journal_.reset();
  // Read it back with a fresh connection: it is on disk.
  auto reopened = openJournal(dir_.path());
  ASSERT_TRUE(reopened);
  auto letters = (*reopened)->deadLetters();
  ASSERT_TRUE(letters) << letters.error().describe();
  ASSERT_EQ(letters->size(), 1u);
  const DeadLetter& kept = (*letters)[0];
  EXPECT_EQ(kept.httpStatus, 400);
  EXPECT_EQ(kept.issueCode, "structure");
  EXPECT_EQ(kept.reason, "not JSON");
  EXPECT_EQ(kept.method, "POST");
  EXPECT_EQ(kept.target, "/fhir/Patient");
  EXPECT_EQ(kept.contentType, "application/fhir+json");
  EXPECT_EQ(kept.body, "{broken");
}

TEST_F(JournalTest, ClosureHoldsTheCarrierOfAProcedureButNotOtherEncountersProcedures) {
  ResourceWrite patient = resource("Patient", "p1", "{p}");
  ResourceWrite procedure = resource("Procedure", "proc1", "{proc}");
  procedure.event = EventFacts{"Encounter/e9", "Patient/p1", "completed"};
  procedure.references = {"Patient/p1", "Encounter/e9"};
  ResourceWrite otherProcedure = resource("Procedure", "elsewhere", "{other}");
  otherProcedure.event = EventFacts{"Encounter/e7", "Patient/p1", "completed"};
  otherProcedure.references = {"Patient/p1", "Encounter/e7"};
  WriteBatch batch;
  for (auto* w : {&patient, &procedure, &otherProcedure}) batch.writes.push_back(*w);
  ASSERT_TRUE(commit(*journal_, batch));
  // An administration of another encounter that is partOf proc1 carries it (PROC-PARTOF).
  ASSERT_TRUE(commitOne(
      *journal_, event("carrier", "Encounter/e8", "{ma}", {"Patient/p1", "Procedure/proc1"})));
  auto closure = journal_->closureOf("Encounter/e9");
  ASSERT_TRUE(closure) << closure.error().describe();
  EXPECT_EQ(keysOf(*closure), (std::vector<std::string>{"MedicationAdministration/carrier",
                                                        "Patient/p1", "Procedure/proc1"}));
}

TEST_F(JournalTest, GroupsClosureAndRestart) {
  ResourceWrite patient = resource("Patient", "p1", "{p}");
  ResourceWrite coverage = resource("Coverage", "c1", "{c}");
  coverage.references = {"Patient/p1", "Organization/payer"};
  ResourceWrite payer = resource("Organization", "payer", "{o}");
  ResourceWrite unrelated = resource("Organization", "other", "{x}");
  ResourceWrite otherCoverage = resource("Coverage", "c2", "{c2}");
  otherCoverage.references = {"Patient/p2"};
  ResourceWrite encounter = resource("Encounter", "e1", "{e}");
  encounter.encounter = EncounterFacts{false};
  encounter.references = {"Patient/p1", "Location/loc"};
  ResourceWrite location = resource("Location", "loc", "{l}");
  location.identifiers.push_back({"Location", "urn:site", "L1"});
  ResourceWrite condition = resource("Condition", "dx", "{d}");
  condition.references = {"Encounter/e1"};
  ResourceWrite medication = resource("Medication", "med", "{m}");
  medication.identifiers.push_back({"Medication", "urn:ndc", "0001"});
  WriteBatch batch;
  for (auto* w : {&patient, &coverage, &payer, &unrelated, &otherCoverage, &encounter, &location,
                  &condition, &medication}) {
    batch.writes.push_back(*w);
  }
  ASSERT_TRUE(commit(*journal_, batch));
  auto before = journal_->lastSeq();
  ASSERT_TRUE(before);
  ASSERT_TRUE(commitOne(*journal_,
                        event("ma1", "Encounter/e1", "{ma}",
                              {"Patient/p1", "Encounter/e1", "Medication?identifier=urn:ndc|0001",
                               "Practitioner/missing", "#contained"})));

  auto changed = journal_->groupsChangedAfter(*before);
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->size(), 1u);
  EXPECT_EQ((*changed)[0].groupKey, "Encounter/e1");
  EXPECT_FALSE((*changed)[0].encounterFinished);

  auto closure = journal_->closureOf("Encounter/e1");
  ASSERT_TRUE(closure) << closure.error().describe();
  EXPECT_EQ(keysOf(*closure),
            (std::vector<std::string>{"Condition/dx", "Coverage/c1", "Encounter/e1", "Location/loc",
                                      "Medication/med", "MedicationAdministration/ma1",
                                      "Organization/payer", "Patient/p1"}));

  // The Encounter finishing changes its group; a restart keeps everything.
  ResourceWrite finished = resource("Encounter", "e1", "{e finished}");
  finished.encounter = EncounterFacts{true};
  ASSERT_TRUE(commitOne(*journal_, finished));
  journal_->close();
  journal_.reset();
  auto reopened = openJournal(dir_.path());
  ASSERT_TRUE(reopened);
  auto groups = (*reopened)->groupsChangedAfter(0);
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_TRUE((*groups)[0].encounterFinished);
  auto events = (*reopened)->eventsOfGroup("Encounter/e1");
  ASSERT_TRUE(events);
  EXPECT_EQ(keysOf(*events), (std::vector<std::string>{"MedicationAdministration/ma1"}));
  ASSERT_TRUE((*reopened)->putState("cursor", "42"));
  auto state = (*reopened)->getState("cursor");
  ASSERT_TRUE(state && *state);
  EXPECT_EQ(**state, "42");
  auto noState = (*reopened)->getState("other");
  ASSERT_TRUE(noState);
  EXPECT_FALSE(*noState);
}

TEST_F(JournalTest, EventMovingToAnotherEncounterChangesBothGroups) {
  ASSERT_TRUE(commitOne(*journal_, event("ma1", "Encounter/e1", "{v1}", {})));
  auto before = journal_->lastSeq();
  ASSERT_TRUE(before);
  ASSERT_TRUE(commitOne(*journal_, event("ma1", "Encounter/e2", "{v2}", {})));
  auto changed = journal_->groupsChangedAfter(*before);
  ASSERT_TRUE(changed);
  std::vector<std::string> keys;
  for (const auto& g : *changed) keys.push_back(g.groupKey);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"Encounter/e1", "Encounter/e2"}));
  auto left = journal_->eventsOfGroup("Encounter/e1");
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
}

TEST_F(JournalTest, ClosedJournalRefusesWrites) {
  journal_->close();
  auto refused = commitOne(*journal_, resource("Patient", "p1", "{v1}"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), makeError(ErrorCode::kIo, "journal is closed", "journal"));
}

}  // namespace
}  // namespace fhir837::serve
