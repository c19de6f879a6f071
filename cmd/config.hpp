// The daemon and replay configuration: one options struct mirroring
// etc/flashpoint.toml key for key. Every default here is the one documented
// in etc/flashpoint.toml. Loading reports unknown keys and bad values as
// file:line:col diagnostics. Plain values; main thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flashpoint/engine/diagnostic.hpp"
#include "flashpoint/engine/engine.hpp"

namespace flashpoint::cmd {

// A listener address: "tcp://HOST:PORT" (HOST an IP literal or "localhost";
// an empty HOST means 127.0.0.1) or "unix:///path".
struct ListenAddress {
  enum class Kind : std::uint8_t { tcp, unix_socket };
  Kind kind = Kind::tcp;
  std::string host;        // tcp: IP literal ("127.0.0.1", "::1")
  std::uint16_t port = 0;  // tcp: 0 lets the system pick (the daemon logs the port)
  std::string path;        // unix: socket path
};
// Parses `text`; `plain_host_port` also accepts "HOST:PORT" without a scheme
// ([http] listen). Returns an error message, or "" when `out` is set.
std::string parse_listen(std::string_view text, bool plain_host_port, ListenAddress& out);

struct FeedConfig {
  std::string name;
  std::string adapter = "jsonl";     // jsonl | gdelt | sipri | acled
  std::string listen;                // tcp://HOST:PORT or unix:///path
  std::string watch;                 // a folder whose new files are read
  std::string path;                  // one file, tailed
  std::string done = "leave";        // watch: "leave" finished files, or a folder to move them to
  std::size_t max_line = 1U << 20U;  // bytes; longer records are dead letters
  std::uint32_t poll_ms = 1000;      // watch/path: rescan period (inotify wakes sooner)
  std::uint32_t settle_ms = 2000;    // watch: a file read to its end and unchanged
                                     // this long is finished
  std::uint32_t max_clients = 256;   // listen: more concurrent clients are refused
  std::uint32_t idle_timeout_ms = 300000;  // listen: a client silent this long is dropped
  ListenAddress address;                   // listen, parsed
  SourceLoc loc;                           // where the [[feed]] table is
};

struct HttpConfig {
  std::string listen;                  // "" = no HTTP server; HOST:PORT
  std::string token;                   // bearer token for all but /healthz ("" = none)
  std::size_t max_body = 16U << 20U;   // bytes; larger bodies get 413
  std::string feed = "http";           // feed name of events posted to /events
  std::uint32_t max_connections = 64;  // more concurrent connections are refused
  std::uint32_t timeout_ms = 30000;    // a request must arrive whole within this; idle limit
  ListenAddress address;               // listen, parsed
};

struct Config {
  std::string database = "var/flashpoint.db";
  std::vector<std::string> rules{"rules"};
  std::string log_level = "info";       // trace | debug | info | warn | error | critical | off
  std::uint32_t commit_ms = 10;         // group commit: at most this long
  std::uint32_t commit_events = 10000;  // ... or this many events
  std::uint32_t state_ms = 5000;        // engine state saved at least this often (sockets)
  std::size_t queue_events = 65536;     // events read but not committed; sources pause beyond
  bool watch_rules = true;              // reload when files in the rule folders change
  std::uint32_t reload_delay_ms = 300;  // debounce of rule file changes
  std::uint32_t shutdown_timeout_ms = 10000;  // SIGTERM: drain and commit within this
  std::uint32_t busy_timeout_ms = 5000;       // a commit waits this long for a lock held elsewhere
  bool clock_watermark = false;  // advance event time with the wall clock when feeds are quiet
  std::vector<FeedConfig> feeds;
  HttpConfig http;
  EngineOptions engine;
  std::string file;  // where it was loaded from
};

// Loads `path`. Relative paths inside the file are used as written: they
// are relative to the daemon's working directory. Returns false on errors.
bool load_config(const std::string& path, Config& out, Diagnostics& diags);

// Log levels accepted by [daemon] log_level and --log-level.
bool valid_log_level(std::string_view level);

}  // namespace flashpoint::cmd
