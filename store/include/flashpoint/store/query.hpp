// Read-side queries: what `flashpoint alerts`, `show`, `tension`, the web
// page and the tests ask of the database. Works on a read-only Database (a
// reader never blocks the daemon); the lifecycle updates need read_write.
//
// Thread-safety: each call uses the given Database, which is used by one
// thread at a time (see database.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flashpoint/engine/alert.hpp"
#include "flashpoint/engine/time.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/records.hpp"
#include "flashpoint/store/status.hpp"

namespace flashpoint::store {

// Every set field narrows the result (they combine with AND).
struct AlertFilter {
  std::optional<TimeUs> since;           // event_time >= since (absolute)
  std::optional<TimeUs> until;           // event_time < until (absolute)
  std::optional<Severity> min_severity;  // severity at or above
  std::string rule_glob;                 // SQLite GLOB on rule_id ("" = any)
  std::string status;                    // "open", "acked" or "resolved" ("" = any)
  std::optional<std::int64_t> id;        // one alert
  std::string claim;                     // the rule version that fired names this claim ("C6")
  std::string tag;                       // ... or has this tag
  std::string actor;                     // an evidence event names this actor: in `actors` or as
                                         // initiator, target, supplier, recipient, end_user,
                                         // host or speaker
  std::string region;                    // an evidence event's region
  std::size_t limit = 0;                 // keep the newest N (0 = all)
};

struct AlertRow {
  std::int64_t id = 0;
  std::string rule_id;
  std::string rule_hash;
  std::string severity;
  std::string title;
  std::string message;
  std::string key;
  std::string event_time;  // RFC 3339
  TimeUs event_time_us = 0;
  std::string fired_at;  // RFC 3339, wall clock at write
  std::string status;
  std::optional<std::string> note;
  int depth = 0;
  std::vector<std::string> claims;            // from the rule's stored version
  std::vector<std::string> tags;              // idem
  std::vector<std::string> evidence;          // event ids, in seq order
  std::vector<std::string> evidence_sources;  // their sources, same order
};

// Alerts matching `filter`, ordered by event time, then id. With a limit,
// the newest `limit` of them (still in ascending order).
Result<std::vector<AlertRow>> query_alerts(const Database& db, const AlertFilter& filter);

// A stored rule version (the `rules` table).
struct RuleVersion {
  std::string rule_id;
  std::string hash;
  std::string title;
  std::string severity;
  std::vector<std::string> claims;
  std::vector<std::string> tags;
  std::string rationale;
  std::string message;
  std::string file;
  int line = 0;
  std::string definition;
  std::string first_seen;
};

// An evidence event as stored.
struct StoredEvent {
  int seq = 0;
  std::string source;
  std::string event_id;
  TimeUs time_us = 0;
  std::string kind;  // "" when the raw event was not stored
  std::string raw;   // the event's JSON as stored
  std::string json;  // the same, compact and validated ("" when not valid JSON)
  // For an engine-made event (kind "alert": another alert re-entering as
  // evidence), the id of that alert's row; 0 otherwise or when not found.
  std::int64_t alert_id = 0;
};

// One lifecycle change of an alert (the `alert_log` table).
struct AlertLogEntry {
  std::int64_t id = 0;
  std::int64_t alert_id = 0;
  std::string at;           // RFC 3339, wall clock
  std::string by;           // who ($USER or --by)
  std::string from_status;  // open, acked, resolved
  std::string to_status;
  std::optional<std::string> note;
};

// The tension an alert's rule added to one actor pair when it fired.
struct TensionContribution {
  std::string pair;   // "CHN-JPN"
  double weight = 0;  // what the rule added
  double score = 0;   // the pair's score right after
  std::string level;  // the pair's level right after ("" below every level)
};

// Everything `flashpoint show` prints: why an alert fired.
struct AlertDetail {
  AlertRow alert;
  std::optional<RuleVersion> rule;           // the version that fired (by hash, else newest)
  std::vector<StoredEvent> events;           // in seq order
  std::vector<TensionContribution> tension;  // by pair
  std::vector<AlertLogEntry> log;            // oldest first
};

// The alert `id`; StatusCode::not_found when there is none.
Result<AlertDetail> get_alert(const Database& db, std::int64_t id);

// The rule version (rule_id, hash); with an empty hash, the newest stored.
Result<std::optional<RuleVersion>> get_rule(const Database& db, std::string_view rule_id,
                                            std::string_view hash);

// Alert lifecycle: status is "open", "acked" or "resolved"; a note, when
// given, replaces the alert's note. The change (who, when, from, to, note)
// is appended to `alert_log` in the same transaction. Needs a read_write
// Database; StatusCode::not_found when the alert does not exist. Setting
// the status an alert already has is allowed and logged (a new note).
Status set_alert_status(Database& db, std::int64_t id, std::string_view status,
                        const std::optional<std::string>& note, std::string_view by);

// The lifecycle history of one alert, oldest first.
Result<std::vector<AlertLogEntry>> alert_log(const Database& db, std::int64_t id);

// Counts.
Result<std::int64_t> alert_count(const Database& db);
Result<std::int64_t> dead_letter_count(const Database& db);
Result<std::int64_t> event_count(const Database& db);
// Rows of one table of the schema (invalid_argument for other names).
Result<std::int64_t> row_count(const Database& db, std::string_view table);

// Dead letters, oldest first (limit 0 = all).
Result<std::vector<DeadLetter>> dead_letters(const Database& db, std::size_t limit = 0);
// A feed file's committed offset, or nullopt when none was stored.
Result<std::optional<std::int64_t>> feed_offset(const Database& db, std::string_view feed,
                                                std::string_view file);
// Every stored feed offset, ordered by feed then file.
Result<std::vector<FeedOffset>> feed_offsets(const Database& db);
// The engine state blob saved under `name`, or nullopt.
Result<std::optional<std::string>> engine_state(const Database& db, std::string_view name);
// Run summaries, oldest first.
Result<std::vector<RunSummary>> runs(const Database& db);
// Tension points of one pair ("" = every pair), by pair then time.
Result<std::vector<TensionPoint>> tension_points(const Database& db, std::string_view pair);
// Event time of the newest alert, or nullopt when there are no alerts.
Result<std::optional<TimeUs>> newest_alert_time(const Database& db);

}  // namespace flashpoint::store
