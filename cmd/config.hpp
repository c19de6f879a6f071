// The daemon and replay configuration: one options struct mirroring
// etc/flashpoint.toml key for key. Every default here is the one documented
// in etc/flashpoint.toml. Loading reports unknown keys and bad values as
// file:line:col diagnostics. Plain values; main thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flashpoint/engine/diagnostic.hpp"
#include "flashpoint/engine/engine.hpp"

namespace flashpoint::cmd {

struct FeedConfig {
  std::string name;
  std::string adapter = "jsonl";  // jsonl | gdelt | sipri | acled
  std::string listen;             // tcp://HOST:PORT or unix:///path
  std::string watch;              // a folder whose new files are read
  std::string path;               // one file, tailed
  std::string done;               // watch: "leave" (default) or a folder to move finished files to
  std::size_t max_line = 1U << 20U;
};

struct HttpConfig {
  std::string listen;  // "" = no HTTP server
  std::string token;   // bearer token for all but /healthz ("" = none)
  std::size_t max_body = 16U << 20U;
};

struct Config {
  std::string database = "var/flashpoint.db";
  std::vector<std::string> rules{"rules"};
  std::string log_level = "info";
  std::uint32_t commit_ms = 50;       // group commit: at most this long
  std::uint32_t commit_events = 10000;  // ... or this many events
  std::size_t queue_events = 65536;   // engine queue bound (backpressure)
  std::vector<FeedConfig> feeds;
  HttpConfig http;
  EngineOptions engine;
  std::string file;  // where it was loaded from
};

// Loads `path`; relative paths inside are resolved against the file's
// folder's parent when they do not exist as given (so `etc/flashpoint.toml`
// finds `var/` and `rules/` at the project root). Returns false on errors.
bool load_config(const std::string& path, Config& out, Diagnostics& diags);

}  // namespace flashpoint::cmd
