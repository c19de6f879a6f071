// `flashpoint serve --db FILE [--listen HOST:PORT] [--token T] [--config F]`: the web
// page and its API on a database, without the daemon: the daemon's HTTP
// server (daemon/http_server.hpp) with no pipeline, so no POST /events and
// no /metrics. One io_context on the main thread, one worker thread for the
// database; SIGINT or SIGTERM stops it (open requests finish first, for at
// most 5 s; a second signal stops at once).
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>

#include "commands.hpp"
#include "common.hpp"
#include "config.hpp"
#include "daemon/http_server.hpp"
#include "daemon/log.hpp"
#include "daemon/worker.hpp"
#include "flashpoint/store/database.hpp"

namespace flashpoint::cmd {
namespace {

namespace asio = boost::asio;

constexpr std::size_t kWorkerQueue = 16;
constexpr std::size_t kMaxBody = 1U << 20U;  // POST bodies are small JSON objects
constexpr auto kDrain = std::chrono::seconds(5);

}  // namespace

int run_serve(const ServeOptions& o) {
  // [tension] of a config file, as the daemon and `flashpoint tension` read it.
  Config cfg;
  if (!o.config.empty()) {
    Diagnostics diags;
    if (!load_config(o.config, cfg, diags)) {
      print_diagnostics(diags);
      return kExitUsage;
    }
  }
  HttpConfig http;
  http.listen = o.listen;
  http.token = o.token;
  http.max_body = kMaxBody;
  if (const std::string err = parse_listen(o.listen, true, http.address); !err.empty()) {
    std::fprintf(stderr, "flashpoint serve: --listen: %s\n", err.c_str());
    return kExitUsage;
  }
  if (http.address.kind != ListenAddress::Kind::tcp) {
    std::fprintf(stderr, "flashpoint serve: --listen takes HOST:PORT\n");
    return kExitUsage;
  }
  {
    // The database must exist with the current schema; serve never creates one.
    auto db = store::Database::open(o.db, store::OpenMode::read_only);
    if (!db.ok()) {
      std::fprintf(stderr, "flashpoint serve: %s: %s\n", o.db.c_str(),
                   db.status().to_string().c_str());
      return kExitUsage;
    }
  }
  daemon::setup_logging("info");
  std::signal(SIGPIPE, SIG_IGN);

  asio::io_context io;
  daemon::Worker worker(kWorkerQueue);
  const std::string db_path = o.db;
  auto server = daemon::make_http_source(
      io, daemon::HttpContext{
              .worker = worker,
              .api = daemon::ApiConfig{o.db, cfg.engine.tension},
              .config = http,
              .pipeline = nullptr,
              .metrics = nullptr,
              .feed = nullptr,
              .on_listening = [db_path](const std::string& host, std::uint16_t port) {
                const bool v6 = host.find(':') != std::string::npos;
                std::fprintf(stderr, "flashpoint serve: http://%s%s%s:%u/ (database %s)\n",
                             v6 ? "[" : "", host.c_str(), v6 ? "]" : "",
                             static_cast<unsigned>(port), db_path.c_str());
                std::fflush(stderr);
              }});
  if (const std::string err = server->start(); !err.empty()) {
    std::fprintf(stderr, "flashpoint serve: %s\n", err.c_str());
    return kExitUsage;
  }

  auto work = asio::make_work_guard(io);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer poll(io);
  bool stopping = false;
  std::chrono::steady_clock::time_point deadline{};
  std::function<void()> wait_drained = [&] {
    if (server->stopped() || std::chrono::steady_clock::now() >= deadline) {
      work.reset();
      signals.cancel();
      io.stop();
      return;
    }
    poll.expires_after(std::chrono::milliseconds(20));
    poll.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) wait_drained();
    });
  };
  std::function<void()> wait_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (stopping) {
        io.stop();  // a second signal: at once
        return;
      }
      stopping = true;
      std::fprintf(stderr, "flashpoint serve: %s: stopping\n",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
      deadline = std::chrono::steady_clock::now() + kDrain;
      server->stop();
      wait_drained();
      wait_signal();
    });
  };
  wait_signal();
  try {
    io.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "flashpoint serve: %s\n", e.what());
    worker.stop();
    return kExitUsage;
  }
  worker.stop();
  return kExitOk;
}

}  // namespace flashpoint::cmd
