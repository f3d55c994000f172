#include "store/nats/nats_billing_ledger.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "sinks/dir/atomic_file_writer.h"
#include "store/nats/control_number_leases.h"
#include "store/nats/in_flight_reservations.h"
#include "store/nats/ledger_records.h"

namespace fhir837 {

namespace fs = std::filesystem;

namespace {

constexpr const char* kWritten = "written";
constexpr const char* kAbandoned = "abandoned";
constexpr const char* kVoidPrefix = "void:";  // void rows count for no claim (as in StateStore)

enum class Fate { kUndecided, kWritten, kAbandoned };

Error malformed(const std::string& key) {
  return makeError(ErrorCode::kIo, "malformed cluster ledger value", key);
}

bool isVoid(const LedgerEntry& entry) { return entry.eventKey.starts_with(kVoidPrefix); }

// "form|Encounter/e1|payer|member" -> "Encounter/e1" (the whole key when it has no '|').
std::string encounterOf(const std::string& claimKey) {
  const std::size_t first = claimKey.find('|');
  if (first == std::string::npos) return claimKey;
  const std::size_t second = claimKey.find('|', first + 1);
  return claimKey.substr(first + 1, second - first - 1);
}

bool earlier(const LedgerEntry& a, const LedgerEntry& b) {
  return std::tie(a.interchangeControlNumber, a.eventKey) <
         std::tie(b.interchangeControlNumber, b.eventKey);
}

}  // namespace

struct NatsBillingLedger::State {
  State(CreateOnlyBucket& bucket, StateStore& local, const NatsLedgerSettings& settings)
      : bucket(bucket),
        local(local),
        settings(settings),
        leases(bucket, local, settings.instance, settings.leaseSize),
        inFlight(settings.stateDir) {}
  ~State() {
    if (lockFd >= 0) ::close(lockFd);
  }

  // Held for the ledger's life: a second process of the same instance would settle this one's
  // reservations in flight as crashed.
  Status lockStateDir() {
    std::error_code ec;
    fs::create_directories(settings.stateDir, ec);
    if (ec) {
      return makeError(ErrorCode::kIo, "cannot create state dir: " + ec.message(),
                       settings.stateDir.string());
    }
    const fs::path lock = settings.stateDir / "cluster-ledger.lock";
    lockFd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lockFd < 0 || ::flock(lockFd, LOCK_EX | LOCK_NB) != 0) {
      return makeError(ErrorCode::kIo, "the cluster ledger of this state dir is open elsewhere",
                       lock.string());
    }
    return Status::ok();
  }

  CreateOnlyBucket& bucket;
  StateStore& local;
  NatsLedgerSettings settings;
  ControlNumberLeases leases;
  InFlightReservations inFlight;
  int lockFd = -1;
  // Decided fates never change (create-only), so they are remembered; undecided ones are asked
  // again each time.
  std::mutex fatesMutex;
  std::unordered_map<std::string, Fate> decided;

  Result<Fate> fateOf(const std::string& file) {
    {
      std::lock_guard<std::mutex> lock(fatesMutex);
      auto known = decided.find(file);
      if (known != decided.end()) return known->second;
    }
    const std::string key = ledger_keys::fate(file);
    auto value = bucket.get(key);
    if (!value) return value.error();
    if (!*value) return Fate::kUndecided;
    Fate fate;
    if (**value == kWritten) {
      fate = Fate::kWritten;
    } else if (**value == kAbandoned) {
      fate = Fate::kAbandoned;
    } else {
      return malformed(key);
    }
    remember(file, fate);
    return fate;
  }

  // The fate of `record`'s reservation; an undecided one older than staleAfter is given up
  // first (create-only: if its writer commits meanwhile, that decision stands instead).
  Result<Fate> fateOfAttempt(const AttemptRecord& record) {
    auto fate = fateOf(record.entry.file);
    if (!fate || *fate != Fate::kUndecided || record.reservedAt == 0) return fate;
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    if (now - record.reservedAt < settings.staleAfter.count()) return fate;
    auto created = bucket.create(ledger_keys::fate(record.entry.file), kAbandoned);
    if (!created) return created.error();
    if (created->created) {
      remember(record.entry.file, Fate::kAbandoned);
      return Fate::kAbandoned;
    }
    return fateOf(record.entry.file);
  }

  // The fate must be known before a file appears or is given up: an unknown answer (timeout) is
  // asked again until the ledger says what it recorded.
  Result<Fate> decideKnown(const std::string& file, Fate fate) {
    std::optional<Error> last;
    for (int attempt = 0; attempt < 24; ++attempt) {
      auto created =
          bucket.create(ledger_keys::fate(file), fate == Fate::kWritten ? kWritten : kAbandoned);
      if (created && created->created) {
        remember(file, fate);
        return fate;
      }
      if (created) {
        auto recorded = fateOf(file);
        if (recorded && *recorded != Fate::kUndecided) return recorded;
        if (!recorded) last = recorded.error();
      } else {
        last = created.error();
      }
    }
    return *last;
  }

  void remember(const std::string& file, Fate fate) {
    std::lock_guard<std::mutex> lock(fatesMutex);
    if (decided.size() >= 100000) decided.clear();  // bounded; the ledger is the truth
    decided.emplace(file, fate);
  }

  // The first decision stands: a later one (e.g. confirm after abandon) changes nothing.
  Status decide(const std::string& file, Fate fate) {
    auto created =
        bucket.create(ledger_keys::fate(file), fate == Fate::kWritten ? kWritten : kAbandoned);
    if (!created) return created.error();
    if (created->created) remember(file, fate);
    return inFlight.remove(file);
  }

  // The attempts of a chain whose file was not abandoned, in attempt order.
  template <class KeyOf>
  Result<std::vector<AttemptRecord>> liveAttempts(KeyOf keyOf) {
    std::vector<AttemptRecord> live;
    for (std::uint64_t n = 1;; ++n) {
      const std::string key = keyOf(n);
      auto value = bucket.get(key);
      if (!value) return value.error();
      if (!*value) return live;
      auto record = decodeAttempt(**value);
      if (!record) return malformed(key);
      auto fate = fateOfAttempt(*record);
      if (!fate) return fate.error();
      if (*fate != Fate::kAbandoned) live.push_back(std::move(*record));
    }
  }

  // Takes the first free attempt of `eventKey` for `record`. false: a live reservation holds it.
  Result<bool> claimEvent(const std::string& eventKey, const std::string& value) {
    for (std::uint64_t n = 1;; ++n) {
      const std::string key = ledger_keys::event(eventKey, n);
      // Create first: for an event never billed that is the only round trip.
      auto created = bucket.create(key, value);
      if (!created) return created.error();
      if (created->created) return true;
      auto holder = bucket.get(key);
      if (!holder) return holder.error();
      if (!*holder) return malformed(key);  // the ledger never deletes
      auto record = decodeAttempt(**holder);
      if (!record) return malformed(key);
      auto fate = fateOfAttempt(*record);
      if (!fate) return fate.error();
      if (*fate != Fate::kAbandoned) return false;
    }
  }

  // Appends `value` to an index chain at its first free attempt.
  template <class KeyOf>
  Status append(KeyOf keyOf, const std::string& value) {
    for (std::uint64_t n = 1;; ++n) {
      auto created = bucket.create(keyOf(n), value);
      if (!created) return created.error();
      if (created->created) return Status::ok();
    }
  }

  // The claim indexes of a reservation whose events are all won: per claim key the earliest
  // event (findBilledClaim), per claim id and claim key the earliest event and the count
  // (claimIdOfOtherEncounter, eventsOnClaim). Void rows are not indexed.
  Status indexClaims(const std::vector<LedgerEntry>& entries) {
    std::map<std::string, AttemptRecord> byClaimKey;
    std::map<std::pair<std::string, std::string>, AttemptRecord> byClaimId;
    for (const LedgerEntry& entry : entries) {
      if (isVoid(entry)) continue;
      AttemptRecord record{entry, settings.instance, 1};
      auto [claim, newClaim] = byClaimKey.try_emplace(entry.claimKey, record);
      if (!newClaim && earlier(entry, claim->second.entry)) claim->second = record;
      auto [id, newId] = byClaimId.try_emplace({entry.claimId, entry.claimKey}, record);
      if (!newId) {
        const std::size_t events = id->second.events + 1;
        if (earlier(entry, id->second.entry)) id->second = record;
        id->second.events = events;
      }
    }
    for (const auto& [claimKey, record] : byClaimKey) {
      const std::string value = encodeAttempt(record);
      Status s =
          claimKey.empty()
              ? append(
                    [&](std::uint64_t n) {
                      return ledger_keys::keylessClaim(record.entry.claimId, n);
                    },
                    value)
              : append([&](std::uint64_t n) { return ledger_keys::claim(claimKey, n); }, value);
      if (!s) return s;
    }
    for (const auto& [ids, record] : byClaimId) {
      const std::string& claimId = ids.first;
      Status s = append([&](std::uint64_t n) { return ledger_keys::claimId(claimId, n); },
                        encodeAttempt(record));
      if (!s) return s;
    }
    return Status::ok();
  }

  // Settles the reservations a crash left in flight. The fate is decided before the rename
  // (commitInterchange), so: written -> the file is put in place from its durable temporary if
  // the crash came before the rename; abandoned (by this instance, or by a peer that found it
  // stale) -> its temporary is removed; undecided -> the file never appeared: abandoned (one in
  // place all the same is written).
  Status recover() {
    auto files = inFlight.files();
    if (!files) return files.error();
    for (const std::string& file : *files) {
      auto fate = fateOf(file);
      if (!fate) return fate.error();
      if (*fate == Fate::kUndecided) {
        // A file in place without a fate (written before commits came first) is out: written.
        std::error_code ec;
        const bool inPlace = fs::exists(file, ec);
        auto decided = decideKnown(file, inPlace ? Fate::kWritten : Fate::kAbandoned);
        if (!decided) return decided.error();
        fate = *decided;
      }
      if (*fate == Fate::kWritten) {
        std::error_code ec;
        if (!fs::exists(file, ec)) {
          auto finished = finishCommittedTemporary(file);
          if (!finished) return finished.error();
          if (!*finished) {
            return makeError(ErrorCode::kIo,
                             "recovery: the interchange was committed in the cluster ledger but "
                             "neither it nor its temporary is on disk",
                             file);
          }
        }
      } else {
        auto removed = removeAbandonedTemporaries(file);
        if (!removed) return removed.error();
      }
      if (Status s = inFlight.remove(file); !s) return s;
    }
    return Status::ok();
  }
};

NatsBillingLedger::NatsBillingLedger(std::unique_ptr<State> state) : state_(std::move(state)) {}
NatsBillingLedger::~NatsBillingLedger() = default;

Result<std::unique_ptr<NatsBillingLedger>> NatsBillingLedger::open(
    CreateOnlyBucket& bucket, StateStore& local, const NatsLedgerSettings& settings) {
  if (settings.instance.empty()) {
    return makeError(ErrorCode::kConfig, "a cluster ledger needs the instance's name",
                     "cluster ledger");
  }
  if (settings.leaseSize == 0 || settings.leaseSize > ControlNumberLeases::kMaxControlNumber) {
    return makeError(
        ErrorCode::kConfig,
        "lease size must be 1.." + std::to_string(ControlNumberLeases::kMaxControlNumber),
        "cluster ledger");
  }
  auto state = std::make_unique<State>(bucket, local, settings);
  if (Status s = state->lockStateDir(); !s) return s.error();
  if (Status s = state->recover(); !s) return s.error();
  return std::unique_ptr<NatsBillingLedger>(new NatsBillingLedger(std::move(state)));
}

Result<std::optional<LedgerEntry>> NatsBillingLedger::findBilled(const std::string& eventKey) {
  for (std::uint64_t n = 1;; ++n) {
    const std::string key = ledger_keys::event(eventKey, n);
    auto value = state_->bucket.get(key);
    if (!value) return value.error();
    if (!*value) return std::optional<LedgerEntry>();
    auto record = decodeAttempt(**value);
    if (!record) return malformed(key);
    auto fate = state_->fateOfAttempt(*record);
    if (!fate) return fate.error();
    // Written or still in flight both count: an in-flight file may be renamed any moment.
    if (*fate != Fate::kAbandoned) {
      // As StateStore::findBilled: the row without its claim key.
      return std::optional<LedgerEntry>(LedgerEntry{record->entry.eventKey, record->entry.claimId,
                                                    record->entry.file,
                                                    record->entry.interchangeControlNumber});
    }
  }
}

Result<BillingLedger::Reservation> NatsBillingLedger::reserveInterchange(
    const std::string& partnerKey, const std::function<std::string(std::uint64_t)>& fileFor,
    const std::vector<LedgerEntry>& entries) {
  auto number = state_->leases.next(partnerKey);
  if (!number) return number.error();
  const std::int64_t reservedAt = std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
  const std::string file = fileFor(*number);
  // Durable before any key names the file: a crash from here on is settled at the next open.
  if (Status s = state_->inFlight.add(file); !s) return s.error();
  auto fail = [&](Error error) -> Error {
    // Best effort: when the ledger cannot be reached the record stays and the next open settles.
    (void)state_->decide(file, Fate::kAbandoned);
    return error;
  };
  // In one global order (event key), so that of two reservations contending for several events
  // the one that wins the first contested event wins them all: never both rejected.
  std::vector<const LedgerEntry*> ordered;
  for (const LedgerEntry& entry : entries) ordered.push_back(&entry);
  std::sort(ordered.begin(), ordered.end(),
            [](const LedgerEntry* a, const LedgerEntry* b) { return a->eventKey < b->eventKey; });
  for (const LedgerEntry* entry : ordered) {
    LedgerEntry row = *entry;
    row.file = file;
    row.interchangeControlNumber = *number;
    auto won = state_->claimEvent(row.eventKey,
                                  encodeAttempt({row, state_->settings.instance, 1, reservedAt}));
    if (!won) return fail(won.error());
    if (!*won) {
      return fail(
          makeError(ErrorCode::kRejected, "already billed by another conversion", row.eventKey));
    }
  }
  std::vector<LedgerEntry> rows = entries;
  for (LedgerEntry& row : rows) {
    row.file = file;
    row.interchangeControlNumber = *number;
  }
  if (Status s = state_->indexClaims(rows); !s) return fail(s.error());
  return Reservation{*number, file};
}

Status NatsBillingLedger::commitInterchange(const std::string& file) {
  auto fate = state_->decideKnown(file, Fate::kWritten);
  if (!fate) return fate.error();
  if (*fate != Fate::kWritten) {
    return makeError(ErrorCode::kRejected,
                     "the reservation was given up by another instance (it looked stalled): its "
                     "events are billed again",
                     file);
  }
  return Status::ok();
}

Result<bool> NatsBillingLedger::inFlightElsewhere(const std::string& eventKey) {
  for (std::uint64_t n = 1;; ++n) {
    const std::string key = ledger_keys::event(eventKey, n);
    auto value = state_->bucket.get(key);
    if (!value) return value.error();
    if (!*value) return false;
    auto record = decodeAttempt(**value);
    if (!record) return malformed(key);
    auto fate = state_->fateOfAttempt(*record);
    if (!fate) return fate.error();
    if (*fate == Fate::kUndecided) return true;
    if (*fate == Fate::kWritten) return false;
  }
}

Status NatsBillingLedger::confirmInterchange(const std::string& file) {
  return state_->decide(file, Fate::kWritten);
}

Status NatsBillingLedger::abandonInterchange(const std::string& file) {
  return state_->decide(file, Fate::kAbandoned);
}

Result<std::optional<LedgerEntry>> NatsBillingLedger::findBilledClaim(const std::string& claimKey,
                                                                      const std::string& claimId) {
  auto byKey =
      state_->liveAttempts([&](std::uint64_t n) { return ledger_keys::claim(claimKey, n); });
  if (!byKey) return byKey.error();
  // Rows without a claim key match by claim id (as in StateStore).
  auto keyless =
      state_->liveAttempts([&](std::uint64_t n) { return ledger_keys::keylessClaim(claimId, n); });
  if (!keyless) return keyless.error();
  std::optional<LedgerEntry> first;
  for (const auto* list : {&*byKey, &*keyless}) {
    for (const AttemptRecord& record : *list) {
      if (!first || earlier(record.entry, *first)) first = record.entry;
    }
  }
  return first;
}

Result<std::optional<LedgerEntry>> NatsBillingLedger::claimIdOfOtherEncounter(
    const std::string& claimId, const std::string& encounter) {
  auto attempts =
      state_->liveAttempts([&](std::uint64_t n) { return ledger_keys::claimId(claimId, n); });
  if (!attempts) return attempts.error();
  std::optional<LedgerEntry> first;
  for (const AttemptRecord& record : *attempts) {
    if (record.entry.claimKey.empty() || encounterOf(record.entry.claimKey) == encounter) continue;
    if (!first || earlier(record.entry, *first)) first = record.entry;
  }
  return first;
}

Result<std::optional<std::string>> NatsBillingLedger::payerClaimNumber(const std::string& claimId) {
  return state_->local.payerClaimNumber(claimId);
}

Result<std::size_t> NatsBillingLedger::eventsOnClaim(const std::string& claimId) {
  auto attempts =
      state_->liveAttempts([&](std::uint64_t n) { return ledger_keys::claimId(claimId, n); });
  if (!attempts) return attempts.error();
  std::size_t events = 0;
  for (const AttemptRecord& record : *attempts) events += record.events;
  return events;
}

}  // namespace fhir837
