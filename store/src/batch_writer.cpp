#include <type_traits>
#include <utility>

#include "batch.hpp"
#include "flashpoint/engine/time.hpp"
#include "flashpoint/store/format.hpp"

namespace flashpoint::store::detail {
namespace {

constexpr std::size_t kKeepRawCapacity = 64 * 1024;

void json_array(std::string& out, const std::vector<std::string>& items) {
  out.assign("[");
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
  return w;
}

Status BatchWriter::prepare_all() {
  sqlite3* db = db_.handle();
  const std::pair<Stmt*, std::string_view> all[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&alert_,
       "INSERT INTO alerts (rule_id, rule_hash, severity, severity_rank, title, message, \"key\", "
       "event_time, event_time_us, fired_at, depth) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
       "?10, ?11)"},
      {&evidence_,
       "INSERT INTO alert_evidence (alert_id, seq, source, event_id) VALUES (?1, ?2, ?3, ?4)"},
      {&event_,
       "INSERT OR IGNORE INTO events (source, event_id, time_us, kind, raw) "
       "VALUES (?1, ?2, ?3, ?4, ?5)"},
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
       "INSERT INTO tension (pair, time_us, time, score, level) VALUES (?1, ?2, ?3, ?4, ?5)"},
  };
  for (const auto& [stmt, sql] : all) {
    auto prepared = Stmt::prepare(db, sql);
    if (!prepared.ok()) return prepared.status();
    *stmt = std::move(prepared).value();
  }
  return {};
}

Status BatchWriter::write(const Batch& batch) {
  if (Status st = begin_.run("begin"); !st.ok()) return st;
  Status st = write_body(batch);
  if (st.ok()) st = commit_.run("commit");
  if (!st.ok() && !sqlite3_get_autocommit(db_.handle())) (void)rollback_.run("rollback");
  return st;
}

Status BatchWriter::write_body(const Batch& batch) {
  for (std::size_t i = 0; i < batch.alert_count; ++i) {
    if (Status st = write_alert(batch, batch.alerts[i]); !st.ok()) return st;
  }
  for (const Op& op : batch.ops) {
    if (Status st = write_op(op); !st.ok()) return st;
  }
  return {};
}

Status BatchWriter::write_alert(const Batch& batch, const AlertRec& a) {
  time_a_ = format_time(a.event_time);
  time_b_ = format_time(a.fired_at);
  alert_.bind_text(1, a.rule_id);
  alert_.bind_text(2, a.rule_hash);
  alert_.bind_text(3, to_string(a.severity));
  alert_.bind_int(4, static_cast<std::int64_t>(a.severity));
  alert_.bind_text(5, a.title);
  alert_.bind_text(6, a.message);
  alert_.bind_text(7, a.key);
  alert_.bind_text(8, time_a_);
  alert_.bind_int(9, a.event_time);
  alert_.bind_text(10, time_b_);
  alert_.bind_int(11, a.depth);
  if (Status st = alert_.run("insert alert"); !st.ok()) return st;
  const std::int64_t id = sqlite3_last_insert_rowid(db_.handle());

  for (std::size_t i = a.evidence_begin; i < a.evidence_end; ++i) {
    const EvidenceRec& e = batch.evidence[i];
    event_.bind_text(1, e.source);
    event_.bind_text(2, e.event_id);
    event_.bind_int(3, e.time);
    event_.bind_text(4, e.kind);
    event_.bind_text(5, e.raw);
    if (Status st = event_.run("insert event"); !st.ok()) return st;
    evidence_.bind_int(1, id);
    evidence_.bind_int(2, static_cast<std::int64_t>(i - a.evidence_begin));
    evidence_.bind_text(3, e.source);
    evidence_.bind_text(4, e.event_id);
    if (Status st = evidence_.run("insert evidence"); !st.ok()) return st;
  }
  return {};
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
          time_a_ = format_time(v.saved_at);
          state_.bind_text(1, v.name);
          state_.bind_blob(2, v.blob);
          state_.bind_text(3, time_a_);
          return state_.run("store engine state");
        } else if constexpr (std::is_same_v<T, RulesOp>) {
          return write_rules(v);
        } else if constexpr (std::is_same_v<T, RunSummary>) {
          time_a_ = format_time(v.started_at);
          time_b_ = format_time(v.finished_at);
          run_.bind_text(1, time_a_);
          run_.bind_text(2, time_b_);
          run_.bind_text(3, v.command);
          run_.bind_int(4, static_cast<std::int64_t>(v.events));
          run_.bind_int(5, static_cast<std::int64_t>(v.alerts));
          run_.bind_int(6, static_cast<std::int64_t>(v.dead_letters));
          run_.bind_int(7, static_cast<std::int64_t>(v.duplicates));
          return run_.run("insert run");
        } else {
          static_assert(std::is_same_v<T, TensionPoint>);
          time_a_ = format_time(v.time);
          tension_.bind_text(1, v.pair);
          tension_.bind_int(2, v.time);
          tension_.bind_text(3, time_a_);
          tension_.bind_real(4, v.score);
          tension_.bind_text(5, v.level);
          return tension_.run("insert tension");
        }
      },
      op);
}

Status BatchWriter::write_rules(const RulesOp& op) {
  std::string first_seen = format_time(op.first_seen);
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
