// AlertWriter: the engine's AlertSink backed by SQLite, with group commit.
//
// on_alert copies the alert and its evidence into the open batch (buffers
// are reused, so a warm writer does not allocate) and returns. A dedicated
// writer thread takes batches from a bounded queue and writes each in one
// transaction with statements prepared once: the alert row (its id assigned
// by SQLite), one alert_evidence row per evidence event (seq = the order
// given) and each evidence event's raw JSON in `events` (INSERT OR IGNORE,
// so an event that is evidence of many alerts is stored once).
//
// Every other write (dead letters, feed offsets, engine state, rule
// versions, run summaries, tension points) goes through the same queue, so
// order holds: a record is committed in the same transaction as the alerts
// queued just before it, or a later one; never before them.
// write_checkpoint puts engine state and feed offsets in one transaction;
// with checkpoint_transactions, also every alert and record queued since the
// previous checkpoint, so state, offsets and alerts always agree.
//
// WAL checkpoints (copying the WAL into the database) run on a second thread
// with its own connection, so they do not stall the writer.
//
// When the queue is full, producers wait (counted in stats().stalls). A
// batch that fails is rolled back and retried; after the last attempt it is
// dropped and counted, and flush() reports the error. From then on the
// writer writes nothing more: every later batch is dropped (counted, and
// reported by flush()) without touching the database, so a later
// transaction (a checkpoint's offsets and engine state) never commits past
// alerts that were lost. failure() tells why.
//
// Thread-safety: every public method may be called from any thread (an
// internal mutex serialises them); alerts from one thread keep their order.
// The destructor flushes and joins the writer thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "flashpoint/engine/alert.hpp"
#include "flashpoint/engine/rule_set.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/records.hpp"
#include "flashpoint/store/status.hpp"

namespace flashpoint::store {

// The wall clock, in microseconds since the epoch (fired_at, received_at...).
using Clock = std::function<TimeUs()>;
TimeUs system_clock_now();

struct AlertWriterOptions {
  std::size_t batch_alerts = 2048;              // most alerts in one transaction
  std::size_t max_queued_batches = 4;           // full batches waiting; producers wait beyond
  int max_attempts = 3;                         // tries per batch before it is dropped
  std::size_t max_dead_letter_raw = 64 * 1024;  // bytes of a dead letter's line kept
  Clock clock;                                  // default: system_clock_now
  // Called on the writer thread after each batch is finished: committed, or
  // dropped after its last attempt (see stats()). For wake-ups, metrics and
  // tests; it must not call back into the writer.
  std::function<void()> after_commit;
  // When true, the writer never commits a partial batch on its own:
  // everything queued between two write_checkpoint() calls commits in one
  // transaction with that checkpoint (batch_alerts does not split it);
  // flush() also ends a transaction.
  bool checkpoint_transactions = false;
};

struct AlertWriterStats {
  std::uint64_t queued_alerts = 0;      // accepted by on_alert
  std::uint64_t queued_records = 0;     // other writes accepted
  std::uint64_t committed_alerts = 0;   // written and committed
  std::uint64_t batches_committed = 0;  // transactions committed
  std::uint64_t failed_batches = 0;     // dropped after max_attempts
  std::uint64_t dropped_alerts = 0;     // alerts in dropped batches
  std::uint64_t retries = 0;            // batch attempts that failed and were retried
  std::uint64_t max_depth = 0;          // most alerts queued but not committed at once
  std::uint64_t stalls = 0;             // times a producer waited for room
};

namespace detail {
struct Batch;
class BatchWriter;
}  // namespace detail

class AlertWriter final : public AlertSink {
 public:
  // Opens `path` read-write (creating and migrating it) and starts the writer.
  static Result<std::unique_ptr<AlertWriter>> open(const std::string& path,
                                                   AlertWriterOptions options = {});
  // Takes over an open read-write database and starts the writer.
  static Result<std::unique_ptr<AlertWriter>> create(Database db, AlertWriterOptions options = {});

  ~AlertWriter() override;
  AlertWriter(const AlertWriter&) = delete;
  AlertWriter& operator=(const AlertWriter&) = delete;

  void on_alert(const Alert& alert, std::span<const Event* const> evidence) override;
  // Stores the point in `tension` (as write_tension).
  void on_tension(const TensionChange& change) override;

  // The writer sets received_at / updated_at / saved_at from its clock.
  void write_dead_letter(const DeadLetter& letter);
  void write_feed_offset(std::string_view feed, std::string_view file, std::int64_t offset);
  // The blob is taken (moved into the batch): a large state is not copied.
  void write_engine_state(std::string_view name, std::string blob);
  // Engine state (skipped when `name` is empty) and feed offsets, committed
  // together in one transaction; with checkpoint_transactions it ends the
  // transaction (the other writes never do).
  void write_checkpoint(std::string_view name, std::string blob,
                        std::span<const FeedOffset> offsets);
  // Stores every rule version (INSERT OR IGNORE on (rule_id, hash)) and
  // remembers the hashes: later alerts carry their rule's hash.
  void record_rules(const std::vector<RuleInfo>& rules);
  void record_rules(const RuleSet& rules) { record_rules(rules.rules()); }
  void write_run(const RunSummary& run);
  void write_tension(const TensionPoint& point);

  // Blocks until everything queued before the call is committed (or
  // dropped). Returns the first error since the previous flush, or ok.
  Status flush();

  [[nodiscard]] AlertWriterStats stats() const;
  // The failure that stopped the writer (the first batch dropped), or ok.
  [[nodiscard]] Status failure() const;

 private:
  AlertWriter(std::unique_ptr<detail::BatchWriter> writer, AlertWriterOptions options);

  detail::Batch& open_batch(std::unique_lock<std::mutex>& lock);
  void seal_open(std::unique_lock<std::mutex>& lock);
  void after_enqueue(bool was_empty);
  void enqueue_checkpoint(std::string_view name, std::string blob,
                          std::span<const FeedOffset> offsets, bool ends_transaction);
  std::unique_ptr<detail::Batch> take_free();
  void recycle(std::unique_ptr<detail::Batch> batch);
  const std::string& rule_hash(const Alert& alert) const;
  void run();

  AlertWriterOptions options_;
  std::unique_ptr<detail::BatchWriter> writer_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // the writer waits for work
  std::condition_variable done_cv_;  // producers wait for room or commits
  std::unique_ptr<detail::Batch> open_;
  std::deque<std::unique_ptr<detail::Batch>> sealed_;
  std::vector<std::unique_ptr<detail::Batch>> free_;
  std::uint64_t sealed_seq_ = 0;     // batches handed to the writer so far
  std::uint64_t committed_seq_ = 0;  // batches finished (committed or dropped)
  bool writer_waiting_ = false;
  bool stop_ = false;
  Status error_;    // first failure since the last flush
  Status failure_;  // the first failure ever: nothing is written after it
  AlertWriterStats stats_;

  std::vector<std::string> rule_ids_;     // by rule index
  std::vector<std::string> rule_hashes_;  // by rule index
  std::unordered_map<std::string, std::string> hash_by_id_;

  std::thread thread_;
};

}  // namespace flashpoint::store
