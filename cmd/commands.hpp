// The `flashpoint` subcommands. Each returns a process exit code
// (common.hpp). Called from main on the main thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flashpoint::cmd {

int run_check(const std::vector<std::string>& paths);

struct ReplayOptions {
  std::vector<std::string> rules;
  std::string db;
  std::string format = "auto";  // auto | jsonl | gdelt | sipri | acled
  std::string config;           // optional etc/flashpoint.toml for [tension]/[engine]
  std::vector<std::string> inputs;
  bool sort = false;     // buffer all events and replay in event-time order
  bool dry_run = false;  // print the mapped events as JSON Lines; no rules, no db
  bool fresh = false;    // ignore saved engine state in the database
  bool quiet = false;
  bool decode_thread = false;  // decode on a thread of its own (docs/performance.md)
};
int run_replay(const ReplayOptions& o);

struct AlertsOptions {
  std::string db;
  std::string since;
  std::vector<std::string> between;  // two times: [A, B)
  std::string severity;
  std::string rule;
  std::string status;
  std::string claim;
  std::string tag;
  std::string actor;
  std::string region;
  std::string format = "table";  // alerts: table|json|csv; export: csv|json|ndjson
  std::string output;            // export: write here instead of stdout
  std::size_t limit = 0;
};
int run_alerts(const AlertsOptions& o);
// `flashpoint export`: the same filters, every match, csv|json|ndjson.
int run_export(const AlertsOptions& o);

struct ShowOptions {
  std::string db;
  std::int64_t id = 0;
  std::string format = "text";  // text | json
};
int run_show(const ShowOptions& o);

// `flashpoint ack` / `resolve` (and `reopen`).
struct LifecycleOptions {
  std::string db;
  std::vector<std::int64_t> ids;
  std::string note;
  bool has_note = false;
  std::string by;  // default: $USER
};
int run_lifecycle(const LifecycleOptions& o, const std::string& status);

// `flashpoint serve`: the web page and read API on a database, without the daemon.
struct ServeOptions {
  std::string db;
  std::string listen = "127.0.0.1:7480";
  std::string token;   // bearer token for the API and ack/resolve ("" = none)
  std::string config;  // optional config file: [tension] for GET /tension
};
int run_serve(const ServeOptions& o);

int run_test(const std::vector<std::string>& paths, bool verbose);

// `flashpoint run`: the daemon (cmd/daemon/).
struct RunOptions {
  std::string config = "etc/flashpoint.toml";
  std::string log_level;  // overrides [daemon] log_level when set
};
int run_daemon(const RunOptions& o);

struct TensionCmdOptions {
  std::string db;
  std::string pair;    // "CHN-JPN" (either order); "" = every pair
  std::string svg;     // write a chart here
  std::string config;  // half-life and levels; defaults otherwise
};
int run_tension(const TensionCmdOptions& o);

// The rule catalogue of PATHs (default: rules/), as a table, Markdown or JSON.
int run_rules_list(const std::vector<std::string>& paths, const std::string& format);

}  // namespace flashpoint::cmd
