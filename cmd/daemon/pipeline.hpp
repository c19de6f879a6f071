// Pipeline: the daemon's core. Sources hand it bytes through Streams; each
// Stream decodes them (socket-free decoders) and runs the events through the
// engine, whose alerts, like dead letters and tension points, go to the
// AlertWriter. The writer runs with checkpoint_transactions: everything
// queued between two checkpoints commits in one transaction.
//
// Group commit: a checkpoint ends the transaction as soon as the writer is
// idle, and otherwise at the latest commit_ms after the first uncommitted
// event or once commit_events events wait. A *full* checkpoint also carries the
// engine state and the read offsets of the file feeds; it is taken whenever
// a file feed (or an HTTP body) made progress, and at least every state_ms
// while anything changed. So the alerts of file events always commit with
// their offsets and the state that saw them: after a crash a restart resumes
// exactly. Checkpoints of socket events alone are *light* (alerts only),
// which keeps event-to-alert latency low; their state follows within
// state_ms. Full checkpoints are spaced at least ten times the last
// serialisation time apart, so a large engine state lowers the rate of full
// checkpoints instead of the ingest rate.
//
// Backpressure: events read but not yet committed are bounded by
// queue_events; past that, accepting() is false and sources wait
// (when_accepting) instead of reading.
//
// Reload: the rule set compiles on the worker thread; a set with errors is
// rejected whole (logged, counted, and raised as the internal alert
// "engine/reload-failed"); a good one replaces the running set, keeping the
// state of unchanged rules.
//
// Thread-safety: the loop thread only. The writer's commit callback runs on
// the writer thread and only posts to the loop (CommitSignal).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/metrics.hpp"
#include "daemon/worker.hpp"
#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/engine.hpp"
#include "flashpoint/store/alert_writer.hpp"

namespace flashpoint::daemon {

class Pipeline;

// A feed as its streams see it.
struct Feed {
  std::string name;
  std::string adapter = "jsonl";
  std::size_t max_line = 1U << 20U;
  FeedMetrics* metrics = nullptr;
};

// A bad line, for the per-line report of POST /events.
struct LineError {
  std::uint64_t line = 0;
  std::string reason;
};

// One byte stream of a feed (a connection, a file, a request body) with its
// decoder. Tracks the offset that is safe to checkpoint: just past the last
// record handed to the engine (bytes of an unfinished line stay unread as
// far as a restart is concerned).
class Stream final : public adapters::DecodeSink {
 public:
  // A `tracked` stream's progress asks for a full checkpoint (file feeds,
  // whose offsets are checkpointed, and HTTP bodies).
  Stream(Pipeline& pipeline, const Feed& feed, std::unique_ptr<adapters::Decoder> decoder,
         std::uint64_t base_offset, std::uint64_t base_line, bool tracked);

  // Decodes `bytes`; their events go through the engine before this returns.
  void feed(std::string_view bytes);
  // End of input: a last record without a line feed is decoded too.
  void finish();
  // Keeps up to `max` line errors for a report.
  void collect_errors(std::size_t max) { max_errors_ = max; }

  [[nodiscard]] std::uint64_t safe_offset() const { return safe_; }
  [[nodiscard]] std::uint64_t fed_offset() const { return fed_; }
  [[nodiscard]] std::uint64_t events() const { return events_; }
  [[nodiscard]] std::uint64_t duplicates() const { return duplicates_; }
  [[nodiscard]] std::uint64_t rejected() const { return rejected_; }
  [[nodiscard]] const std::vector<LineError>& errors() const { return errors_; }

 private:
  void on_event(const Event& event, const adapters::Position& pos) override;
  void on_dead_letter(const adapters::DeadLetter& dl) override;

  Pipeline& pipeline_;
  const Feed& feed_;
  std::unique_ptr<adapters::Decoder> decoder_;
  std::uint64_t base_;
  std::uint64_t base_line_;
  bool tracked_;
  std::uint64_t safe_;
  std::uint64_t fed_;
  std::uint64_t events_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t rejected_ = 0;
  std::size_t max_errors_ = 0;
  std::vector<LineError> errors_;
};

// Carries the writer's "committed" callback to the loop, and stops doing so
// once the loop is gone.
class CommitSignal {
 public:
  void connect(std::function<void()> on_commit);  // loop thread
  void fire();                                    // writer thread
  void disconnect();                              // loop thread, before the loop is destroyed

 private:
  std::mutex mu_;
  std::function<void()> on_commit_;
};

struct PipelineOptions {
  std::uint32_t commit_ms = 10;
  std::uint32_t commit_events = 10000;
  std::uint32_t state_ms = 5000;
  std::size_t queue_events = 65536;
  bool clock_watermark = false;
  DurationUs allowed_lateness = 0;
  std::vector<std::string> rule_paths;
};

class Pipeline {
 public:
  using OffsetCollector = std::function<void(std::vector<store::FeedOffset>&)>;

  Pipeline(boost::asio::io_context& io, PipelineOptions options, Metrics& metrics, Engine& engine,
           store::AlertWriter& writer, Worker& worker);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // The rule list recorded in the store: the set's rules, the engine's
  // built-in rules and the daemon's own (engine/reload-failed).
  [[nodiscard]] static std::vector<RuleInfo> recorded_rules(const RuleSet& rules,
                                                            const Engine& engine);

  // Arms the timers; `signal` is how the writer reports commits.
  void start(std::shared_ptr<CommitSignal> signal);

  // A stream of `feed` starting at `base_offset` (line `base_line` + 1);
  // nullptr when the feed's adapter has no decoder. File feeds and HTTP
  // bodies pass `tracked`: their events commit only in full checkpoints.
  std::unique_ptr<Stream> open_stream(const Feed& feed, std::uint64_t base_offset = 0,
                                      std::uint64_t base_line = 0, bool tracked = false);

  // Backpressure.
  [[nodiscard]] bool accepting() const;
  // Runs `resume` (posted) once accepting() is true again.
  void when_accepting(std::function<void()> resume);

  // Checkpoints. Sources with files register a collector that appends the
  // offsets that changed since its last call.
  std::size_t add_offsets(OffsetCollector collector);
  void remove_offsets(std::size_t id);
  // Something was queued that needs a commit (schedules a checkpoint);
  // `full`: the commit must carry the engine state and file offsets.
  void mark_dirty(bool full = false);
  // The number of the checkpoint that will cover what was processed so far.
  [[nodiscard]] std::uint64_t next_checkpoint() const { return submitted_ + 1; }
  // Runs `done` (posted) once checkpoint `seq` has committed.
  void when_committed(std::uint64_t seq, std::function<void()> done);
  // Called on the loop after the writer committed something.
  void on_writer_commit();

  // Loads the rule folders again (on the worker) and swaps the set in.
  void reload(std::string why);

  // Shutdown: a last checkpoint (with a run summary), then waits for the
  // writer. Returns false when something failed to commit.
  bool finish(const std::string& command);

  // Updates the metrics' gauges (queue depth, writer queue, watermark).
  void refresh_gauges();

  // Called with the store's reason when a commit failed: the daemon stops
  // without a last checkpoint, so a restart resumes from the last good one.
  // Nothing waiting for that checkpoint (an HTTP body) is told it committed.
  std::function<void(std::string)> on_fatal;

  // Used by Stream.
  bool process(const Event& event);
  void dead_letter(const Feed& feed, const adapters::DeadLetter& dl, std::uint64_t line,
                   std::uint64_t offset);
  void after_chunk();
  void file_progress() { full_needed_ = true; }

 private:
  class Sink;
  struct Pending {
    std::uint64_t seq;
    std::uint64_t events;  // events_ when it was queued
    std::chrono::steady_clock::time_point queued;
  };

  void checkpoint(bool force = false);
  void arm_checkpoint_timer();
  void on_tick();
  void poll_commits();
  void resume_waiters();
  void post_guarded(std::function<void()> fn);
  void on_reloaded(std::shared_ptr<const RuleSet> rules, Diagnostics diags, std::string why);
  void raise_reload_failed(const Diagnostics& diags);

  boost::asio::io_context& io_;
  PipelineOptions options_;
  Metrics& metrics_;
  Engine& engine_;
  store::AlertWriter& writer_;
  Worker& worker_;
  std::unique_ptr<Sink> sink_;
  std::shared_ptr<CommitSignal> signal_;

  boost::asio::steady_timer checkpoint_timer_;
  boost::asio::steady_timer tick_timer_;
  bool timer_armed_ = false;
  std::uint64_t timer_gen_ = 0;
  TimeUs started_at_ = 0;
  // Full checkpoints are spaced so that saving the engine state takes at
  // most a tenth of the loop's time: no sooner than last_full_ + save_guard_.
  std::chrono::steady_clock::time_point last_full_{};
  std::chrono::steady_clock::duration save_guard_{};
  bool full_needed_ = false;   // file offsets moved, or an HTTP body waits
  bool state_behind_ = false;  // light checkpoints since the last full one
  [[nodiscard]] bool full_due(std::chrono::steady_clock::time_point now) const;
  std::uint64_t ticks_ = 0;
  std::uint64_t logged_events_ = 0;
  bool dirty_ = false;
  bool due_ = false;
  bool finished_ = false;

  std::uint64_t events_ = 0;            // events and dead letters processed
  std::uint64_t since_checkpoint_ = 0;  // of those, since the last checkpoint
  std::uint64_t committed_events_ = 0;  // covered by committed checkpoints
  std::uint64_t submitted_ = 0;         // checkpoints queued
  std::uint64_t committed_ = 0;         // checkpoints committed
  std::uint64_t base_batches_ = 0;      // writer transactions before the first checkpoint
  std::uint64_t failed_seen_ = 0;
  std::deque<Pending> pending_;
  std::deque<std::pair<std::uint64_t, std::function<void()>>> commit_waiters_;
  std::vector<std::function<void()>> accept_waiters_;
  bool paused_ = false;

  std::map<std::size_t, OffsetCollector> collectors_;
  std::size_t next_collector_ = 1;
  std::vector<store::FeedOffset> offsets_;  // reused

  bool reloading_ = false;
  std::string reload_again_;  // a reload requested while one ran
  std::uint64_t dead_logged_ = 0;
};

}  // namespace flashpoint::daemon
