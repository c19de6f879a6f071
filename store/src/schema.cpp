#include "flashpoint/store/schema.hpp"

#include <array>

namespace flashpoint::store {
namespace {

// Version 1. Every table is documented in docs/schema.md; keep them in step.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE rules (
  rule_id    TEXT NOT NULL,
  hash       TEXT NOT NULL,
  title      TEXT NOT NULL,
  severity   TEXT NOT NULL,
  claims     TEXT NOT NULL DEFAULT '[]',
  tags       TEXT NOT NULL DEFAULT '[]',
  rationale  TEXT NOT NULL DEFAULT '',
  message    TEXT NOT NULL DEFAULT '',
  file       TEXT NOT NULL DEFAULT '',
  line       INTEGER NOT NULL DEFAULT 0,
  definition TEXT NOT NULL DEFAULT '',
  first_seen TEXT NOT NULL,
  PRIMARY KEY (rule_id, hash)
);

CREATE TABLE alerts (
  id            INTEGER PRIMARY KEY,
  rule_id       TEXT NOT NULL,
  rule_hash     TEXT NOT NULL DEFAULT '',
  severity      TEXT NOT NULL,
  severity_rank INTEGER NOT NULL CHECK (severity_rank BETWEEN 0 AND 4),
  title         TEXT NOT NULL,
  message       TEXT NOT NULL,
  "key"         TEXT NOT NULL DEFAULT '',
  event_time    TEXT NOT NULL,
  event_time_us INTEGER NOT NULL,
  fired_at      TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'open'
                CHECK (status = 'open' OR status = 'acked' OR status = 'resolved'),
  note          TEXT,
  depth         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_by_time ON alerts (event_time_us);
CREATE INDEX alerts_by_rule ON alerts (rule_id, event_time_us);
-- Partial indexes: new alerts are mostly 'open' and below 'high', so these
-- cost little at insert time and serve the selective filters.
CREATE INDEX alerts_severe ON alerts (event_time_us) WHERE severity_rank >= 3;
CREATE INDEX alerts_closed ON alerts (status, event_time_us) WHERE status <> 'open';

CREATE TABLE alert_evidence (
  alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  source   TEXT NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY (alert_id, seq)
) WITHOUT ROWID;

CREATE TABLE events (
  source   TEXT NOT NULL,
  event_id TEXT NOT NULL,
  time_us  INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  raw      TEXT NOT NULL,
  PRIMARY KEY (source, event_id)
);

CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY,
  feed        TEXT NOT NULL,
  line        INTEGER NOT NULL DEFAULT 0,
  byte_offset INTEGER NOT NULL DEFAULT 0,
  reason      TEXT NOT NULL,
  raw         TEXT NOT NULL,
  received_at TEXT NOT NULL
);

CREATE TABLE feed_offsets (
  feed       TEXT NOT NULL,
  file       TEXT NOT NULL DEFAULT '',
  "offset"   INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (feed, file)
);

CREATE TABLE engine_state (
  name     TEXT PRIMARY KEY,
  "blob"   BLOB NOT NULL,
  saved_at TEXT NOT NULL
);

CREATE TABLE tension (
  id      INTEGER PRIMARY KEY,
  pair    TEXT NOT NULL,
  time_us INTEGER NOT NULL,
  time    TEXT NOT NULL,
  score   REAL NOT NULL,
  level   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tension_by_pair ON tension (pair, time_us);

CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  finished_at  TEXT NOT NULL,
  command      TEXT NOT NULL,
  events       INTEGER NOT NULL DEFAULT 0,
  alerts       INTEGER NOT NULL DEFAULT 0,
  dead_letters INTEGER NOT NULL DEFAULT 0,
  duplicates   INTEGER NOT NULL DEFAULT 0
);
)sql";

// Version 2: the alert lifecycle history, what each tension change came
// from, and the views for sqlite3 users.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE alert_log (
  id          INTEGER PRIMARY KEY,
  alert_id    INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  who         TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status   TEXT NOT NULL,
  note        TEXT
);
CREATE INDEX alert_log_by_alert ON alert_log (alert_id, id);

ALTER TABLE tension ADD COLUMN weight REAL NOT NULL DEFAULT 0;
ALTER TABLE tension ADD COLUMN rule_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tension ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE tension ADD COLUMN event_id TEXT NOT NULL DEFAULT '';
CREATE INDEX tension_by_cause ON tension (event_id, source) WHERE event_id <> '';

CREATE VIEW v_alerts AS
SELECT a.id, a.rule_id AS rule, a.severity, a.title, a.message, a."key", a.event_time,
       a.fired_at, a.status, a.note,
       COALESCE(r.claims, (SELECT claims FROM rules WHERE rule_id = a.rule_id
                           ORDER BY rowid DESC LIMIT 1), '[]') AS claims,
       COALESCE(r.tags, (SELECT tags FROM rules WHERE rule_id = a.rule_id
                         ORDER BY rowid DESC LIMIT 1), '[]') AS tags,
       (SELECT json_group_array(event_id) FROM
          (SELECT event_id FROM alert_evidence WHERE alert_id = a.id ORDER BY seq)) AS evidence,
       a.depth, a.event_time_us, a.severity_rank
FROM alerts a LEFT JOIN rules r ON r.rule_id = a.rule_id AND r.hash = a.rule_hash;

CREATE VIEW v_open_alerts AS SELECT * FROM v_alerts WHERE status = 'open';

CREATE VIEW v_tension_latest AS
SELECT pair, time, score, level, peak, updates FROM (
  SELECT pair, time, score, level,
         max(score) OVER (PARTITION BY pair) AS peak,
         count(*) OVER (PARTITION BY pair) AS updates,
         row_number() OVER (PARTITION BY pair ORDER BY time_us DESC, id DESC) AS newest
  FROM tension)
WHERE newest = 1;
)sql";

constexpr std::array<Migration, 2> kMigrations{{{1, kV1}, {2, kV2}}};
static_assert(kMigrations.back().version == kSchemaVersion);

constexpr std::array<std::string_view, 10> kTables{
    "rules",        "alerts",       "alert_evidence", "events", "dead_letters",
    "feed_offsets", "engine_state", "tension",        "runs",   "alert_log"};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

std::span<const std::string_view> table_names() { return kTables; }

}  // namespace flashpoint::store
