// Logging setup: spdlog to stderr with levels. Under systemd (JOURNAL_STREAM
// set) each line starts with a <N> syslog priority prefix, so journald keeps
// the level; otherwise lines carry a timestamp.
//
// Thread-safety: call once from the main thread before other threads log.
#pragma once

#include <string_view>

namespace flashpoint::daemon {

// `level` is one of trace, debug, info, warn, error, critical, off.
void setup_logging(std::string_view level);

}  // namespace flashpoint::daemon
