#include <sqlite3.h>

#include "engine/serve/journal_time.h"
#include "engine/serve/sqlite_journal.h"

namespace fhir837::serve {

namespace {

struct CurrentVersion {
  std::int64_t vid = 0;
  std::string received;
};

Result<std::optional<CurrentVersion>> currentVersion(StatementCache& cache, const std::string& type,
                                                     const std::string& id) {
  CachedStatement find(cache,
                       "SELECT v.vid, v.received FROM current c JOIN versions v ON v.seq = c.seq "
                       "WHERE c.type=? AND c.id=?");
  if (!find.ok()) return journalError(cache.db(), "prepare current lookup");
  find.bind(1, type);
  find.bind(2, id);
  const int rc = find.step();
  if (rc == SQLITE_ROW) return std::optional(CurrentVersion{find.integer(0), find.text(1)});
  if (rc != SQLITE_DONE) return journalError(cache.db(), "current lookup");
  return std::optional<CurrentVersion>();
}

// Ids of the current resources of `query.type` carrying the identifier.
Result<std::vector<std::string>> idsWithIdentifier(StatementCache& cache,
                                                   const IdentifierQuery& query) {
  CachedStatement find(cache,
                       query.system.empty()
                           ? "SELECT DISTINCT id FROM identifiers WHERE type=? AND value=?"
                           : "SELECT DISTINCT id FROM identifiers WHERE type=? AND value=? AND "
                             "system=?");
  if (!find.ok()) return journalError(cache.db(), "prepare identifier lookup");
  find.bind(1, query.type);
  find.bind(2, query.value);
  if (!query.system.empty()) find.bind(3, query.system);
  std::vector<std::string> ids;
  int rc;
  while ((rc = find.step()) == SQLITE_ROW) ids.push_back(find.text(0));
  if (rc != SQLITE_DONE) return journalError(cache.db(), "identifier lookup");
  return ids;
}

Status run(StatementCache& cache, CachedStatement& statement, const char* what) {
  if (!statement.ok()) return journalError(cache.db(), std::string("prepare ") + what);
  if (statement.step() != SQLITE_DONE) return journalError(cache.db(), what);
  return Status::ok();
}

// A group changed: the billing side re-evaluates it.
Status touchGroup(StatementCache& cache, const std::string& groupKey, std::int64_t seq,
                  std::optional<bool> finished) {
  CachedStatement upsert(
      cache,
      "INSERT INTO groups(group_key, last_seq, last_at, finished) VALUES(?,?,?,?) "
      "ON CONFLICT(group_key) DO UPDATE SET last_seq=excluded.last_seq, "
      "last_at=excluded.last_at, finished=CASE WHEN ? THEN excluded.finished ELSE "
      "groups.finished END");
  upsert.bind(1, groupKey);
  upsert.bind(2, seq);
  upsert.bind(3, journalEpochNow());
  upsert.bind(4, static_cast<std::int64_t>(finished.value_or(false)));
  upsert.bind(5, static_cast<std::int64_t>(finished.has_value()));
  return run(cache, upsert, "group update");
}

// The indexes over the current version of (type, id): references, identifiers, event, group.
// `created`: the first version, so there are no rows of an earlier one to drop or compare with.
Status indexCurrent(StatementCache& cache, const ResourceWrite& write, std::int64_t seq,
                    bool created) {
  const std::string key = write.type + "/" + write.id;
  if (!created) {
    CachedStatement dropRefs(cache, "DELETE FROM refs WHERE source=?");
    dropRefs.bind(1, key);
    if (Status s = run(cache, dropRefs, "refs delete"); !s) return s;
  }
  for (const std::string& target : write.references) {
    CachedStatement ref(cache, "INSERT OR IGNORE INTO refs(source, target) VALUES(?,?)");
    ref.bind(1, key);
    ref.bind(2, target);
    if (Status s = run(cache, ref, "refs insert"); !s) return s;
  }
  if (!created) {
    CachedStatement dropIds(cache, "DELETE FROM identifiers WHERE type=? AND id=?");
    dropIds.bind(1, write.type);
    dropIds.bind(2, write.id);
    if (Status s = run(cache, dropIds, "identifiers delete"); !s) return s;
  }
  for (const IdentifierQuery& identifier : write.identifiers) {
    CachedStatement add(
        cache, "INSERT OR IGNORE INTO identifiers(type, system, value, id) VALUES(?,?,?,?)");
    add.bind(1, write.type);
    add.bind(2, identifier.system);
    add.bind(3, identifier.value);
    add.bind(4, write.id);
    if (Status s = run(cache, add, "identifiers insert"); !s) return s;
  }
  if (write.event) {
    // An event moved to another encounter changes both groups.
    if (!created) {
      CachedStatement previous(cache, "SELECT group_key FROM events WHERE event_key=?");
      previous.bind(1, key);
      if (previous.ok() && previous.step() == SQLITE_ROW &&
          previous.text(0) != write.event->groupKey) {
        if (Status s = touchGroup(cache, previous.text(0), seq, std::nullopt); !s) return s;
      }
    }
    CachedStatement event(cache,
                          "INSERT INTO events(event_key, group_key, patient_key, status) "
                          "VALUES(?,?,?,?) ON CONFLICT(event_key) DO UPDATE SET "
                          "group_key=excluded.group_key, patient_key=excluded.patient_key, "
                          "status=excluded.status");
    event.bind(1, key);
    event.bind(2, write.event->groupKey);
    event.bind(3, write.event->patientKey);
    event.bind(4, write.event->status);
    if (Status s = run(cache, event, "event upsert"); !s) return s;
    if (Status s = touchGroup(cache, write.event->groupKey, seq, std::nullopt); !s) return s;
  }
  if (write.encounter) {
    if (Status s = touchGroup(cache, key, seq, write.encounter->finished); !s) return s;
  }
  return Status::ok();
}

}  // namespace

// Runs inside the writer's transaction, so the checks below and the insert are one atomic step:
// no other writer can come between them (the check-then-insert race of other FHIR servers).
Result<WriteResult> SqliteJournal::applyWrite(const ResourceWrite& write) {
  WriteResult result;
  result.type = write.type;
  result.id = write.id;
  if (write.ifNoneExist) {
    IdentifierQuery query = *write.ifNoneExist;
    if (query.type.empty()) query.type = write.type;
    auto ids = idsWithIdentifier(writes_, query);
    if (!ids) return ids.error();
    if (ids->size() > 1) {
      result.kind = WriteKind::kPreconditionFailed;
      result.detail = "If-None-Exist matches " + std::to_string(ids->size()) + " resources";
      return result;
    }
    if (ids->size() == 1) {
      auto existing = currentVersion(writes_, write.type, ids->front());
      if (!existing) return existing.error();
      result.kind = WriteKind::kExisting;
      result.id = ids->front();
      result.versionId = *existing ? static_cast<std::uint64_t>((*existing)->vid) : 0;
      result.lastUpdated = *existing ? (*existing)->received : "";
      return result;
    }
  }
  // The idempotency key: the same content again is the version already stored.
  CachedStatement same(writes_,
                       "SELECT vid, received FROM versions WHERE type=? AND id=? AND hash=?");
  if (!same.ok()) return journalError(writer_, "prepare hash lookup");
  same.bind(1, write.type);
  same.bind(2, write.id);
  same.bind(3, write.hash);
  if (same.step() == SQLITE_ROW) {
    result.kind = WriteKind::kUnchanged;
    result.versionId = static_cast<std::uint64_t>(same.integer(0));
    result.lastUpdated = same.text(1);
    // Retention emptied this version's body: the same content sent again brings it back.
    CachedStatement restore(writes_,
                            "UPDATE versions SET body=? WHERE type=? AND id=? AND hash=? AND "
                            "length(body)=0");
    if (!restore.ok()) return journalError(writer_, "prepare body restore");
    restore.bindBlob(1, write.body);
    restore.bind(2, write.type);
    restore.bind(3, write.id);
    restore.bind(4, write.hash);
    if (restore.step() != SQLITE_DONE) return journalError(writer_, "restore pruned body");
    return result;
  }
  auto existing = currentVersion(writes_, write.type, write.id);
  if (!existing) return existing.error();
  if (write.createOnly && *existing) {
    result.kind = WriteKind::kConflict;
    result.detail = write.type + "/" + write.id + " already exists";
    return result;
  }
  if (write.ifMatch &&
      (!*existing || static_cast<std::uint64_t>((*existing)->vid) != *write.ifMatch)) {
    result.kind = WriteKind::kPreconditionFailed;
    result.detail = *existing ? "If-Match names version " + std::to_string(*write.ifMatch) +
                                    ", the current version is " + std::to_string((*existing)->vid)
                              : "If-Match names a version of a resource that does not exist";
    return result;
  }
  const std::int64_t vid = *existing ? (*existing)->vid + 1 : 1;
  const std::string received = journalInstantNow();
  CachedStatement insert(writes_,
                         "INSERT INTO versions(type, id, vid, hash, format, body, received) "
                         "VALUES(?,?,?,?,?,?,?)");
  insert.bind(1, write.type);
  insert.bind(2, write.id);
  insert.bind(3, vid);
  insert.bind(4, write.hash);
  insert.bind(5, write.format == BodyFormat::kXml ? "xml" : "json");
  insert.bindBlob(6, write.body);
  insert.bind(7, received);
  if (Status s = run(writes_, insert, "version insert"); !s) return s.error();
  const std::int64_t seq = sqlite3_last_insert_rowid(writer_);
  CachedStatement point(writes_,
                        "INSERT INTO current(type, id, seq) VALUES(?,?,?) ON CONFLICT(type, id) DO "
                        "UPDATE SET seq=excluded.seq");
  point.bind(1, write.type);
  point.bind(2, write.id);
  point.bind(3, seq);
  if (Status s = run(writes_, point, "current update"); !s) return s.error();
  if (Status s = indexCurrent(writes_, write, seq, !*existing); !s) return s.error();
  result.kind = *existing ? WriteKind::kUpdated : WriteKind::kCreated;
  result.versionId = static_cast<std::uint64_t>(vid);
  result.lastUpdated = received;
  return result;
}

}  // namespace fhir837::serve
