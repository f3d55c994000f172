#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "engine/config/cluster_settings.h"
#include "engine/serve/journal.h"
#include "fhir_tree/fhir_node.h"
#include "store/billing_ledger.h"
#include "store/state_store.h"

namespace fhir837::cluster {

struct ClusterNodeOptions {
  ClusterSettings settings;
  std::filesystem::path stateDir;  // this instance's reservations in flight
  ParseLimits limits;              // the intake's, for applying stream messages
  std::function<void()> applied;   // after each commit of a partition's messages
  // How long start-up waits for NATS (a cluster electing leaders after a cold start): then the
  // daemon exits with the last error, and its service manager tries again.
  std::chrono::seconds startupDeadline{120};
};

// One daemon's membership in a cluster (issue 12): the NATS connection, the ingest stream, the
// shared ledger bucket, the heartbeats that decide which partitions this instance owns, and the
// followers that apply those partitions (and the reference data) to the local journal.
class ClusterNode {
 public:
  virtual ~ClusterNode() = default;

  // The journal the listeners write to: publishes to the stream (StreamJournal).
  virtual serve::Journal& intake() = 0;
  // Whether this instance bills `patientKey`'s encounters now: it owns the patient's partition
  // and has read it, and the reference data, to the end since it got it.
  virtual bool billsPatient(const std::string& patientKey) const = 0;
  // Why this instance is not ready (its last heartbeat did not reach NATS), or nullopt.
  virtual std::optional<std::string> unready() const = 0;
  // The cluster's ledger for the billing side, given the state dir's own store.
  virtual Result<std::unique_ptr<BillingLedger>> openLedger(StateStore& local) = 0;

  // After the listeners stopped: publishes what they queued.
  virtual void stopIntake() = 0;
  // Stops the heartbeats and the followers (the partitions go to the others after member_ttl).
  virtual void stop() = 0;
};

// Connects and starts: the stream and buckets are created when absent; a cluster set up with
// another partition count is refused.
Result<std::unique_ptr<ClusterNode>> startClusterNode(serve::Journal& local,
                                                      const ClusterNodeOptions& options);

}  // namespace fhir837::cluster
