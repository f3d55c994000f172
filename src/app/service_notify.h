#pragma once

#include <string_view>

namespace fhir837::app {

// Tells the service manager where the daemon stands (systemd's sd_notify(3) protocol: one
// datagram to the socket named by $NOTIFY_SOCKET), so `Type=notify` units are ready only once
// the journal is open and the port bound. Does nothing outside systemd (no NOTIFY_SOCKET).
// `state` is newline-separated assignments: "READY=1", "STOPPING=1", "RELOADING=1", "STATUS=...".
void notifyServiceManager(std::string_view state);

}  // namespace fhir837::app
