#include <algorithm>
#include <functional>
#include <utility>

#include "flashpoint/engine/time.hpp"
#include "flashpoint/store/query.hpp"
#include "flashpoint/store/schema.hpp"
#include "sqlite_util.hpp"

namespace flashpoint::store {
namespace {

using detail::for_each_row;

Result<std::int64_t> scalar(const Database& db, std::string_view sql, std::string_view what) {
  std::int64_t value = 0;
  Status st = for_each_row(db, sql, what, nullptr, [&](detail::Stmt& s) { value = s.int64(0); });
  if (!st.ok()) return st;
  return value;
}

TimeUs parse_or_zero(std::string_view text) { return parse_time(text).value_or(0); }

}  // namespace

Result<std::int64_t> row_count(const Database& db, std::string_view table) {
  auto tables = table_names();
  if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
    return Status(StatusCode::invalid_argument, "unknown table '" + std::string(table) + "'");
  }
  return scalar(db, "SELECT count(*) FROM " + std::string(table), "count rows");
}

Result<std::int64_t> alert_count(const Database& db) { return row_count(db, "alerts"); }
Result<std::int64_t> dead_letter_count(const Database& db) { return row_count(db, "dead_letters"); }
Result<std::int64_t> event_count(const Database& db) { return row_count(db, "events"); }

Result<std::vector<DeadLetter>> dead_letters(const Database& db, std::size_t limit) {
  std::vector<DeadLetter> out;
  Status st = for_each_row(
      db,
      "SELECT id, feed, line, byte_offset, reason, raw, received_at FROM dead_letters "
      "ORDER BY id LIMIT ?1",
      "read dead letters",
      [&](detail::Stmt& s) { s.bind_int(1, limit > 0 ? static_cast<std::int64_t>(limit) : -1); },
      [&](detail::Stmt& s) {
        out.push_back(
            DeadLetter{s.int64(0), s.str(1), s.int64(2), s.int64(3), s.str(4), s.str(5), s.str(6)});
      });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<std::int64_t>> feed_offset(const Database& db, std::string_view feed,
                                                std::string_view file) {
  std::optional<std::int64_t> out;
  Status st = for_each_row(
      db, "SELECT \"offset\" FROM feed_offsets WHERE feed = ?1 AND file = ?2", "read feed offset",
      [&](detail::Stmt& s) {
        s.bind_text(1, feed);
        s.bind_text(2, file);
      },
      [&](detail::Stmt& s) { out = s.int64(0); });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<FeedOffset>> feed_offsets(const Database& db) {
  std::vector<FeedOffset> out;
  Status st = for_each_row(
      db, "SELECT feed, file, \"offset\", updated_at FROM feed_offsets ORDER BY feed, file",
      "read feed offsets", nullptr, [&](detail::Stmt& s) {
        out.push_back(FeedOffset{s.str(0), s.str(1), s.int64(2), s.str(3)});
      });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<std::string>> engine_state(const Database& db, std::string_view name) {
  std::optional<std::string> out;
  Status st = for_each_row(
      db, "SELECT \"blob\" FROM engine_state WHERE name = ?1", "read engine state",
      [&](detail::Stmt& s) { s.bind_text(1, name); }, [&](detail::Stmt& s) { out = s.blob(0); });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<RunSummary>> runs(const Database& db) {
  std::vector<RunSummary> out;
  Status st = for_each_row(
      db,
      "SELECT id, started_at, finished_at, command, events, alerts, dead_letters, duplicates "
      "FROM runs ORDER BY id",
      "read runs", nullptr, [&](detail::Stmt& s) {
        out.push_back(RunSummary{
            s.int64(0), parse_or_zero(s.text(1)), parse_or_zero(s.text(2)), s.str(3),
            static_cast<std::uint64_t>(s.int64(4)), static_cast<std::uint64_t>(s.int64(5)),
            static_cast<std::uint64_t>(s.int64(6)), static_cast<std::uint64_t>(s.int64(7))});
      });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<TensionPoint>> tension_points(const Database& db, std::string_view pair) {
  std::vector<TensionPoint> out;
  Status st = for_each_row(
      db,
      "SELECT pair, time_us, score, level, weight, rule_id, source, event_id FROM tension "
      "WHERE ?1 = '' OR pair = ?1 "
      "ORDER BY pair, time_us, id",
      "read tension", [&](detail::Stmt& s) { s.bind_text(1, pair); },
      [&](detail::Stmt& s) {
        TensionPoint& p = out.emplace_back(TensionPoint{s.str(0), s.int64(1), s.real(2), s.str(3)});
        p.weight = s.real(4);
        p.rule_id = s.str(5);
        p.source = s.str(6);
        p.event_id = s.str(7);
      });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<TimeUs>> newest_alert_time(const Database& db) {
  std::optional<TimeUs> out;
  Status st = for_each_row(db, "SELECT max(event_time_us) FROM alerts", "read newest alert",
                           nullptr, [&](detail::Stmt& s) {
                             if (!s.is_null(0)) out = s.int64(0);
                           });
  if (!st.ok()) return st;
  return out;
}

}  // namespace flashpoint::store
