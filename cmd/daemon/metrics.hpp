// Daemon metrics: every counter and gauge the daemon keeps, in one struct,
// and their rendering in the Prometheus text exposition format (version
// 0.0.4) for GET /metrics, each family with # HELP and # TYPE.
//
// Thread-safety: updated and rendered on the loop thread only; no
// synchronisation.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "flashpoint/engine/alert.hpp"

namespace flashpoint::daemon {

// A Prometheus histogram with fixed upper bounds (seconds).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  [[nodiscard]] const std::vector<double>& bounds() const { return bounds_; }
  [[nodiscard]] const std::vector<std::uint64_t>& counts() const { return counts_; }
  [[nodiscard]] double sum() const { return sum_; }
  [[nodiscard]] std::uint64_t count() const { return count_; }

 private:
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;  // per bucket (not cumulative)
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

// Counters of one feed (a [[feed]] entry or the HTTP feed).
struct FeedMetrics {
  std::string name;
  std::string type;                       // tcp, unix, watch, path or http
  std::uint64_t events = 0;               // valid events decoded (duplicates included)
  std::uint64_t duplicates = 0;           // of those, (source, id) seen before
  std::uint64_t dead_letters = 0;         // records rejected
  std::uint64_t bytes = 0;                // bytes read
  std::int64_t connections = 0;           // open connections (socket feeds)
  std::uint64_t connections_total = 0;    // accepted
  std::uint64_t connections_refused = 0;  // over max_clients
  std::uint64_t files_done = 0;           // watch: files finished
};

struct Metrics {
  Metrics();

  // The counters of feed `name`, created on first use (stable address).
  FeedMetrics& feed(std::string_view name, std::string_view type);
  void count_alert(std::string_view rule, Severity severity);
  void count_http(unsigned status);

  std::deque<FeedMetrics> feeds;
  std::unordered_map<std::string, std::array<std::uint64_t, 5>> alerts;  // rule -> by severity
  Histogram eval_seconds;                                                // engine time per event
  Histogram checkpoint_seconds;  // engine.save_state() per checkpoint
  Histogram commit_seconds;      // checkpoint queued -> committed
  std::uint64_t checkpoints = 0;
  std::uint64_t commit_failures = 0;
  std::uint64_t state_bytes = 0;  // size of the last saved engine state
  std::uint64_t reloads_ok = 0;
  std::uint64_t reloads_failed = 0;
  std::uint64_t backpressure_pauses = 0;
  std::map<unsigned, std::uint64_t> http_requests;  // by status code

  // Gauges, refreshed by the pipeline before rendering.
  std::uint64_t queue_depth = 0;  // events read but not yet committed
  std::uint64_t queue_limit = 0;
  std::uint64_t writer_queue = 0;  // alerts handed to the writer, not yet committed
  std::uint64_t rules = 0;
  double watermark_seconds = 0;
  double start_time_seconds = 0;

  [[nodiscard]] std::string render() const;
};

}  // namespace flashpoint::daemon
