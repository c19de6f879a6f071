// The daemon's HTTP API on [http] listen (Boost.Beast), as a Source:
//
//   POST /events   NDJSON body (at most max_body bytes, else 413). Each line
//                  is decoded like a socket feed's (feed name [http] feed);
//                  bad lines are dead letters, good lines are processed. The
//                  reply comes once the checkpoint covering the body has
//                  committed: {"events":N,"duplicates":D,"rejected":R,
//                  "errors":[{"line":L,"reason":"..."}],"errors_truncated":B}
//   GET /alerts    the JSON of `flashpoint alerts --format json`; query
//                  parameters since, severity, rule, status, limit
//   GET /metrics   Prometheus text format
//   GET /healthz   "ok" (never needs the token)
//   GET /          a small page listing recent alerts
//
// With [http] token set, every path but /healthz needs
// "Authorization: Bearer TOKEN" (else 401). One Session object per
// connection (do_read/on_read); a request must arrive whole within
// timeout_ms, which also bounds idle keep-alive connections; at most
// max_connections at once. Database reads run on the worker thread.
//
// Thread-safety: loop thread only (the io_context runs on one thread, which
// serialises every session's handlers).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "config.hpp"
#include "daemon/metrics.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/source.hpp"
#include "daemon/worker.hpp"

namespace flashpoint::daemon {

struct HttpContext {
  Pipeline& pipeline;
  Metrics& metrics;
  Worker& worker;
  const Feed& feed;      // the feed of POST /events
  std::string database;  // read by GET /alerts
  cmd::HttpConfig config;
};

std::shared_ptr<Source> make_http_source(boost::asio::io_context& io, HttpContext context);

}  // namespace flashpoint::daemon
