#include <sqlite3.h>

#include <set>

#include "engine/serve/sqlite_journal.h"
#include "store/sqlite_statement.h"

namespace fhir837::serve {

namespace {

constexpr const char* kCurrentColumns =
    "SELECT v.type, v.id, v.vid, v.hash, v.format, v.body, v.received, v.seq FROM current c "
    "JOIN versions v ON v.seq = c.seq ";

StoredResource storedFrom(Statement& row) {
  StoredResource stored;
  stored.type = row.text(0);
  stored.id = row.text(1);
  stored.versionId = static_cast<std::uint64_t>(row.integer(2));
  stored.hash = row.text(3);
  stored.format = row.text(4) == "xml" ? BodyFormat::kXml : BodyFormat::kJson;
  stored.body = row.blob(5);
  stored.lastUpdated = row.text(6);
  stored.seq = row.integer(7);
  return stored;
}

// "Type/id" -> (type, id); nullopt for anything else (conditional, contained, absolute).
std::optional<std::pair<std::string, std::string>> splitKey(const std::string& key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == key.size() ||
      key.find_first_of("/?#", slash + 1) != std::string::npos) {
    return std::nullopt;
  }
  return std::pair(key.substr(0, slash), key.substr(slash + 1));
}

// "Type?identifier=system|value" -> the query; nullopt for other searches.
std::optional<IdentifierQuery> conditionalQuery(const std::string& reference) {
  const std::size_t question = reference.find('?');
  constexpr std::string_view kParam = "identifier=";
  if (question == std::string::npos ||
      reference.compare(question + 1, kParam.size(), kParam) != 0 ||
      reference.find('&', question) != std::string::npos) {
    return std::nullopt;
  }
  IdentifierQuery query;
  query.type = reference.substr(0, question);
  const std::string token = reference.substr(question + 1 + kParam.size());
  const std::size_t bar = token.find('|');
  query.system = bar == std::string::npos ? "" : token.substr(0, bar);
  query.value = bar == std::string::npos ? token : token.substr(bar + 1);
  return query;
}

}  // namespace

Result<std::vector<DeadLetter>> SqliteJournal::deadLetters() {
  std::lock_guard lock(readMutex_);
  Statement find(reader_,
                 "SELECT http_status, issue_code, reason, method, target, content_type, body FROM "
                 "dead_letter ORDER BY seq");
  if (!find.ok()) return journalError(reader_, "prepare dead letter read");
  std::vector<DeadLetter> letters;
  int rc;
  while ((rc = find.step()) == SQLITE_ROW) {
    letters.push_back({static_cast<int>(find.integer(0)), find.text(1), find.text(2), find.text(3),
                       find.text(4), find.text(5), find.blob(6)});
  }
  if (rc != SQLITE_DONE) return journalError(reader_, "dead letter read");
  return letters;
}

Result<std::optional<StoredResource>> SqliteJournal::current(const std::string& type,
                                                             const std::string& id) {
  std::lock_guard lock(readMutex_);
  Statement find(reader_, (std::string(kCurrentColumns) + "WHERE c.type=? AND c.id=?").c_str());
  if (!find.ok()) return journalError(reader_, "prepare read");
  find.bind(1, type);
  find.bind(2, id);
  const int rc = find.step();
  if (rc == SQLITE_ROW) return std::optional(storedFrom(find));
  if (rc != SQLITE_DONE) return journalError(reader_, "read");
  return std::optional<StoredResource>();
}

Result<std::vector<StoredResource>> SqliteJournal::findByIdentifier(const IdentifierQuery& query) {
  std::lock_guard lock(readMutex_);
  std::string sql = std::string(kCurrentColumns) +
                    "WHERE c.type=? AND c.id IN (SELECT id FROM identifiers WHERE type=? AND "
                    "value=?" +
                    (query.system.empty() ? ")" : " AND system=?)") + " ORDER BY c.id";
  Statement find(reader_, sql.c_str());
  if (!find.ok()) return journalError(reader_, "prepare identifier search");
  find.bind(1, query.type);
  find.bind(2, query.type);
  find.bind(3, query.value);
  if (!query.system.empty()) find.bind(4, query.system);
  std::vector<StoredResource> found;
  int rc;
  while ((rc = find.step()) == SQLITE_ROW) found.push_back(storedFrom(find));
  if (rc != SQLITE_DONE) return journalError(reader_, "identifier search");
  return found;
}

Result<std::int64_t> SqliteJournal::lastSeq() {
  std::lock_guard lock(readMutex_);
  Statement max(reader_, "SELECT COALESCE(MAX(seq), 0) FROM versions");
  if (!max.ok() || max.step() != SQLITE_ROW) return journalError(reader_, "last seq");
  return max.integer(0);
}

Result<std::vector<Journal::ChangedGroup>> SqliteJournal::groupsChangedAfter(std::int64_t seq) {
  std::lock_guard lock(readMutex_);
  Statement find(reader_,
                 "SELECT group_key, last_seq, last_at, finished, (SELECT MIN(patient_key) FROM "
                 "events e WHERE e.group_key = groups.group_key) FROM groups WHERE last_seq > ? "
                 "ORDER BY last_seq");
  if (!find.ok()) return journalError(reader_, "prepare group changes");
  find.bind(1, seq);
  std::vector<ChangedGroup> groups;
  int rc;
  while ((rc = find.step()) == SQLITE_ROW) {
    groups.push_back(
        {find.text(0), find.integer(1), find.integer(2), find.integer(3) != 0, find.text(4)});
  }
  if (rc != SQLITE_DONE) return journalError(reader_, "group changes");
  return groups;
}

Result<std::optional<Journal::ChangedGroup>> SqliteJournal::group(const std::string& groupKey) {
  std::lock_guard lock(readMutex_);
  Statement find(reader_,
                 "SELECT group_key, last_seq, last_at, finished, (SELECT MIN(patient_key) FROM "
                 "events e WHERE e.group_key = groups.group_key) FROM groups WHERE group_key=?");
  if (!find.ok()) return journalError(reader_, "prepare group");
  find.bind(1, groupKey);
  const int rc = find.step();
  if (rc == SQLITE_DONE) return std::optional<ChangedGroup>();
  if (rc != SQLITE_ROW) return journalError(reader_, "group");
  return std::optional<ChangedGroup>(ChangedGroup{find.text(0), find.integer(1), find.integer(2),
                                                  find.integer(3) != 0, find.text(4)});
}

Result<std::vector<StoredResource>> SqliteJournal::eventsOfGroup(const std::string& groupKey) {
  std::lock_guard lock(readMutex_);
  Statement find(reader_, (std::string(kCurrentColumns) +
                           "JOIN events e ON e.event_key = c.type || '/' || c.id "
                           "WHERE e.group_key=? ORDER BY c.type, c.id")
                              .c_str());
  if (!find.ok()) return journalError(reader_, "prepare group events");
  find.bind(1, groupKey);
  std::vector<StoredResource> events;
  int rc;
  while ((rc = find.step()) == SQLITE_ROW) events.push_back(storedFrom(find));
  if (rc != SQLITE_DONE) return journalError(reader_, "group events");
  return events;
}

// Forward references from every resource in the set, and the resources of the reverse types that
// point into it (a Coverage names its beneficiary, not the other way round), until nothing new.
Result<std::vector<StoredResource>> SqliteJournal::closureOf(const std::string& groupKey) {
  auto events = eventsOfGroup(groupKey);
  if (!events) return events.error();
  std::set<std::string> keys;
  std::vector<std::string> frontier;
  for (const StoredResource& event : *events) {
    if (keys.insert(event.type + "/" + event.id).second)
      frontier.push_back(event.type + "/" + event.id);
  }
  {
    std::lock_guard lock(readMutex_);
    Statement forward(reader_, "SELECT target FROM refs WHERE source=?");
    // Ranges of the (target, source) index, not a LIKE filter: a Patient that thousands of
    // events reference would otherwise be scanned whole for every encounter of it. Procedures
    // are not gathered this way: the only ones a claim depends on are those an administration
    // is partOf, which its forward references reach.
    Statement reverse(
        reader_,
        "SELECT source FROM refs WHERE target=?1 AND source >= 'Coverage/' AND source < "
        "'Coverage0' UNION ALL SELECT source FROM refs WHERE target=?1 AND source >= 'Claim/' "
        "AND source < 'Claim0' UNION ALL SELECT source FROM refs WHERE target=?1 AND source >= "
        "'ExplanationOfBenefit/' AND source < 'ExplanationOfBenefit0' UNION ALL SELECT source "
        "FROM refs WHERE target=?1 AND source >= 'Condition/' AND source < 'Condition0'");
    // An administration that is partOf a Procedure carries it (PROC-PARTOF): coding the
    // Procedure needs to see it, or the Procedure would be billed a second time on its own.
    Statement carriers(reader_,
                       "SELECT source FROM refs WHERE target=? AND source >= "
                       "'MedicationAdministration/' AND source < 'MedicationAdministration0'");
    Statement exists(reader_, "SELECT 1 FROM current WHERE type=? AND id=?");
    Statement byIdentifier(reader_,
                           "SELECT DISTINCT id FROM identifiers WHERE type=? AND value=? AND "
                           "(?='' OR system=?)");
    if (!forward.ok() || !reverse.ok() || !carriers.ok() || !exists.ok() || !byIdentifier.ok()) {
      return journalError(reader_, "prepare closure");
    }
    auto add = [&](const std::string& key) -> bool {
      auto parts = splitKey(key);
      if (!parts || keys.count(key)) return false;
      exists.reset();
      exists.bind(1, parts->first);
      exists.bind(2, parts->second);
      if (exists.step() != SQLITE_ROW) return false;
      keys.insert(key);
      frontier.push_back(key);
      return true;
    };
    while (!frontier.empty()) {
      if (keys.size() > kMaxClosure) {
        return makeError(
            ErrorCode::kLimitExceeded,
            "the resources of group " + groupKey + " exceed " + std::to_string(kMaxClosure),
            "journal");
      }
      const std::string key = frontier.back();
      frontier.pop_back();
      forward.reset();
      forward.bind(1, key);
      std::vector<std::string> targets;
      while (forward.step() == SQLITE_ROW) targets.push_back(forward.text(0));
      for (const std::string& target : targets) {
        if (auto query = conditionalQuery(target)) {
          byIdentifier.reset();
          byIdentifier.bind(1, query->type);
          byIdentifier.bind(2, query->value);
          byIdentifier.bind(3, query->system);
          byIdentifier.bind(4, query->system);
          std::vector<std::string> ids;
          while (byIdentifier.step() == SQLITE_ROW) ids.push_back(byIdentifier.text(0));
          for (const std::string& id : ids) add(query->type + "/" + id);
        } else {
          add(target);
        }
      }
      reverse.reset();
      reverse.bind(1, key);
      std::vector<std::string> sources;
      while (reverse.step() == SQLITE_ROW) sources.push_back(reverse.text(0));
      for (const std::string& source : sources) add(source);
      if (key.rfind("Procedure/", 0) == 0) {
        carriers.reset();
        carriers.bind(1, key);
        std::vector<std::string> administrations;
        while (carriers.step() == SQLITE_ROW) administrations.push_back(carriers.text(0));
        for (const std::string& administration : administrations) add(administration);
      }
    }
  }
  return currentOfKeys({keys.begin(), keys.end()});
}

Result<std::vector<StoredResource>> SqliteJournal::currentOfKeys(
    const std::vector<std::string>& keys) {
  std::vector<StoredResource> resources;
  for (const std::string& key : keys) {
    auto parts = splitKey(key);
    if (!parts) continue;
    auto stored = current(parts->first, parts->second);
    if (!stored) return stored.error();
    if (*stored) resources.push_back(std::move(**stored));
  }
  return resources;
}

Result<std::optional<std::string>> SqliteJournal::getState(const std::string& key) {
  std::lock_guard lock(readMutex_);
  Statement find(reader_, "SELECT value FROM state WHERE key=?");
  if (!find.ok()) return journalError(reader_, "prepare state read");
  find.bind(1, key);
  const int rc = find.step();
  if (rc == SQLITE_ROW) return std::optional(find.text(0));
  if (rc != SQLITE_DONE) return journalError(reader_, "state read");
  return std::optional<std::string>();
}

Status SqliteJournal::putState(const std::string& key, const std::string& value) {
  std::lock_guard lock(readMutex_);
  Statement put(reader_,
                "INSERT INTO state(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET "
                "value=excluded.value");
  if (!put.ok()) return journalError(reader_, "prepare state write");
  put.bind(1, key);
  put.bind(2, value);
  if (put.step() != SQLITE_DONE) return journalError(reader_, "state write");
  return Status::ok();
}

}  // namespace fhir837::serve
