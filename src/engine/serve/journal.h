#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/serve/telemetry.h"

namespace fhir837::serve {

enum class BodyFormat { kJson, kXml };

// An identifier search (conditional create, conditional references): `system|value`, either part
// may be empty as in FHIR token search.
struct IdentifierQuery {
  std::string type;    // resource type searched
  std::string system;  // empty: any system
  std::string value;
};

// What the billing side needs to know of an event (MedicationAdministration / Procedure).
struct EventFacts {
  std::string groupKey;    // groupKeyOf(): "Encounter/e1", or the event key itself
  std::string patientKey;  // "Patient/p1" (may be empty)
  std::string status;
};

// What the billing side needs to know of an Encounter.
struct EncounterFacts {
  bool finished = false;  // status finished, or period.end present
};

// One resource write, analysed by the intake before it reaches the journal.
struct ResourceWrite {
  std::string type;
  std::string id;  // always set: POST without an id gets a server-assigned one
  // The sender gave no id: `id` is a new random one, so the same content sent again is another
  // resource (the inbox refuses these: a file read again after a crash would be stored twice).
  bool idAssigned = false;
  BodyFormat format = BodyFormat::kJson;
  std::string body;  // as stored (urn:uuid references of a transaction already rewritten)
  std::string hash;  // hex SHA-256 of the content (what "same content again" compares)
  std::vector<std::string> references;  // normalised targets "Type/id" (or "Type?identifier=...")
  std::vector<IdentifierQuery> identifiers;  // the resource's own identifiers (type = its type)
  std::optional<EventFacts> event;
  std::optional<EncounterFacts> encounter;
  // Conditions checked inside the write transaction (never check-then-insert).
  bool createOnly = false;                     // POST: an existing (type,id) is a conflict
  std::optional<std::uint64_t> ifMatch;        // If-Match: W/"n"
  std::optional<IdentifierQuery> ifNoneExist;  // conditional create
};

enum class WriteKind {
  kCreated,             // new (type,id): 201
  kUpdated,             // new version of an existing resource: 200
  kUnchanged,           // same (type,id,hash) as the current or an earlier version: 200, no change
  kExisting,            // If-None-Exist matched one resource: 200, nothing written
  kPreconditionFailed,  // If-Match mismatch or If-None-Exist matched several: 412
  kConflict,            // createOnly on an existing id: 409
};

struct WriteResult {
  WriteKind kind = WriteKind::kCreated;
  std::string type, id;
  std::uint64_t versionId = 0;  // the stored version (the existing one for kUnchanged/kExisting)
  std::string lastUpdated;      // instant, for meta.lastUpdated / Last-Modified
  std::string detail;           // why, for 409/412
};

// A request's writes, committed together (one journal transaction for a transaction Bundle).
struct WriteBatch {
  std::vector<ResourceWrite> writes;
  // true: all or nothing (transaction) - one failed precondition stores nothing and every
  // result says why. false: each write stands alone (batch, single resources).
  bool atomic = true;
  // Reliable messaging: the response is stored with the writes; a repeat gets it back.
  std::optional<std::string> messageKey;  // Bundle.id + "|" + MessageHeader.id
  std::string messageResponse;            // body to store with it (filled by the caller)
  std::string messageContentType;
};

struct BatchResult {
  std::vector<WriteResult> results;  // one per write, in order
  bool committed = false;            // atomic batch: false when a precondition failed
  // A repeated message: the original response (nothing was written).
  std::optional<std::string> repeatedResponse;
  std::string repeatedContentType;
};

// A refused request kept in the dead letter: nothing an engine sent is lost.
struct DeadLetter {
  int httpStatus = 400;
  std::string issueCode;  // OperationOutcome issue code
  std::string reason;     // diagnostics
  std::string method, target, contentType;
  std::string body;
};

struct StoredResource {
  std::string type, id;
  std::uint64_t versionId = 0;
  std::string hash;
  BodyFormat format = BodyFormat::kJson;
  std::string body;
  std::string lastUpdated;
  std::int64_t seq = 0;  // journal sequence of this version
};

// The daemon's journal of record: <state-dir>/journal.sqlite (WAL, synchronous=FULL). Every
// accepted resource version and every refused body is committed before the response leaves.
// Writes go through one writer thread that commits whatever is queued in one transaction (group
// commit); reads use their own connection and never wait for the writer. Thread-safe.
class Journal {
 public:
  virtual ~Journal() = default;

  // Queues `batch`; `done` runs on the writer thread after the commit (or with the error).
  virtual void submit(WriteBatch batch, std::function<void(Result<BatchResult>)> done) = 0;
  virtual void submitDeadLetter(DeadLetter letter, std::function<void(Status)> done) = 0;

  // The refused bodies kept so far, oldest first.
  virtual Result<std::vector<DeadLetter>> deadLetters() = 0;

  virtual Result<std::optional<StoredResource>> current(const std::string& type,
                                                        const std::string& id) = 0;
  // Current resources whose identifiers match (If-None-Exist, conditional references).
  virtual Result<std::vector<StoredResource>> findByIdentifier(const IdentifierQuery& query) = 0;

  // Billing side. Sequence numbers grow with every committed resource version.
  virtual Result<std::int64_t> lastSeq() = 0;
  // Event keys ("MedicationAdministration/ma1") of every group that changed after `seq`, with
  // their group keys.
  struct ChangedGroup {
    std::string groupKey;
    std::int64_t lastChangeSeq = 0;
    std::int64_t lastChangeAt = 0;  // epoch seconds of the last write to the group
    bool encounterFinished = false;
    std::string patientKey;  // of its events ("Patient/p1"; the least when they disagree)
  };
  virtual Result<std::vector<ChangedGroup>> groupsChangedAfter(std::int64_t seq) = 0;
  // One group's last change (for a group an operator made due again); nullopt: no such group.
  virtual Result<std::optional<ChangedGroup>> group(const std::string& groupKey) = 0;
  // The current events of a group.
  virtual Result<std::vector<StoredResource>> eventsOfGroup(const std::string& groupKey) = 0;
  // Every current resource the events of `groupKey` may need: the references followed from the
  // events (transitively), plus the Coverages, Claims, ExplanationOfBenefits and Conditions that
  // reference a resource of that set (and what they reference).
  virtual Result<std::vector<StoredResource>> closureOf(const std::string& groupKey) = 0;

  // Key/value state of the billing side (its cursor, report offset), in the journal database.
  virtual Result<std::optional<std::string>> getState(const std::string& key) = 0;
  virtual Status putState(const std::string& key, const std::string& value) = 0;

  // Stops the writer after the queued batches are committed.
  virtual void close() = 0;
};

// `telemetry` hears of each commit (latency, size, resources, dead-letter rows); it must outlive
// the journal.
Result<std::unique_ptr<Journal>> openJournal(const std::filesystem::path& stateDir,
                                             Telemetry& telemetry = noTelemetry());

}  // namespace fhir837::serve
