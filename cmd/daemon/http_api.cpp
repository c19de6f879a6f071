// The API routes on alerts and tension (see http_api.hpp).
#include "daemon/http_api.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "common.hpp"
#include "flashpoint/engine/json.hpp"
#include "flashpoint/engine/time.hpp"
#include "flashpoint/store/alert_writer.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/format.hpp"
#include "tension_svg.hpp"

namespace flashpoint::daemon {
namespace {

constexpr std::size_t kMaxNote = 10000;
constexpr std::size_t kMaxBy = 200;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

HttpReply error_reply(unsigned status, std::string_view message) {
  return HttpReply{status, "application/json", json_error(message), ""};
}

ApiRoute answer(unsigned status, std::string_view message) {
  ApiRoute r;
  r.matched = true;
  r.reply = error_reply(status, message);
  return r;
}

ApiRoute run(std::function<HttpReply()> job) {
  ApiRoute r;
  r.matched = true;
  r.job = std::move(job);
  return r;
}

// Splits a query string into decoded (key, value) pairs.
template <typename F>
std::string each_param(std::string_view query, F&& f) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string key = url_decode(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    std::string err = f(key, value);
    if (!err.empty()) return err;
  }
  return "";
}

// A score for display: rounded to three decimals, written by the shared
// JSON number writer (no trailing zeros, null for NaN).
void append_number(std::string& out, double v) {
  append_json_number(out, std::round(v * 1000.0) / 1000.0);
}

store::Result<store::Database> open_db(const std::string& path, store::OpenMode mode) {
  return store::Database::open(path, mode);
}

std::string db_error(const store::Status& st) { return json_error(st.to_string()); }

HttpReply get_alerts(const std::string& database, const store::AlertFilter& filter,
                     const std::string& format) {
  auto db = open_db(database, store::OpenMode::read_only);
  if (!db.ok()) return {500, "application/json", db_error(db.status()), ""};
  auto rows = store::query_alerts(*db, filter);
  if (!rows.ok()) return {500, "application/json", db_error(rows.status()), ""};
  HttpReply r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = store::format_alerts_csv(*rows);
    r.disposition = "attachment; filename=\"alerts.csv\"";
  } else if (format == "ndjson") {
    r.content_type = "application/x-ndjson";
    r.body = store::format_alerts_ndjson(*rows);
    r.disposition = "attachment; filename=\"alerts.ndjson\"";
  } else {
    r.body = store::format_alerts_json(*rows);
    if (r.body.empty() || r.body.back() != '\n') r.body += '\n';
  }
  return r;
}

HttpReply detail_reply(const store::Database& db, std::int64_t id) {
  auto detail = store::get_alert(db, id);
  if (!detail.ok()) {
    if (detail.status().code() == store::StatusCode::not_found) {
      return error_reply(404, "no alert " + std::to_string(id));
    }
    return {500, "application/json", db_error(detail.status()), ""};
  }
  HttpReply r;
  r.body = store::format_alert_detail_json(*detail);
  if (r.body.empty() || r.body.back() != '\n') r.body += '\n';
  return r;
}

HttpReply get_alert(const std::string& database, std::int64_t id) {
  auto db = open_db(database, store::OpenMode::read_only);
  if (!db.ok()) return {500, "application/json", db_error(db.status()), ""};
  return detail_reply(*db, id);
}

HttpReply set_status(const std::string& database, std::int64_t id, const std::string& status,
                     const std::optional<std::string>& note, const std::string& by) {
  auto db = open_db(database, store::OpenMode::read_write);
  if (!db.ok()) return {500, "application/json", db_error(db.status()), ""};
  const store::Status st = store::set_alert_status(*db, id, status, note, by);
  if (!st.ok()) {
    if (st.code() == store::StatusCode::not_found) {
      return error_reply(404, "no alert " + std::to_string(id));
    }
    return {500, "application/json", db_error(st), ""};
  }
  return detail_reply(*db, id);
}

// The body of POST /alerts/ID/ACTION: {"note":"...","by":"..."}, both
// optional; empty is fine too.
std::string parse_status_body(const std::string& body, std::optional<std::string>& note,
                              std::string& by) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return "";
  simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  if (parser.parse(padded).get(doc) != simdjson::SUCCESS) return "the body is not valid JSON";
  simdjson::dom::object obj;
  if (doc.get(obj) != simdjson::SUCCESS) {
    return R"(the body is a JSON object: {"note":"...","by":"..."})";
  }
  for (auto field : obj) {
    const std::string_view key = field.key;
    std::string_view text;
    const bool is_null = field.value.is_null();
    if (!is_null && field.value.get(text) != simdjson::SUCCESS) {
      return "'" + std::string(key) + "' must be a string";
    }
    if (key == "note") {
      if (text.size() > kMaxNote) return "the note is longer than 10000 bytes";
      if (!is_null && !text.empty()) note = std::string(text);
    } else if (key == "by") {
      if (text.size() > kMaxBy) return "'by' is longer than 200 bytes";
      if (!is_null && !text.empty()) by = std::string(text);
    } else {
      return "unknown key '" + std::string(key) + "' (note, by)";
    }
  }
  return "";
}

HttpReply get_tension(const std::string& database, const TensionOptions& opt) {
  auto db = open_db(database, store::OpenMode::read_only);
  if (!db.ok()) return {500, "application/json", db_error(db.status()), ""};
  auto pts = store::tension_points(*db, "");
  if (!pts.ok()) return {500, "application/json", db_error(pts.status()), ""};
  const auto summary = cmd::summarize_tension(cmd::group_tension(std::move(pts).value()), opt);
  std::string out = "{\"now\":";
  if (summary.pairs.empty()) {
    out += "null";
  } else {
    store::append_json_string(out, format_time(summary.now));
  }
  out += ",\"half_life_days\":";
  append_number(out, static_cast<double>(opt.half_life) / static_cast<double>(kDay));
  out += ",\"levels\":[";
  std::vector<std::pair<double, std::string>> levels;  // lowest first
  for (const auto& [name, score] : opt.levels) levels.emplace_back(score, name);
  std::sort(levels.begin(), levels.end());
  bool first = true;
  for (const auto& [score, name] : levels) {
    if (!first) out += ',';
    first = false;
    out += "{\"name\":";
    store::append_json_string(out, name);
    out += ",\"score\":";
    append_number(out, score);
    out += '}';
  }
  out += "],\"pairs\":[";
  first = true;
  for (const auto& p : summary.pairs) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "{\"pair\":";
    store::append_json_string(out, p.pair);
    out += ",\"score\":";
    append_number(out, p.score);
    out += ",\"peak\":";
    append_number(out, p.peak);
    out += ",\"level\":";
    if (p.level.empty()) {
      out += "null";
    } else {
      store::append_json_string(out, p.level);
    }
    out += ",\"updated\":";
    store::append_json_string(out, format_time(p.updated));
    out += ",\"updates\":" + std::to_string(p.updates) + "}";
  }
  out += "]}\n";
  return HttpReply{200, "application/json", std::move(out), ""};
}

HttpReply get_tension_svg(const std::string& database, const TensionOptions& opt,
                          const std::string& pair) {
  auto db = open_db(database, store::OpenMode::read_only);
  if (!db.ok()) return {500, "application/json", db_error(db.status()), ""};
  auto pts = store::tension_points(*db, pair);
  if (!pts.ok()) return {500, "application/json", db_error(pts.status()), ""};
  if (!pair.empty() && pts->empty()) return error_reply(404, "no tension recorded for " + pair);
  return HttpReply{200, "image/svg+xml",
                   cmd::tension_svg(cmd::group_tension(std::move(pts).value()), opt), ""};
}

bool is_read(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int hi = s[i] == '%' && i + 2 < s.size() ? hex_digit(s[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
    if (s[i] == '+') {
      out += ' ';
    } else if (hi >= 0 && lo >= 0) {
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string json_error(std::string_view message) {
  std::string out = "{\"error\":";
  store::append_json_string(out, message);
  out += "}\n";
  return out;
}

std::string parse_alert_query(std::string_view query, store::AlertFilter& filter,
                              std::string& format) {
  format = "json";
  const TimeUs now = store::system_clock_now();
  return each_param(query, [&](const std::string& key, const std::string& value) -> std::string {
    if (auto err = cmd::set_alert_filter(filter, key, value, now)) return *err;
    if (key == "limit") {
      std::size_t n = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
        return "limit takes a number";
      }
      filter.limit = n;
    } else if (key == "format") {
      if (value != "json" && value != "csv" && value != "ndjson") {
        return "format is one of json, csv, ndjson";
      }
      format = value;
    } else {
      return "unknown parameter '" + key +
             "' (since, until, severity, rule, status, claim, tag, actor, region, limit, format)";
    }
    return "";
  });
}

ApiRoute route_api(std::string_view method, std::string_view path, std::string_view query,
                   const std::string& body, const ApiConfig& config) {
  if (path == "/alerts") {
    if (!is_read(method)) return answer(405, "use GET");
    store::AlertFilter filter;
    std::string format;
    const std::string err = parse_alert_query(query, filter, format);
    if (!err.empty()) return answer(400, err);
    return run([db = config.database, filter, format] { return get_alerts(db, filter, format); });
  }
  if (path.starts_with("/alerts/")) {
    std::string_view rest = path.substr(8);
    const auto slash = rest.find('/');
    const std::string_view id_text = rest.substr(0, slash);
    const std::string_view action =
        slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (id_text.empty() || ec != std::errc() || ptr != id_text.data() + id_text.size() || id <= 0) {
      return answer(404, "no alert '" + url_decode(id_text) + "' (alert ids are numbers)");
    }
    if (action.empty()) {
      if (!is_read(method)) return answer(405, "use GET");
      return run([db = config.database, id] { return get_alert(db, id); });
    }
    std::string status;
    if (action == "ack") {
      status = "acked";
    } else if (action == "resolve") {
      status = "resolved";
    } else if (action == "reopen") {
      status = "open";
    } else {
      return answer(404, "no such action '" + url_decode(action) + "' (ack, resolve, reopen)");
    }
    if (method != "POST") return answer(405, "use POST");
    std::optional<std::string> note;
    std::string by = "web";
    const std::string err = parse_status_body(body, note, by);
    if (!err.empty()) return answer(400, err);
    return run([db = config.database, id, status, note, by] {
      return set_status(db, id, status, note, by);
    });
  }
  if (path == "/tension") {
    if (!is_read(method)) return answer(405, "use GET");
    if (!query.empty()) return answer(400, "/tension takes no parameters");
    return run([db = config.database, opt = config.tension] { return get_tension(db, opt); });
  }
  if (path == "/tension.svg") {
    if (!is_read(method)) return answer(405, "use GET");
    std::string pair;
    const std::string err =
        each_param(query, [&](const std::string& key, const std::string& value) -> std::string {
          if (key != "pair") return "unknown parameter '" + key + "' (pair)";
          pair = cmd::normalize_pair(value);
          return "";
        });
    if (!err.empty()) return answer(400, err);
    return run([db = config.database, opt = config.tension, pair] {
      return get_tension_svg(db, opt, pair);
    });
  }
  return {};
}

}  // namespace flashpoint::daemon
