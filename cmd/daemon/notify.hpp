// systemd readiness notification (sd_notify): READY, RELOADING, STOPPING
// and STATUS lines for a Type=notify service. Does nothing when the daemon
// was not started by systemd (no NOTIFY_SOCKET) or was built without
// libsystemd.
//
// Thread-safety: may be called from any thread.
#pragma once

#include <string_view>

namespace flashpoint::daemon {

void notify_ready(std::string_view status);
void notify_reloading();
void notify_stopping();
void notify_status(std::string_view status);

}  // namespace flashpoint::daemon
