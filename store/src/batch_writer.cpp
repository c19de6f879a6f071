#include <type_traits>
#include <utility>

#include "batch.hpp"
#include "flashpoint/engine/time.hpp"
#include "flashpoint/store/format.hpp"

namespace flashpoint::store::detail {
namespace {

constexpr std::size_t kKeepRawCapacity = 64 * 1024;

void json_array(std::string& out, const std::vector<std::string>& items) {
  out.clear();
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, items[i]);
  }
  out += ']';
}

}  // namespace

AlertRec& Batch::add_alert() {
  if (alert_count == alerts.size()) alerts.emplace_back();
  return alerts[alert_count++];
}

EvidenceRec& Batch::add_evidence() {
  if (evidence_count == evidence.size()) evidence.emplace_back();
  return evidence[evidence_count++];
}

void Batch::clear() {
  for (std::size_t i = 0; i < evidence_count; ++i) {
    if (evidence[i].raw.capacity() > kKeepRawCapacity) std::string().swap(evidence[i].raw);
  }
  alert_count = 0;
  evidence_count = 0;
  ops.clear();
  seq = 0;
}

Result<std::unique_ptr<BatchWriter>> BatchWriter::create(Database db) {
  if (db.mode() != OpenMode::read_write) {
    return Status(StatusCode::invalid_argument, "the alert writer needs a read-write database");
  }
  std::unique_ptr<BatchWriter> w(new BatchWriter(std::move(db)));
  if (Status st = w->prepare_all(); !st.ok()) return st;
  w->checkpointer_ = Checkpointer::start(w->db_.handle(), w->db_.path());
  return w;
}

Status BatchWriter::prepare_insert(sqlite3* db, std::string_view head, int columns, Insert& out) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) row += c == 0 ? "?" : ", ?";
  row += ')';
  std::string many(head);
  for (std::size_t r = 0; r < kChunkRows; ++r) {
    many += r == 0 ? " VALUES " : ", ";
    many += row;
  }
  auto one = Stmt::prepare(db, std::string(head) + " VALUES " + row);
  if (!one.ok()) return one.status();
  auto chunk = Stmt::prepare(db, many);
  if (!chunk.ok()) return chunk.status();
  out.one = std::move(one).value();
  out.many = std::move(chunk).value();
  out.columns = columns;
  return {};
}

Status BatchWriter::prepare_all() {
  sqlite3* db = db_.handle();
  const std::pair<Stmt*, std::string_view> all[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&max_id_, "SELECT coalesce(max(id), 0) FROM alerts"},
      {&dead_letter_,
       "INSERT INTO dead_letters (feed, line, byte_offset, reason, raw, received_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&offset_,
       "INSERT INTO feed_offsets (feed, file, \"offset\", updated_at) VALUES (?1, ?2, ?3, ?4) "
       "ON CONFLICT (feed, file) DO UPDATE SET \"offset\" = excluded.\"offset\", "
       "updated_at = excluded.updated_at"},
      {&state_,
       "INSERT INTO engine_state (name, \"blob\", saved_at) VALUES (?1, ?2, ?3) "
       "ON CONFLICT (name) DO UPDATE SET \"blob\" = excluded.\"blob\", "
       "saved_at = excluded.saved_at"},
      {&rule_,
       "INSERT OR IGNORE INTO rules (rule_id, hash, title, severity, claims, tags, rationale, "
       "message, file, line, definition, first_seen) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"},
      {&run_,
       "INSERT INTO runs (started_at, finished_at, command, events, alerts, dead_letters, "
       "duplicates) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&tension_,
       "INSERT INTO tension (pair, time_us, time, score, level, weight, rule_id, source, "
       "event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
  };
  for (const auto& [stmt, sql] : all) {
    auto prepared = Stmt::prepare(db, sql);
    if (!prepared.ok()) return prepared.status();
    *stmt = std::move(prepared).value();
  }
  // OR FAIL instead of the default OR ABORT: a multi-row INSERT that may
  // abort keeps a statement journal (a copy of every page it touches); we
  // roll the whole transaction back on any error, so we need none.
  if (Status st = prepare_insert(db,
                                 "INSERT OR FAIL INTO alerts (rule_id, rule_hash, severity, "
                                 "severity_rank, title, message, \"key\", event_time, "
                                 "event_time_us, fired_at, depth)",
                                 11, alerts_);
      !st.ok()) {
    return st;
  }
  if (Status st = prepare_insert(
          db, "INSERT OR IGNORE INTO events (source, event_id, time_us, kind, raw)", 5, events_);
      !st.ok()) {
    return st;
  }
  return prepare_insert(db, "INSERT OR FAIL INTO alert_evidence (alert_id, seq, source, event_id)",
                        4, evidence_);
}

template <typename Bind>
Status BatchWriter::insert_rows(Insert& insert, std::size_t count, std::string_view what,
                                Bind bind) {
  for (std::size_t i = 0; i < count;) {
    const bool chunk = count - i >= kChunkRows;
    Stmt& stmt = chunk ? insert.many : insert.one;
    const std::size_t rows = chunk ? kChunkRows : 1;
    for (std::size_t r = 0; r < rows; ++r) {
      bind(stmt, static_cast<int>(r) * insert.columns, r, i + r);
    }
    if (Status st = stmt.run(what); !st.ok()) return st;
    i += rows;
  }
  return {};
}

Status BatchWriter::write(const Batch& batch) {
  if (Status st = begin_.run("begin"); !st.ok()) return st;
  Status st = write_body(batch);
  if (st.ok()) st = commit_.run("commit");
  if (!st.ok() && !sqlite3_get_autocommit(db_.handle())) (void)rollback_.run("rollback");
  if (st.ok() && checkpointer_) checkpointer_->after_commit();
  return st;
}

Status BatchWriter::write_body(const Batch& batch) {
  if (batch.alert_count > 0) {
    if (Status st = write_alerts(batch); !st.ok()) return st;
  }
  for (const Op& op : batch.ops) {
    if (Status st = write_op(op); !st.ok()) return st;
  }
  return {};
}

// Alerts first (SQLite assigns their ids), then the evidence events, then
// the evidence rows that link the two.
Status BatchWriter::write_alerts(const Batch& batch) {
  sqlite3* db = db_.handle();
  std::int64_t before = 0;
  {
    ResetOnExit reset(max_id_);
    const int rc = max_id_.step();
    if (rc != SQLITE_ROW) return check(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, "read max id");
    before = max_id_.int64(0);
  }
  Status st = insert_rows(alerts_, batch.alert_count, "insert alerts",
                          [&](Stmt& s, int p, std::size_t slot, std::size_t i) {
                            const AlertRec& a = batch.alerts[i];
                            s.bind_text(p + 1, a.rule_id);
                            s.bind_text(p + 2, a.rule_hash);
                            s.bind_text(p + 3, to_string(a.severity));
                            s.bind_int(p + 4, static_cast<std::int64_t>(a.severity));
                            s.bind_text(p + 5, a.title);
                            s.bind_text(p + 6, a.message);
                            s.bind_text(p + 7, a.key);
                            s.bind_text(p + 8, times_[2 * slot].format(a.event_time));
                            s.bind_int(p + 9, a.event_time);
                            s.bind_text(p + 10, times_[2 * slot + 1].format(a.fired_at));
                            s.bind_int(p + 11, a.depth);
                          });
  if (!st.ok()) return st;
  // Each new rowid is one above the largest so far, so the batch's alerts
  // got before+1 .. before+n in order; anything else is an error.
  const auto n = static_cast<std::int64_t>(batch.alert_count);
  if (sqlite3_last_insert_rowid(db) != before + n) {
    return {StatusCode::sqlite_error, "alert ids were not assigned consecutively"};
  }

  st = insert_rows(events_, batch.evidence_count, "insert events",
                   [&](Stmt& s, int p, std::size_t, std::size_t i) {
                     const EvidenceRec& e = batch.evidence[i];
                     s.bind_text(p + 1, e.source);
                     s.bind_text(p + 2, e.event_id);
                     s.bind_int(p + 3, e.time);
                     s.bind_text(p + 4, e.kind);
                     s.bind_text(p + 5, e.raw);
                   });
  if (!st.ok()) return st;

  // Evidence row i belongs to the alert whose [begin, end) holds it.
  std::size_t alert = 0;
  return insert_rows(evidence_, batch.evidence_count, "insert evidence",
                     [&](Stmt& s, int p, std::size_t, std::size_t i) {
                       while (batch.alerts[alert].evidence_end <= i) ++alert;
                       const AlertRec& a = batch.alerts[alert];
                       const EvidenceRec& e = batch.evidence[i];
                       s.bind_int(p + 1, before + 1 + static_cast<std::int64_t>(alert));
                       s.bind_int(p + 2, static_cast<std::int64_t>(i - a.evidence_begin));
                       s.bind_text(p + 3, e.source);
                       s.bind_text(p + 4, e.event_id);
                     });
}

Status BatchWriter::write_op(const Op& op) {
  return std::visit(
      [&](const auto& v) -> Status {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, DeadLetter>) {
          dead_letter_.bind_text(1, v.feed);
          dead_letter_.bind_int(2, v.line);
          dead_letter_.bind_int(3, v.byte_offset);
          dead_letter_.bind_text(4, v.reason);
          dead_letter_.bind_text(5, v.raw);
          dead_letter_.bind_text(6, v.received_at);
          return dead_letter_.run("insert dead letter");
        } else if constexpr (std::is_same_v<T, FeedOffset>) {
          offset_.bind_text(1, v.feed);
          offset_.bind_text(2, v.file);
          offset_.bind_int(3, v.offset);
          offset_.bind_text(4, v.updated_at);
          return offset_.run("store feed offset");
        } else if constexpr (std::is_same_v<T, StateOp>) {
          state_.bind_text(1, v.name);
          state_.bind_blob(2, v.blob);
          state_.bind_text(3, times_[0].format(v.saved_at));
          return state_.run("store engine state");
        } else if constexpr (std::is_same_v<T, RulesOp>) {
          return write_rules(v);
        } else if constexpr (std::is_same_v<T, RunSummary>) {
          run_.bind_text(1, times_[0].format(v.started_at));
          run_.bind_text(2, times_[1].format(v.finished_at));
          run_.bind_text(3, v.command);
          run_.bind_int(4, static_cast<std::int64_t>(v.events));
          run_.bind_int(5, static_cast<std::int64_t>(v.alerts));
          run_.bind_int(6, static_cast<std::int64_t>(v.dead_letters));
          run_.bind_int(7, static_cast<std::int64_t>(v.duplicates));
          return run_.run("insert run");
        } else {
          static_assert(std::is_same_v<T, TensionPoint>);
          tension_.bind_text(1, v.pair);
          tension_.bind_int(2, v.time);
          tension_.bind_text(3, times_[0].format(v.time));
          tension_.bind_real(4, v.score);
          tension_.bind_text(5, v.level);
          tension_.bind_real(6, v.weight);
          tension_.bind_text(7, v.rule_id);
          tension_.bind_text(8, v.source);
          tension_.bind_text(9, v.event_id);
          return tension_.run("insert tension");
        }
      },
      op);
}

Status BatchWriter::write_rules(const RulesOp& op) {
  const std::string_view first_seen = times_[0].format(op.first_seen);
  for (const RuleInfo& r : op.rules) {
    json_array(json_a_, r.claims);
    json_array(json_b_, r.tags);
    rule_.bind_text(1, r.id);
    rule_.bind_text(2, r.hash);
    rule_.bind_text(3, r.title);
    rule_.bind_text(4, to_string(r.severity));
    rule_.bind_text(5, json_a_);
    rule_.bind_text(6, json_b_);
    rule_.bind_text(7, r.rationale);
    rule_.bind_text(8, r.message);
    rule_.bind_text(9, r.loc.file);
    rule_.bind_int(10, r.loc.line);
    rule_.bind_text(11, r.definition);
    rule_.bind_text(12, first_seen);
    if (Status st = rule_.run("insert rule"); !st.ok()) return st;
  }
  return {};
}

}  // namespace flashpoint::store::detail
