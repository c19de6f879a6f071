#include "flashpoint/store/query.hpp"

#include <map>
#include <utility>

#include "flashpoint/store/alert_writer.hpp"
#include "sqlite_util.hpp"
#include "time_text.hpp"

namespace flashpoint::store {
namespace {

constexpr std::string_view kAlertColumns =
    "SELECT id, rule_id, rule_hash, severity, title, message, \"key\", event_time, "
    "event_time_us, fired_at, status, note, depth FROM alerts";

constexpr std::string_view kRuleColumns =
    "SELECT rule_id, hash, title, severity, claims, tags, rationale, message, file, line, "
    "definition, first_seen FROM rules";

// The filters on what an alert is about. Claims and tags come from the rule
// version that fired (any stored version when the hash is unknown); actors
// and regions from the evidence events' stored JSON (and, for tension
// alerts, the pair in the key).
constexpr std::string_view kClaimCondition =
    "EXISTS (SELECT 1 FROM rules r, json_each(r.claims) j WHERE r.rule_id = alerts.rule_id "
    "AND (r.hash = alerts.rule_hash OR alerts.rule_hash = '') AND j.value = ?)";
constexpr std::string_view kTagCondition =
    "EXISTS (SELECT 1 FROM rules r, json_each(r.tags) j WHERE r.rule_id = alerts.rule_id "
    "AND (r.hash = alerts.rule_hash OR alerts.rule_hash = '') AND j.value = ?)";
constexpr int kActorParams = 4;
// The stored event JSON, or {} when it is missing or not JSON (json_each
// and json_extract fail on malformed text).
#define FP_RAW "(CASE WHEN json_valid(ev.raw) THEN ev.raw ELSE '{}' END)"
constexpr std::string_view kActorCondition =
    "(EXISTS (SELECT 1 FROM alert_evidence ae JOIN events ev ON ev.source = ae.source "
    "AND ev.event_id = ae.event_id WHERE ae.alert_id = alerts.id AND ("
    "EXISTS (SELECT 1 FROM json_each(" FP_RAW
    ", '$.actors') j WHERE j.value = ?) OR "
    "? IN (json_extract(" FP_RAW ", '$.initiator'), json_extract(" FP_RAW
    ", '$.target'), "
    "json_extract(" FP_RAW ", '$.supplier'), json_extract(" FP_RAW
    ", '$.recipient'), "
    "json_extract(" FP_RAW ", '$.end_user'), json_extract(" FP_RAW
    ", '$.host'), "
    "json_extract(" FP_RAW
    ", '$.speaker')))) OR "
    "(alerts.rule_id GLOB 'tension/*' AND (alerts.\"key\" = ? || '-' || substr(alerts.\"key\", "
    "instr(alerts.\"key\", '-') + 1) OR substr(alerts.\"key\", instr(alerts.\"key\", '-') + 1) = "
    "?)))";
constexpr std::string_view kRegionCondition =
    "EXISTS (SELECT 1 FROM alert_evidence ae JOIN events ev ON ev.source = ae.source "
    "AND ev.event_id = ae.event_id WHERE ae.alert_id = alerts.id "
    "AND json_extract(" FP_RAW ", '$.region') = ?)";

#undef FP_RAW

bool valid_status(std::string_view s) { return s == "open" || s == "acked" || s == "resolved"; }

Status bad_status(std::string_view s) {
  return {StatusCode::invalid_argument,
          "unknown status '" + std::string(s) + "' (expected open, acked or resolved)"};
}

// A JSON array of strings as stored in `rules`; lenient: bad JSON gives {}.
std::vector<std::string> json_list(Database::Impl& db, std::string_view json) {
  std::vector<std::string> out;
  auto stmt = db.cached("SELECT value FROM json_each(?1) WHERE type = 'text' ORDER BY key");
  if (!stmt.ok()) return out;
  detail::Stmt& s = **stmt;
  detail::ResetOnExit reset(s);
  s.bind_text(1, json);
  while (s.step() == SQLITE_ROW) out.push_back(s.str(0));
  return out;
}

RuleVersion read_rule(Database::Impl& db, const detail::Stmt& s) {
  RuleVersion r;
  r.rule_id = s.str(0);
  r.hash = s.str(1);
  r.title = s.str(2);
  r.severity = s.str(3);
  std::string claims = s.str(4);
  std::string tags = s.str(5);
  r.rationale = s.str(6);
  r.message = s.str(7);
  r.file = s.str(8);
  r.line = static_cast<int>(s.int64(9));
  r.definition = s.str(10);
  r.first_seen = s.str(11);
  r.claims = json_list(db, claims);
  r.tags = json_list(db, tags);
  return r;
}

// The version (rule_id, hash); with an empty hash, or when `fallback` and
// the exact version is missing, the newest stored version of rule_id.
Result<std::optional<RuleVersion>> find_rule(Database::Impl& db, std::string_view rule_id,
                                             std::string_view hash, bool fallback) {
  const bool exact = !hash.empty();
  for (int pass = exact ? 0 : 1; pass < 2; ++pass) {
    if (pass == 1 && exact && !fallback) break;
    std::string sql(kRuleColumns);
    sql += pass == 0 ? " WHERE rule_id = ?1 AND hash = ?2"
                     : " WHERE rule_id = ?1 ORDER BY rowid DESC LIMIT 1";
    auto stmt = db.cached(sql);
    if (!stmt.ok()) return stmt.status();
    detail::Stmt& s = **stmt;
    detail::ResetOnExit reset(s);
    s.bind_text(1, rule_id);
    if (pass == 0) s.bind_text(2, hash);
    int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<RuleVersion>(read_rule(db, s));
    if (Status st = detail::check(db.db.get(), rc, "read rule"); !st.ok()) return st;
  }
  return std::optional<RuleVersion>{};
}

Status read_evidence(const Database& db, AlertRow& row) {
  return detail::for_each_row(
      db, "SELECT source, event_id FROM alert_evidence WHERE alert_id = ?1 ORDER BY seq",
      "read evidence", [&](detail::Stmt& s) { s.bind_int(1, row.id); },
      [&](const detail::Stmt& s) {
        row.evidence_sources.push_back(s.str(0));
        row.evidence.push_back(s.str(1));
      });
}

}  // namespace

Result<std::vector<AlertRow>> query_alerts(const Database& db, const AlertFilter& filter) {
  if (!filter.status.empty() && !valid_status(filter.status)) return bad_status(filter.status);
  std::string sql(kAlertColumns);
  std::vector<std::string> conditions;
  if (filter.since) conditions.emplace_back("event_time_us >= ?");
  if (filter.until) conditions.emplace_back("event_time_us < ?");
  // The literal terms let SQLite use the partial indexes (see schema.cpp).
  if (filter.min_severity) {
    conditions.emplace_back("severity_rank >= ?");
    if (*filter.min_severity >= Severity::high) conditions.emplace_back("severity_rank >= 3");
  }
  if (!filter.rule_glob.empty()) conditions.emplace_back("rule_id GLOB ?");
  if (!filter.status.empty()) {
    conditions.emplace_back("status = ?");
    if (filter.status != "open") conditions.emplace_back("status <> 'open'");
  }
  if (filter.id) conditions.emplace_back("id = ?");
  if (!filter.claim.empty()) conditions.emplace_back(kClaimCondition);
  if (!filter.tag.empty()) conditions.emplace_back(kTagCondition);
  if (!filter.actor.empty()) conditions.emplace_back(kActorCondition);
  if (!filter.region.empty()) conditions.emplace_back(kRegionCondition);
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    sql += i == 0 ? " WHERE " : " AND ";
    sql += conditions[i];
  }
  if (filter.limit > 0) {
    sql = "SELECT * FROM (" + sql +
          " ORDER BY event_time_us DESC, id DESC LIMIT ?) ORDER BY event_time_us, id";
  } else {
    sql += " ORDER BY event_time_us, id";
  }

  Database::Impl& impl = db.impl();
  std::vector<AlertRow> rows;
  {
    auto stmt = impl.cached(sql);
    if (!stmt.ok()) return stmt.status();
    detail::Stmt& s = **stmt;
    detail::ResetOnExit reset(s);
    int n = 0;
    if (filter.since) s.bind_int(++n, *filter.since);
    if (filter.until) s.bind_int(++n, *filter.until);
    if (filter.min_severity) s.bind_int(++n, static_cast<std::int64_t>(*filter.min_severity));
    if (!filter.rule_glob.empty()) s.bind_text(++n, filter.rule_glob);
    if (!filter.status.empty()) s.bind_text(++n, filter.status);
    if (filter.id) s.bind_int(++n, *filter.id);
    if (!filter.claim.empty()) s.bind_text(++n, filter.claim);
    if (!filter.tag.empty()) s.bind_text(++n, filter.tag);
    if (!filter.actor.empty()) {
      for (int i = 0; i < kActorParams; ++i) s.bind_text(++n, filter.actor);
    }
    if (!filter.region.empty()) s.bind_text(++n, filter.region);
    if (filter.limit > 0) s.bind_int(++n, static_cast<std::int64_t>(filter.limit));
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      AlertRow& r = rows.emplace_back();
      r.id = s.int64(0);
      r.rule_id = s.str(1);
      r.rule_hash = s.str(2);
      r.severity = s.str(3);
      r.title = s.str(4);
      r.message = s.str(5);
      r.key = s.str(6);
      r.event_time = s.str(7);
      r.event_time_us = s.int64(8);
      r.fired_at = s.str(9);
      r.status = s.str(10);
      if (!s.is_null(11)) r.note = s.str(11);
      r.depth = static_cast<int>(s.int64(12));
    }
    if (Status st = detail::check(impl.db.get(), rc, "query alerts"); !st.ok()) return st;
  }

  std::map<std::pair<std::string, std::string>, std::optional<RuleVersion>> rules;
  for (AlertRow& r : rows) {
    if (Status st = read_evidence(db, r); !st.ok()) return st;
    auto key = std::make_pair(r.rule_id, r.rule_hash);
    auto it = rules.find(key);
    if (it == rules.end()) {
      auto rule = find_rule(impl, r.rule_id, r.rule_hash, /*fallback=*/true);
      if (!rule.ok()) return rule.status();
      it = rules.emplace(std::move(key), std::move(rule).value()).first;
    }
    if (it->second) {
      r.claims = it->second->claims;
      r.tags = it->second->tags;
    }
  }
  return rows;
}

Result<std::optional<RuleVersion>> get_rule(const Database& db, std::string_view rule_id,
                                            std::string_view hash) {
  return find_rule(db.impl(), rule_id, hash, /*fallback=*/false);
}

Result<AlertDetail> get_alert(const Database& db, std::int64_t id) {
  AlertFilter filter;
  filter.id = id;
  auto rows = query_alerts(db, filter);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return Status(StatusCode::not_found, "no alert with id " + std::to_string(id));
  }
  AlertDetail detail;
  detail.alert = std::move(rows->front());
  Database::Impl& impl = db.impl();
  auto rule = find_rule(impl, detail.alert.rule_id, detail.alert.rule_hash, /*fallback=*/true);
  if (!rule.ok()) return rule.status();
  detail.rule = std::move(rule).value();

  auto stmt = impl.cached(
      "SELECT e.seq, e.source, e.event_id, COALESCE(ev.time_us, 0), COALESCE(ev.kind, ''), "
      "COALESCE(ev.raw, ''), CASE WHEN json_valid(ev.raw) THEN json(ev.raw) ELSE '' END "
      "FROM alert_evidence e LEFT JOIN events ev "
      "ON ev.source = e.source AND ev.event_id = e.event_id WHERE e.alert_id = ?1 ORDER BY e.seq");
  if (!stmt.ok()) return stmt.status();
  detail::Stmt& s = **stmt;
  detail::ResetOnExit reset(s);
  s.bind_int(1, id);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    detail.events.push_back(StoredEvent{static_cast<int>(s.int64(0)), s.str(1), s.str(2),
                                        s.int64(3), s.str(4), s.str(5), s.str(6)});
  }
  if (Status st = detail::check(impl.db.get(), rc, "read evidence events"); !st.ok()) return st;

  // An alert event's id is "<rule>:<trigger source>/<trigger id>" and its
  // time the alert's event time: the alert row with that rule, time and
  // trigger (its last evidence) is the one it stands for.
  for (StoredEvent& e : detail.events) {
    if (e.kind != "alert" || e.source != "flashpoint") continue;
    const auto colon = e.event_id.find(':');
    if (colon == std::string::npos) continue;
    const std::string rule = e.event_id.substr(0, colon);
    const std::string trigger = e.event_id.substr(colon + 1);
    Status st = detail::for_each_row(
        db,
        "SELECT a.id FROM alerts a JOIN alert_evidence t ON t.alert_id = a.id "
        "WHERE a.rule_id = ?1 AND a.event_time_us = ?2 AND t.source || '/' || t.event_id = ?3 "
        "AND t.seq = (SELECT max(seq) FROM alert_evidence WHERE alert_id = a.id) "
        "ORDER BY a.id LIMIT 1",
        "find evidence alert",
        [&](detail::Stmt& q) {
          q.bind_text(1, rule);
          q.bind_int(2, e.time_us);
          q.bind_text(3, trigger);
        },
        [&](detail::Stmt& q) { e.alert_id = q.int64(0); });
    if (!st.ok()) return st;
  }

  // The tension the alert's rule added when this trigger (the last evidence
  // event) fired it.
  if (!detail.alert.evidence.empty()) {
    Status st = detail::for_each_row(
        db,
        "SELECT pair, weight, score, level FROM tension WHERE event_id = ?1 AND source = ?2 "
        "AND rule_id = ?3 AND time_us = ?4 AND weight <> 0 ORDER BY pair, id",
        "read tension",
        [&](detail::Stmt& q) {
          q.bind_text(1, detail.alert.evidence.back());
          q.bind_text(2, detail.alert.evidence_sources.back());
          q.bind_text(3, detail.alert.rule_id);
          q.bind_int(4, detail.alert.event_time_us);
        },
        [&](detail::Stmt& q) {
          detail.tension.push_back(TensionContribution{q.str(0), q.real(1), q.real(2), q.str(3)});
        });
    if (!st.ok()) return st;
  }
  auto log = alert_log(db, id);
  if (!log.ok()) return log.status();
  detail.log = std::move(log).value();
  return detail;
}

Status set_alert_status(Database& db, std::int64_t id, std::string_view status,
                        const std::optional<std::string>& note, std::string_view by) {
  if (!valid_status(status)) return bad_status(status);
  if (db.mode() != OpenMode::read_write) {
    return {StatusCode::invalid_argument, "changing an alert needs a read-write database"};
  }
  Database::Impl& impl = db.impl();
  sqlite3* raw = impl.db.get();
  // One write transaction: the status, the note and the history agree.
  return detail::in_transaction(raw, [&]() -> Status {
    std::string from;
    {
      auto stmt = impl.cached("SELECT status FROM alerts WHERE id = ?1");
      if (!stmt.ok()) return stmt.status();
      detail::Stmt& s = **stmt;
      detail::ResetOnExit reset(s);
      s.bind_int(1, id);
      const int rc = s.step();
      if (rc == SQLITE_DONE) {
        return {StatusCode::not_found, "no alert with id " + std::to_string(id)};
      }
      if (rc != SQLITE_ROW) return detail::check(raw, rc, "read alert");
      from = s.str(0);
    }
    {
      auto stmt =
          impl.cached("UPDATE alerts SET status = ?1, note = COALESCE(?2, note) WHERE id = ?3");
      if (!stmt.ok()) return stmt.status();
      detail::Stmt& s = **stmt;
      s.bind_text(1, status);
      s.bind_optional_text(2, note);
      s.bind_int(3, id);
      if (Status st = s.run("update alert"); !st.ok()) return st;
    }
    auto stmt = impl.cached(
        "INSERT INTO alert_log (alert_id, at, who, from_status, to_status, note) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt.ok()) return stmt.status();
    detail::Stmt& s = **stmt;
    detail::TimeText now;
    s.bind_int(1, id);
    s.bind_text(2, now.format(system_clock_now()));
    s.bind_text(3, by);
    s.bind_text(4, from);
    s.bind_text(5, status);
    s.bind_optional_text(6, note);
    return s.run("insert alert_log");
  });
}

Result<std::vector<AlertLogEntry>> alert_log(const Database& db, std::int64_t id) {
  std::vector<AlertLogEntry> out;
  Status st = detail::for_each_row(
      db,
      "SELECT id, alert_id, at, who, from_status, to_status, note FROM alert_log "
      "WHERE alert_id = ?1 ORDER BY id",
      "read alert_log", [&](detail::Stmt& s) { s.bind_int(1, id); },
      [&](detail::Stmt& s) {
        AlertLogEntry& e = out.emplace_back();
        e.id = s.int64(0);
        e.alert_id = s.int64(1);
        e.at = s.str(2);
        e.by = s.str(3);
        e.from_status = s.str(4);
        e.to_status = s.str(5);
        if (!s.is_null(6)) e.note = s.str(6);
      });
  if (!st.ok()) return st;
  return out;
}

}  // namespace flashpoint::store
