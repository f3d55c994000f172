#pragma once

#include <chrono>
#include <memory>

#include "engine/serve/journal.h"
#include "store/nats/cluster_client.h"

namespace fhir837::cluster {

struct StreamJournalOptions {
  int partitions = 64;
  unsigned publishers = 16;  // concurrent publishes (each waits for its PubAck)
  // How long a write keeps being retried while the stream has no leader (a NATS node died and
  // the cluster is electing); past it the request fails and the client may send it again.
  std::chrono::milliseconds retryFor{15000};
};

// The journal the listeners write to in cluster mode (issue 12): a write is published to the
// replicated stream, one message per partition it belongs to, and answered once the stream has
// stored every one of them; a message the stream already had answers as a repeat (200,
// unchanged). The stream is the journal of record: the instance that owns a partition applies it
// to its own SQLite journal (PartitionFollower), which is only a cache. Reads and dead letters
// go to `local`: a read sees the partitions this instance holds and the reference data.
//
// Conditional writes (If-Match, If-None-Exist) are refused with 412: their condition cannot be
// checked before a write that is only ordered once the stream stores it.
std::unique_ptr<serve::Journal> makeStreamJournal(DeduplicatingLog& log, serve::Journal& local,
                                                  const StreamJournalOptions& options);

}  // namespace fhir837::cluster
