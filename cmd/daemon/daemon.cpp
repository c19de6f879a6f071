// `flashpoint run`: the daemon's startup, signal handling and shutdown.
//
// Startup: config (diagnostics, exit 2 on errors) -> folders -> rules (exit
// 2 on errors) -> AlertWriter on [daemon] database -> engine, restored from
// the state saved under "engine" -> feed offsets -> sources, HTTP, rule
// watcher, signals on one io_context -> READY=1. The loop runs on the
// calling thread; SQLite writes happen on the AlertWriter's thread, rule
// compilation and database reads on the worker thread.
//
// Shutdown (SIGTERM/SIGINT): STOPPING=1; listeners stop accepting, socket
// clients are drained, file sources stop; a last checkpoint (with a run
// summary) commits; exit 0. The drain is bounded by shutdown_timeout_ms; a
// second signal exits at once (status 1), as does a failed commit: the last
// committed checkpoint is then where the next start resumes.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <filesystem>

#include "commands.hpp"
#include "common.hpp"
#include "config.hpp"
#include "daemon/file_source.hpp"
#include "daemon/guard.hpp"
#include "daemon/http_server.hpp"
#include "daemon/log.hpp"
#include "daemon/metrics.hpp"
#include "daemon/notify.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/rule_watcher.hpp"
#include "daemon/socket_source.hpp"
#include "daemon/worker.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::cmd {
namespace {

namespace asio = boost::asio;
using namespace flashpoint::daemon;

constexpr std::size_t kWorkerQueue = 16;
constexpr auto kDrainPoll = std::chrono::milliseconds(20);

class Daemon {
 public:
  Daemon(Config config, std::string config_path)
      : cfg_(std::move(config)), config_path_(std::move(config_path)) {}
  ~Daemon() { teardown(); }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  int run() {
    if (!prepare_folders() || !load_rules() || !open_store()) return kExitUsage;
    worker_ = std::make_unique<Worker>(kWorkerQueue);
    io_ = std::make_unique<asio::io_context>(1);
    PipelineOptions po;
    po.commit_ms = cfg_.commit_ms;
    po.commit_events = cfg_.commit_events;
    po.state_ms = cfg_.state_ms;
    po.queue_events = cfg_.queue_events;
    po.clock_watermark = cfg_.clock_watermark;
    po.allowed_lateness = cfg_.engine.allowed_lateness;
    po.rule_paths = cfg_.rules;
    pipeline_ = std::make_unique<Pipeline>(*io_, po, metrics_, *engine_, *writer_, *worker_);
    pipeline_->on_fatal = [db = cfg_.database](const std::string& why) {
      spdlog::critical(
          "database {}: a checkpoint failed to commit: {}; exiting with status 1 without a "
          "last checkpoint (nothing committed is lost; the next start resumes from the last "
          "committed checkpoint)",
          db, why);
      std::_Exit(kExitFinding);
    };
    pipeline_->start(signal_);
    if (!start_sources()) {
      teardown();
      return kExitUsage;
    }
    signals_ = std::make_unique<asio::signal_set>(*io_, SIGTERM, SIGINT, SIGHUP);
    wait_signal();
    if (cfg_.watch_rules) {
      watcher_ = std::make_shared<RuleWatcher>(*io_, cfg_.rules, cfg_.reload_delay_ms,
                                               [this] { pipeline_->reload("rule files changed"); });
      if (!watcher_->start()) spdlog::warn("rules: inotify unavailable; reload with SIGHUP");
    }
    const std::string status = std::to_string(rules_->rules().size()) + " rules, " +
                               std::to_string(cfg_.feeds.size()) + " feeds";
    spdlog::info("ready: {} (database {})", status, cfg_.database);
    notify_ready(status);
    for (;;) {
      try {
        io_->run();
        break;
      } catch (const std::exception& e) {
        spdlog::error("event loop: unexpected error: {}", e.what());
      }
    }
    teardown();
    return exit_code_;
  }

 private:
  bool prepare_folders() {
    std::vector<std::string> dirs;
    auto parent = [](const std::string& p) {
      return std::filesystem::path(p).parent_path().string();
    };
    dirs.push_back(parent(cfg_.database));
    for (const auto& f : cfg_.feeds) {
      if (!f.watch.empty()) dirs.push_back(f.watch);
      if (!f.watch.empty() && f.done != "leave") dirs.push_back(f.done);
      if (!f.path.empty()) dirs.push_back(parent(f.path));
      if (f.address.kind == ListenAddress::Kind::unix_socket && !f.listen.empty()) {
        dirs.push_back(parent(f.address.path));
      }
    }
    for (const auto& d : dirs) {
      if (d.empty()) continue;
      std::error_code ec;
      std::filesystem::create_directories(d, ec);
      if (ec) {
        spdlog::error("cannot create {}: {}", d, ec.message());
        return false;
      }
    }
    return true;
  }

  bool load_rules() {
    Diagnostics diags;
    rules_ = RuleSet::load(cfg_.rules, diags);
    if (!diags.items().empty()) {
      const std::string text = render(diags);
      if (rules_) {
        spdlog::warn("rule warnings:\n{}", text);
      } else {
        spdlog::error("the rule files have {} error(s); not starting\n{}", diags.error_count(),
                      text);
      }
    }
    return rules_ != nullptr;
  }

  bool open_store() {
    store::AlertWriterOptions wo;
    wo.checkpoint_transactions = true;
    wo.after_commit = [signal = signal_] { signal->fire(); };
    store::DatabaseOptions dbo;
    dbo.busy_timeout_ms = static_cast<int>(cfg_.busy_timeout_ms);
    auto rw = store::Database::open(cfg_.database, store::OpenMode::read_write, dbo);
    if (!rw.ok()) {
      spdlog::error("database {}: {}", cfg_.database, rw.status().to_string());
      return false;
    }
    auto w = store::AlertWriter::create(std::move(rw).value(), std::move(wo));
    if (!w.ok()) {
      spdlog::error("{}: {}", cfg_.database, w.status().to_string());
      return false;
    }
    writer_ = std::move(w).value();
    engine_ = std::make_unique<Engine>(rules_, cfg_.engine);
    writer_->record_rules(Pipeline::recorded_rules(*rules_, *engine_));
    auto db = store::Database::open(cfg_.database, store::OpenMode::read_only);
    if (!db.ok()) {
      spdlog::error("{}: {}", cfg_.database, db.status().to_string());
      return false;
    }
    auto blob = store::engine_state(*db, "engine");
    if (!blob.ok()) {
      spdlog::error("{}: reading the engine state: {}", cfg_.database, blob.status().to_string());
      return false;
    }
    if (blob->has_value()) {
      if (engine_->restore_state(**blob)) {
        spdlog::info("resumed from the engine state saved in {} ({} bytes)", cfg_.database,
                     (*blob)->size());
      } else {
        spdlog::error("the engine state saved in {} is unreadable; starting with empty state",
                      cfg_.database);
      }
    }
    auto offsets = store::feed_offsets(*db);
    if (!offsets.ok()) {
      spdlog::error("{}: reading feed offsets: {}", cfg_.database, offsets.status().to_string());
      return false;
    }
    offsets_ = std::move(offsets).value();
    const store::Status st = writer_->flush();
    if (!st.ok()) {
      spdlog::error("{}: {}", cfg_.database, st.to_string());
      return false;
    }
    return true;
  }

  std::vector<store::FeedOffset> offsets_of(const std::string& feed) const {
    std::vector<store::FeedOffset> out;
    for (const auto& o : offsets_) {
      if (o.feed == feed) out.push_back(o);
    }
    return out;
  }

  bool start_sources() {
    for (const auto& fc : cfg_.feeds) {
      const char* type = !fc.listen.empty()
                             ? (fc.address.kind == ListenAddress::Kind::tcp ? "tcp" : "unix")
                             : (!fc.watch.empty() ? "watch" : "path");
      Feed& feed = feeds_.emplace_back();
      feed.name = fc.name;
      feed.adapter = fc.adapter;
      feed.max_line = fc.max_line;
      feed.metrics = &metrics_.feed(fc.name, type);
      if (!fc.listen.empty()) {
        sources_.push_back(make_socket_source(*io_, *pipeline_, feed, fc));
      } else if (!fc.watch.empty()) {
        sources_.push_back(make_folder_source(*io_, *pipeline_, feed, fc, offsets_of(fc.name)));
      } else {
        sources_.push_back(make_tail_source(*io_, *pipeline_, feed, fc, offsets_of(fc.name)));
      }
    }
    if (!cfg_.http.listen.empty()) {
      Feed& feed = feeds_.emplace_back();
      feed.name = cfg_.http.feed;
      feed.metrics = &metrics_.feed(feed.name, "http");
      sources_.push_back(
          make_http_source(*io_, HttpContext{.worker = *worker_,
                                             .api = ApiConfig{cfg_.database, cfg_.engine.tension},
                                             .config = cfg_.http,
                                             .pipeline = pipeline_.get(),
                                             .metrics = &metrics_,
                                             .feed = &feed,
                                             .on_listening = {}}));
    }
    for (auto& s : sources_) {
      const std::string err = s->start();
      if (!err.empty()) {
        spdlog::error("{}", err);
        return false;
      }
    }
    return true;
  }

  void wait_signal() {
    signals_->async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      guarded("signal", [&] { on_signal(sig); });
      wait_signal();
    });
  }

  void on_signal(int sig) {
    if (sig == SIGHUP) {
      if (!stopping_) pipeline_->reload("SIGHUP");
      return;
    }
    if (stopping_) {
      spdlog::warn("second signal: exiting now; the next start resumes from the last commit");
      std::_Exit(1);
    }
    begin_shutdown(sig == SIGINT ? "SIGINT" : "SIGTERM");
  }

  void begin_shutdown(const char* why) {
    stopping_ = true;
    notify_stopping();
    spdlog::info("{}: stopping (draining, then committing)", why);
    if (watcher_) watcher_->stop();
    for (auto& s : sources_) s->stop();
    deadline_ = std::make_unique<asio::steady_timer>(*io_);
    deadline_->expires_after(std::chrono::milliseconds(cfg_.shutdown_timeout_ms));
    deadline_->async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      guarded("shutdown", [&] {
        spdlog::warn("shutdown: drain not done after {} ms; closing what is left",
                     cfg_.shutdown_timeout_ms);
        finish();
      });
    });
    drain_ = std::make_unique<asio::steady_timer>(*io_);
    check_drained();
  }

  void check_drained() {
    for (const auto& s : sources_) {
      if (!s->stopped()) {
        drain_->expires_after(kDrainPoll);
        drain_->async_wait([this](const boost::system::error_code& ec) {
          if (!ec) guarded("shutdown", [&] { check_drained(); });
        });
        return;
      }
    }
    finish();
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    const bool ok = pipeline_->finish("run --config " + config_path_);
    std::uint64_t events = 0;
    for (const auto& f : metrics_.feeds) events += f.events;
    spdlog::info("stopped: {} events, {} alerts, {} duplicates; state and offsets committed",
                 events, engine_->stats().alerts, engine_->stats().duplicates);
    exit_code_ = ok ? kExitOk : kExitFinding;
    io_->stop();
  }

  // Destroys what the loop uses, in an order that keeps every reference
  // valid: the worker and the writer's signal first (they post to the loop),
  // then the loop's objects, the loop, and the engine and writer last.
  void teardown() {
    if (worker_) worker_->stop();
    signal_->disconnect();
    watcher_.reset();
    signals_.reset();
    deadline_.reset();
    drain_.reset();
    sources_.clear();
    pipeline_.reset();
    io_.reset();
  }

  Config cfg_;
  std::string config_path_;
  Metrics metrics_;
  std::deque<Feed> feeds_;
  std::shared_ptr<CommitSignal> signal_ = std::make_shared<CommitSignal>();
  std::shared_ptr<const RuleSet> rules_;
  std::unique_ptr<store::AlertWriter> writer_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Worker> worker_;
  std::vector<store::FeedOffset> offsets_;

  std::unique_ptr<asio::io_context> io_;
  std::unique_ptr<Pipeline> pipeline_;
  std::vector<std::shared_ptr<Source>> sources_;
  std::shared_ptr<RuleWatcher> watcher_;
  std::unique_ptr<asio::signal_set> signals_;
  std::unique_ptr<asio::steady_timer> deadline_;
  std::unique_ptr<asio::steady_timer> drain_;
  bool stopping_ = false;
  bool finished_ = false;
  int exit_code_ = kExitOk;
};

}  // namespace

int run_daemon(const RunOptions& o) {
  Config cfg;
  Diagnostics diags;
  if (!load_config(o.config, cfg, diags)) {
    print_diagnostics(diags);
    std::fprintf(stderr, "flashpoint run: %s has errors; not starting\n", o.config.c_str());
    return kExitUsage;
  }
  print_diagnostics(diags);
  if (!o.log_level.empty()) {
    if (!valid_log_level(o.log_level)) {
      std::fprintf(stderr,
                   "flashpoint run: --log-level is one of trace, debug, info, warn, error, "
                   "critical, off\n");
      return kExitUsage;
    }
    cfg.log_level = o.log_level;
  }
  setup_logging(cfg.log_level);
  std::signal(SIGPIPE, SIG_IGN);  // SIGXFSZ is ignored in main()
  Daemon daemon(std::move(cfg), o.config);
  return daemon.run();
}

}  // namespace flashpoint::cmd
