#include "engine/cluster/cluster_node.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/json_log.h"
#include "engine/cluster/partition_assignment.h"
#include "engine/cluster/partition_follower.h"
#include "engine/cluster/partition_routing.h"
#include "engine/cluster/stream_journal.h"
#include "store/nats/nats_billing_ledger.h"
#include "store/nats/nats_cluster_client.h"

namespace fhir837::cluster {

namespace {

constexpr const char* kStream = "FHIR837_IN";
constexpr const char* kLedgerBucket = "fhir837_ledger";
constexpr const char* kMembersBucket = "fhir837_members";

NatsClusterSettings clientSettingsOf(const ClusterSettings& settings) {
  NatsClusterSettings client;
  client.urls = settings.natsUrls;
  client.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(settings.requestTimeout);
  client.credentialsFile = settings.credentials.string();
  client.tlsCa = settings.tlsCa.string();
  client.tlsCert = settings.tlsCert.string();
  client.tlsKey = settings.tlsKey.string();
  client.name = "fhir837-" + settings.instance;
  return client;
}

class Node final : public ClusterNode {
 public:
  Node(ClusterNodeOptions options, std::unique_ptr<NatsClusterClient> client,
       std::unique_ptr<DeduplicatingLog> log, std::unique_ptr<CreateOnlyBucket> ledger,
       std::unique_ptr<ExpiringBucket> members, serve::Journal& local)
      : options_(std::move(options)),
        client_(std::move(client)),
        log_(std::move(log)),
        ledger_(std::move(ledger)),
        members_(std::move(members)) {
    StreamJournalOptions intake;
    intake.partitions = options_.settings.partitions;
    intake_ = makeStreamJournal(*log_, local, intake);
    FollowerOptions follow;
    follow.limits = options_.limits;
    follow.applied = options_.applied;
    follower_ = makePartitionFollower(
        [this](const std::string& subject, std::uint64_t from) {
          return client_->reader(kStream, subject, from);
        },
        local, std::move(follow));
  }
  ~Node() override {
    stopIntake();
    stop();
  }

  void start() {
    follower_->follow(std::string(kReferenceSubject));
    heartbeat();
    if (auto members = nextMembers()) reassign(*members);
    beating_ = std::thread([this] { beat(); });
    assigning_ = std::thread([this] { assign(); });
  }

  serve::Journal& intake() override { return *intake_; }

  bool billsPatient(const std::string& patientKey) const override {
    const int partition = partitionOf(patientKey, options_.settings.partitions);
    {
      std::lock_guard lock(mutex_);
      if (!owned_.count(partition)) return false;
    }
    return follower_->caughtUp(partitionSubject(partition)) &&
           follower_->caughtUp(std::string(kReferenceSubject));
  }

  std::optional<std::string> unready() const override {
    std::lock_guard lock(mutex_);
    return heartbeatProblem_;
  }

  Result<std::unique_ptr<BillingLedger>> openLedger(StateStore& local) override {
    NatsLedgerSettings settings;
    settings.instance = options_.settings.instance;
    settings.stateDir = options_.stateDir;
    auto ledger = NatsBillingLedger::open(*ledger_, local, settings);
    if (!ledger) return ledger.error();
    return std::unique_ptr<BillingLedger>(std::move(*ledger));
  }

  void stopIntake() override { intake_->close(); }

  void stop() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      wake_.notify_all();
      changed_.notify_all();
    }
    if (beating_.joinable()) beating_.join();
    if (assigning_.joinable()) assigning_.join();
    follower_->stop();
  }

 private:
  // A quarter of member_ttl between heartbeats: three may be lost before the others give this
  // instance's partitions away. Beats run on their own thread, never behind a partition's
  // follower stopping or starting (which waits for a journal commit).
  void beat() {
    const auto every = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(250),
                                                           options_.settings.memberTtl / 4);
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, every, [this] { return stopping_; })) return;
      }
      heartbeat();
    }
  }

  // Puts this instance's heartbeat and reads the others'. A member counts as live until half a
  // member_ttl after it was last listed: a listing that misses a key (a watcher racing a put)
  // does not move partitions; an expired key is gone from the listings for good.
  void heartbeat() {
    const std::string& self = options_.settings.instance;
    if (Status put = members_->put(self, "alive"); !put) {
      missed("the heartbeat did not reach NATS: " + put.error().message);
      return;  // the partitions stay as they are: owning one twice is safe, dropping one is not
    }
    auto entries = members_->entries();
    if (!entries) {
      missed("the member list could not be read from NATS: " + entries.error().message);
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    heartbeatProblem_.reset();
    lastSeen_[self] = now;
    for (auto& [key, value] : *entries) lastSeen_[key] = now;
    std::vector<std::string> live;
    for (auto it = lastSeen_.begin(); it != lastSeen_.end();) {
      if (now - it->second > options_.settings.memberTtl / 2) {
        it = lastSeen_.erase(it);
      } else {
        live.push_back((it++)->first);  // sorted: lastSeen_ is a map
      }
    }
    if (live != wantedMembers_) {
      wantedMembers_ = std::move(live);
      changed_.notify_all();
    }
  }

  // The member list to assign from when it changed since the last assignment.
  std::optional<std::vector<std::string>> nextMembers() {
    std::lock_guard lock(mutex_);
    if (wantedMembers_ == lastMembers_) return std::nullopt;
    return wantedMembers_;
  }

  void assign() {
    for (;;) {
      std::vector<std::string> members;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return stopping_ || wantedMembers_ != lastMembers_; });
        if (stopping_) return;
        members = wantedMembers_;
      }
      reassign(members);
    }
  }

  void reassign(const std::vector<std::string>& members) {
    const std::string& self = options_.settings.instance;
    const std::set<int> owned = ownedPartitions(members, self, options_.settings.partitions);
    std::set<int> gained, lost;
    {
      std::lock_guard lock(mutex_);
      lastMembers_ = members;
      std::set_difference(owned.begin(), owned.end(), owned_.begin(), owned_.end(),
                          std::inserter(gained, gained.end()));
      std::set_difference(owned_.begin(), owned_.end(), owned.begin(), owned.end(),
                          std::inserter(lost, lost.end()));
    }
    if (gained.empty() && lost.empty()) return;
    // Released first, before anyone else could think they are ours alone; taken before they
    // count as owned, so billing waits for the catch-up.
    std::vector<std::string> released;
    {
      std::lock_guard lock(mutex_);
      for (int partition : lost) {
        owned_.erase(partition);
        released.push_back(partitionSubject(partition));
      }
    }
    follower_->unfollow(released);
    for (int partition : gained) follower_->follow(partitionSubject(partition));
    {
      std::lock_guard lock(mutex_);
      owned_ = owned;
    }
    std::string names;
    for (const std::string& member : members) names += (names.empty() ? "" : ",") + member;
    writeLog(LogLine("info", "cluster_partitions")
                 .str("members", names)
                 .num("owned", static_cast<std::int64_t>(owned.size()))
                 .num("gained", static_cast<std::int64_t>(gained.size()))
                 .num("released", static_cast<std::int64_t>(lost.size())));
  }

  void missed(std::string problem) {
    writeLog(LogLine("warn", "cluster_heartbeat_failed").str("error", problem));
    std::lock_guard lock(mutex_);
    heartbeatProblem_ = std::move(problem);
  }

  ClusterNodeOptions options_;
  std::unique_ptr<NatsClusterClient> client_;
  std::unique_ptr<DeduplicatingLog> log_;
  std::unique_ptr<CreateOnlyBucket> ledger_;
  std::unique_ptr<ExpiringBucket> members_;
  std::unique_ptr<serve::Journal> intake_;
  std::unique_ptr<PartitionFollower> follower_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // stop: the beats end
  std::condition_variable changed_;  // the live members changed, or stop
  bool stopping_ = false;
  std::set<int> owned_;
  std::map<std::string, std::chrono::steady_clock::time_point> lastSeen_;
  std::vector<std::string> wantedMembers_;  // live now (sorted)
  std::vector<std::string> lastMembers_;    // what owned_ was computed from
  std::optional<std::string> heartbeatProblem_;
  std::thread beating_;
  std::thread assigning_;
};

// Every instance must cut patients into the same partitions: the first one to start records the
// count, the others compare.
Status checkPartitionCount(CreateOnlyBucket& ledger, int partitions) {
  const std::string count = std::to_string(partitions);
  auto created = ledger.create("config.partitions", count);
  if (!created) return created.error();
  if (created->created) return Status::ok();
  auto recorded = ledger.get("config.partitions");
  if (!recorded) return recorded.error();
  if (*recorded && **recorded != count) {
    return makeError(ErrorCode::kConfig,
                     "[cluster] partitions = " + count + ", but the cluster was set up with " +
                         **recorded + ": every instance must use the same count",
                     "cluster.partitions");
  }
  return Status::ok();
}

// The stream and the buckets are made by whichever instance comes first, and each then elects a
// leader (seconds; longer after a cold start of the whole cluster): until then opening one times
// out. Tried again with a growing pause until the start-up deadline.
template <class Open>
auto openPatiently(const char* what, std::chrono::seconds deadline, Open open) -> decltype(open()) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::chrono::milliseconds pause{250};
  for (;;) {
    auto opened = open();
    if (opened || opened.error().code == ErrorCode::kConfig ||
        std::chrono::steady_clock::now() + pause > until) {
      return opened;
    }
    writeLog(LogLine("warn", "cluster_not_ready")
                 .str("opening", what)
                 .str("error", opened.error().message));
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(4000));
  }
}

}  // namespace

Result<std::unique_ptr<ClusterNode>> startClusterNode(serve::Journal& local,
                                                      const ClusterNodeOptions& options) {
  const ClusterSettings& settings = options.settings;
  const std::chrono::seconds deadline = options.startupDeadline;
  auto client = openPatiently("connection", deadline, [&] {
    return NatsClusterClient::connect(clientSettingsOf(settings));
  });
  if (!client) return client.error();
  auto log = openPatiently("stream", deadline, [&] {
    return (*client)->log(kStream,
                          {std::string(kSubjectPrefix) + "*", std::string(kReferenceSubject)},
                          settings.replicas);
  });
  if (!log) return log.error();
  auto ledger = openPatiently("ledger bucket", deadline,
                              [&] { return (*client)->bucket(kLedgerBucket, settings.replicas); });
  if (!ledger) return ledger.error();
  auto same = openPatiently("partition count", deadline, [&]() -> Result<bool> {
    if (Status checked = checkPartitionCount(**ledger, settings.partitions); !checked) {
      return checked.error();
    }
    return true;
  });
  if (!same) return same.error();
  auto members = openPatiently("members bucket", deadline, [&] {
    return (*client)->expiringBucket(
        kMembersBucket, settings.replicas,
        std::chrono::duration_cast<std::chrono::milliseconds>(settings.memberTtl));
  });
  if (!members) return members.error();
  auto node = std::make_unique<Node>(options, std::move(*client), std::move(*log),
                                     std::move(*ledger), std::move(*members), local);
  node->start();
  return std::unique_ptr<ClusterNode>(std::move(node));
}

}  // namespace fhir837::cluster
