// Renders alert rows for `flashpoint alerts --format table|json|csv`.
//
// json: one JSON array, one alert object per line, keys in this order:
//   id (number), rule, severity, title, message, key, event_time, fired_at,
//   status, note (null when none), claims, tags, evidence (arrays of strings).
// csv: RFC 4180 (CRLF line ends, fields quoted when needed), a header row
//   id,event_time,fired_at,severity,rule,title,message,key,status,note,
//   claims,tags,evidence; lists joined with ';'.
// table: aligned columns ID, DATE (event time's date), SEVERITY, RULE,
//   MESSAGE, fitted to `width` columns (messages and long rule ids are
//   truncated with "..."), then a line "N alerts".
// These layouts are stable; docs/cli.md documents them for users.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "flashpoint/engine/json.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::store {

std::string format_alerts_json(const std::vector<AlertRow>& rows);
// One alert object per line, no array (newline-delimited JSON).
std::string format_alerts_ndjson(const std::vector<AlertRow>& rows);
// One alert object (the keys of format_alerts_json), no trailing newline.
void append_alert_json(std::string& out, const AlertRow& row);
// `flashpoint show --format json`: {"alert":{...},"rule":{...}|null,
// "events":[{"seq","source","id","time","kind","event"}],"tension":[...],
// "log":[...]}; "event" is the stored event JSON itself (null when missing).
std::string format_alert_detail_json(const AlertDetail& detail);
// `flashpoint show`: the alert, its rule, its evidence and history, for a
// terminal of `width` columns.
std::string format_alert_detail_text(const AlertDetail& detail, std::size_t width = 100);
std::string format_alerts_csv(const std::vector<AlertRow>& rows);
std::string format_alerts_table(const std::vector<AlertRow>& rows, std::size_t width = 120);

// Helpers shared with other renderers.
using flashpoint::append_json_string;                         // flashpoint/engine/json.hpp
void append_csv_field(std::string& out, std::string_view s);  // quoted when needed
void append_json_list(std::string& out, const std::vector<std::string>& items);

}  // namespace flashpoint::store
