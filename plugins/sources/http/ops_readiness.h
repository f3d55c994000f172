#pragma once

#include <atomic>
#include <filesystem>

#include "engine/serve/journal.h"
#include "sources/http/ops_router.h"

namespace fhir837::http {

// The checks of GET /readyz.
// "store": the journal answers a read.
ReadinessCheck storeCheck(serve::Journal& journal);
// "outbox": a file can be created (and removed) in the outbox: what the billing side will do.
ReadinessCheck outboxCheck(std::filesystem::path outbox);
// "draining": false until the daemon was asked to stop (SIGTERM), then true until it exits.
ReadinessCheck drainingCheck(const std::atomic<bool>& draining);

}  // namespace fhir837::http
