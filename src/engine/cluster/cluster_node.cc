#include "engine/cluster/cluster_node.h"

#include <algorithm>
#include <condition_variable>
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
    thread_ = std::thread([this] { beat(); });
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
    }
    if (thread_.joinable()) thread_.join();
    follower_->stop();
  }

 private:
  // A quarter of member_ttl between heartbeats: three may be lost before the others give this
  // instance's partitions away.
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
    {
      std::lock_guard lock(mutex_);
      heartbeatProblem_.reset();
    }
    std::vector<std::string> members;
    for (auto& [key, value] : *entries) members.push_back(key);
    if (std::find(members.begin(), members.end(), self) == members.end()) members.push_back(self);
    std::sort(members.begin(), members.end());
    const std::set<int> owned = ownedPartitions(members, self, options_.settings.partitions);
    std::set<int> gained, lost;
    {
      std::lock_guard lock(mutex_);
      if (owned == owned_ && members == lastMembers_) return;
      std::set_difference(owned.begin(), owned.end(), owned_.begin(), owned_.end(),
                          std::inserter(gained, gained.end()));
      std::set_difference(owned_.begin(), owned_.end(), owned.begin(), owned.end(),
                          std::inserter(lost, lost.end()));
      lastMembers_ = members;
    }
    // Released first, before anyone else could think they are ours alone; taken before they
    // count as owned, so billing waits for the catch-up.
    for (int partition : lost) {
      {
        std::lock_guard lock(mutex_);
        owned_.erase(partition);
      }
      follower_->unfollow(partitionSubject(partition));
    }
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
  std::condition_variable wake_;
  bool stopping_ = false;
  std::set<int> owned_;
  std::vector<std::string> lastMembers_;
  std::optional<std::string> heartbeatProblem_;
  std::thread thread_;
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

}  // namespace

Result<std::unique_ptr<ClusterNode>> startClusterNode(serve::Journal& local,
                                                      const ClusterNodeOptions& options) {
  const ClusterSettings& settings = options.settings;
  auto client = NatsClusterClient::connect(clientSettingsOf(settings));
  if (!client) return client.error();
  auto log =
      (*client)->log(kStream, {std::string(kSubjectPrefix) + "*", std::string(kReferenceSubject)},
                     settings.replicas);
  if (!log) return log.error();
  auto ledger = (*client)->bucket(kLedgerBucket, settings.replicas);
  if (!ledger) return ledger.error();
  if (Status same = checkPartitionCount(**ledger, settings.partitions); !same) return same.error();
  auto members = (*client)->expiringBucket(
      kMembersBucket, settings.replicas,
      std::chrono::duration_cast<std::chrono::milliseconds>(settings.memberTtl));
  if (!members) return members.error();
  auto node = std::make_unique<Node>(options, std::move(*client), std::move(*log),
                                     std::move(*ledger), std::move(*members), local);
  node->start();
  return std::unique_ptr<ClusterNode>(std::move(node));
}

}  // namespace fhir837::cluster
