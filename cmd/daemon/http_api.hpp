// The HTTP API's routes, apart from the transport: what the Beast server of
// `flashpoint run` and `flashpoint serve` (http_server.hpp) answers on the
// alert and tension paths. route_api() checks the method and parameters on
// the loop thread and either answers at once (400, 404, 405) or returns a
// job that opens the database and builds the reply; the server runs that
// job on its Worker thread, never on the loop.
//
//   GET  /alerts                    alerts as JSON (format=csv|ndjson too);
//                                   since, until, severity, rule, status,
//                                   claim, tag, actor, region, limit, format
//   GET  /alerts/ID                 `flashpoint show --format json`
//   POST /alerts/ID/ack|resolve|reopen
//                                   body {"note":"...","by":"..."} (both
//                                   optional; by defaults to "web"); the
//                                   updated alert as GET /alerts/ID
//   GET  /tension                   every pair: score now, peak, level
//   GET  /tension.svg[?pair=A-B]    the chart of `flashpoint tension --svg`
//
// Thread-safety: route_api() is a pure function; the job it returns may
// run on any thread (one database connection per job).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "flashpoint/engine/engine.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::daemon {

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string disposition;  // Content-Disposition ("" = none)
};

struct ApiConfig {
  std::string database;
  TensionOptions tension;  // GET /tension: half-life and level bands
};

struct ApiRoute {
  bool matched = false;            // false: not an API path (the caller answers 404)
  std::optional<HttpReply> reply;  // answered at once
  std::function<HttpReply()> job;  // else: run this on the worker thread
};

// `method` is "GET", "HEAD", "POST", ...; `query` is the raw query string.
ApiRoute route_api(std::string_view method, std::string_view path, std::string_view query,
                   const std::string& body, const ApiConfig& config);

// {"error":"..."} and a newline.
std::string json_error(std::string_view message);
// Percent-decoding of a query component ('+' is a space).
std::string url_decode(std::string_view s);
// The filter of GET /alerts, like `flashpoint alerts`; `format` gets the
// format parameter (json when absent). Returns an error message or "".
std::string parse_alert_query(std::string_view query, store::AlertFilter& filter,
                              std::string& format);

}  // namespace flashpoint::daemon
