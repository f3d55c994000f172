#pragma once

#include <nats/nats.h>

#include <string>

#include "core/result.h"

namespace fhir837 {

// libnats' status text plus the thread's last error detail ("(js.c:535): wrong last
// sequence: 1"), which names the server's reason where the status alone says only "Error".
inline Error natsError(const std::string& what, natsStatus status) {
  std::string message = what + ": " + natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0') {
    message += std::string(" (") + detail + ")";
  }
  return makeError(ErrorCode::kIo, std::move(message), "nats");
}

}  // namespace fhir837
