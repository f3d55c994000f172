// What the journal's writer reports through serve::Telemetry (the metrics' source).
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "engine/serve/journal.h"
#include "support/test_paths.h"

namespace fhir837::serve {
namespace {

class RecordingTelemetry : public Telemetry {
 public:
  void journalCommitted(std::chrono::duration<double> latency, std::size_t requests) override {
    std::lock_guard lock(mutex_);
    EXPECT_GE(latency.count(), 0.0);
    commits.push_back(requests);
  }
  void resourceReceived(std::string_view type) override {
    std::lock_guard lock(mutex_);
    types.emplace_back(type);
  }
  void deadLetterSize(std::int64_t rows) override {
    std::lock_guard lock(mutex_);
    deadLetterRows.push_back(rows);
  }
  template <class T>
  T read(const T& field) {
    std::lock_guard lock(mutex_);
    return field;
  }
  std::vector<std::size_t> commits;
  std::vector<std::string> types;
  std::vector<std::int64_t> deadLetterRows;

 private:
  std::mutex mutex_;
};

ResourceWrite resource(std::string type, std::string id) {
  ResourceWrite write;
  write.type = std::move(type);
  write.id = std::move(id);
  write.body = "{\"id\":\"" + write.id + "\"}";
  write.hash = "h:" + write.body;
  return write;
}

Result<BatchResult> commit(Journal& journal, std::vector<ResourceWrite> writes) {
  WriteBatch batch;
  batch.writes = std::move(writes);
  std::promise<Result<BatchResult>> promise;
  journal.submit(std::move(batch), [&](Result<BatchResult> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

Status keep(Journal& journal) {
  std::promise<Status> promise;
  journal.submitDeadLetter(DeadLetter{400, "invalid", "bad", "POST", "/fhir/Patient", "", "{"},
                           [&](Status s) { promise.set_value(s); });
  return promise.get_future().get();
}

TEST(JournalTelemetryTest, CommitsResourcesAndDeadLetterRows) {
  testing::TempDir dir;
  RecordingTelemetry telemetry;
  {
    auto journal = openJournal(dir.path(), telemetry);
    ASSERT_TRUE(journal) << journal.error().describe();
    ASSERT_TRUE(commit(**journal, {resource("Patient", "p1"), resource("Coverage", "c1")}));
    ASSERT_TRUE(commit(**journal, {resource("Patient", "p1")}));  // a repeat: received again
    auto conflict = resource("Patient", "p1");
    conflict.createOnly = true;
    conflict.body = "{\"other\":1}";
    conflict.hash = "h:other";
    auto refused = commit(**journal, {conflict});  // 409: not received
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->results.front().kind, WriteKind::kConflict);
    ASSERT_TRUE(keep(**journal));
    ASSERT_TRUE(keep(**journal));
    (*journal)->close();
  }
  EXPECT_EQ(telemetry.types, (std::vector<std::string>{"Patient", "Coverage", "Patient"}));
  EXPECT_EQ(telemetry.commits, (std::vector<std::size_t>{1, 1, 1, 1, 1}));
  EXPECT_EQ(telemetry.deadLetterRows, (std::vector<std::int64_t>{0, 1, 2}));

  // Reopened: the size starts from the rows kept.
  RecordingTelemetry again;
  auto reopened = openJournal(dir.path(), again);
  ASSERT_TRUE(reopened);
  ASSERT_TRUE(commit(**reopened, {resource("Patient", "p2")}));  // the writer counted first
  EXPECT_EQ(again.read(again.deadLetterRows), (std::vector<std::int64_t>{2}));
  (*reopened)->close();
}

}  // namespace
}  // namespace fhir837::serve
