#pragma once

#include <nats/nats.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "store/nats/cluster_client.h"

namespace fhir837 {

// The libnats SubjectReader (an ephemeral pull consumer, recreated when lost); internal to
// NatsClusterClient::reader, which owns `js`.
std::unique_ptr<SubjectReader> makeNatsSubjectReader(jsCtx* js, std::string stream,
                                                     std::string subject,
                                                     std::uint64_t fromSequence,
                                                     std::chrono::milliseconds timeout);

}  // namespace fhir837
