// The HTTP server of the daemon (`flashpoint run`, [http] listen) and of
// `flashpoint serve` (Boost.Beast), as a Source:
//
//   GET  /, /app.js, /style.css
//                  the web page (cmd/web/, embedded): never needs the token
//   GET  /healthz  "ok" (never needs the token)
//   POST /events   daemon only: NDJSON body (at most max_body bytes, else
//                  413). Each line is decoded like a socket feed's (feed
//                  name [http] feed); bad lines are dead letters, good lines
//                  are processed. The reply comes once the checkpoint
//                  covering the body has committed: {"events":N,
//                  "duplicates":D,"rejected":R,"errors":[{"line":L,
//                  "reason":"..."}],"errors_truncated":B}
//   GET  /metrics  daemon only: Prometheus text format
//   GET  /alerts, GET /alerts/ID, POST /alerts/ID/ack|resolve|reopen,
//   GET  /tension, GET /tension.svg
//                  the alert and tension API (http_api.hpp)
//
// Without a pipeline (`flashpoint serve`), /events and /metrics answer 404.
// With a token set, every path but the page's files and /healthz needs
// "Authorization: Bearer TOKEN" (else 401). One Session object per
// connection (do_read/on_read); a request must arrive whole within
// timeout_ms, which also bounds idle keep-alive connections; at most
// max_connections at once. Database work runs on the worker thread.
//
// Thread-safety: loop thread only (the io_context runs on one thread, which
// serialises every session's handlers).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config.hpp"
#include "daemon/http_api.hpp"
#include "daemon/metrics.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/source.hpp"
#include "daemon/worker.hpp"

namespace flashpoint::daemon {

struct HttpContext {
  Worker& worker;                // runs the database work of the API
  ApiConfig api;                 // the database and the tension levels
  cmd::HttpConfig config;        // listen, token, limits
  Pipeline* pipeline = nullptr;  // POST /events, /metrics; nullptr in `flashpoint serve`
  Metrics* metrics = nullptr;    // idem
  const Feed* feed = nullptr;    // the feed of POST /events
  // Called once listening, with the bound address and port.
  std::function<void(const std::string& host, std::uint16_t port)> on_listening;
};

std::shared_ptr<Source> make_http_source(boost::asio::io_context& io, HttpContext context);

}  // namespace flashpoint::daemon
