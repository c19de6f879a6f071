// sd_notify wrappers.
#include "daemon/notify.hpp"

#include <ctime>
#include <string>

#if defined(FP_HAVE_SYSTEMD)
#include <systemd/sd-daemon.h>
#endif

namespace flashpoint::daemon {
namespace {

void send(const std::string& state) {
#if defined(FP_HAVE_SYSTEMD)
  (void)sd_notify(0, state.c_str());
#else
  (void)state;
#endif
}

}  // namespace

void notify_ready(std::string_view status) { send("READY=1\nSTATUS=" + std::string(status)); }

void notify_reloading() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  const long long usec = static_cast<long long>(ts.tv_sec) * 1000000LL + ts.tv_nsec / 1000;
  send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading rules");
}

void notify_stopping() { send("STOPPING=1\nSTATUS=draining and committing"); }

void notify_status(std::string_view status) { send("STATUS=" + std::string(status)); }

}  // namespace flashpoint::daemon
