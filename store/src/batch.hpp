// Store-private: the unit of work AlertWriter hands its writer thread, and
// the BatchWriter that writes one batch per transaction.
//
// A Batch is filled by producers under AlertWriter's mutex and then owned by
// the writer thread; its entries are reused (strings keep their capacity),
// so a warm writer does not allocate. BatchWriter is used by the writer
// thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "checkpointer.hpp"
#include "flashpoint/engine/alert.hpp"
#include "flashpoint/engine/rule_set.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/records.hpp"
#include "flashpoint/store/status.hpp"
#include "sqlite_util.hpp"
#include "time_text.hpp"

namespace flashpoint::store::detail {

struct AlertRec {
  std::string rule_id;
  std::string rule_hash;
  std::string title;
  std::string message;
  std::string key;
  Severity severity = Severity::medium;
  TimeUs event_time = 0;
  TimeUs fired_at = 0;
  std::uint8_t depth = 0;
  std::size_t evidence_begin = 0;  // [begin, end) in Batch::evidence
  std::size_t evidence_end = 0;
};

struct EvidenceRec {
  std::string source;
  std::string event_id;
  std::string kind;
  std::string raw;
  TimeUs time = 0;
};

struct StateOp {
  std::string name;
  std::string blob;
  TimeUs saved_at = 0;
};

struct RulesOp {
  std::vector<RuleInfo> rules;
  TimeUs first_seen = 0;
};

using Op = std::variant<DeadLetter, FeedOffset, StateOp, RulesOp, RunSummary, TensionPoint>;

struct Batch {
  std::uint64_t seq = 0;  // order of hand-over to the writer thread
  std::vector<AlertRec> alerts;
  std::size_t alert_count = 0;  // live entries in `alerts` (the rest are spare)
  std::vector<EvidenceRec> evidence;
  std::size_t evidence_count = 0;
  std::vector<Op> ops;  // every other write, in call order

  [[nodiscard]] bool empty() const { return alert_count == 0 && ops.empty(); }
  AlertRec& add_alert();
  EvidenceRec& add_evidence();
  // Forgets the contents, keeping capacity (but not of huge raw events).
  void clear();
};

class BatchWriter {
 public:
  static Result<std::unique_ptr<BatchWriter>> create(Database db);

  // Writes the batch in one transaction; rolls back on failure.
  Status write(const Batch& batch);

 private:
  // Rows go in `kChunkRows` at a time through a multi-row INSERT; the rest
  // one at a time.
  static constexpr std::size_t kChunkRows = 32;
  struct Insert {
    Stmt one;
    Stmt many;
    int columns = 0;
  };

  explicit BatchWriter(Database db) : db_(std::move(db)) {}
  Status prepare_all();
  static Status prepare_insert(sqlite3* db, std::string_view head, int columns, Insert& out);
  template <typename Bind>
  static Status insert_rows(Insert& insert, std::size_t count, std::string_view what, Bind bind);
  Status write_body(const Batch& batch);
  Status write_alerts(const Batch& batch);
  Status write_op(const Op& op);
  Status write_rules(const RulesOp& op);

  Database db_;
  Stmt begin_, commit_, rollback_, max_id_;
  Insert alerts_, events_, evidence_;
  Stmt dead_letter_, offset_, state_, rule_, run_, tension_;
  TimeText times_[2 * kChunkRows];              // time texts bound to the current chunk
  std::string json_a_, json_b_;                 // scratch text
  std::unique_ptr<Checkpointer> checkpointer_;  // after db_: stops before it closes
};

}  // namespace flashpoint::store::detail
