// The daemon's core: streams, engine, checkpoints, backpressure, reload.
#include "daemon/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "daemon/guard.hpp"
#include "daemon/notify.hpp"

namespace flashpoint::daemon {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kStateName = "engine";
constexpr std::string_view kReloadFailedRule = "engine/reload-failed";
// Checkpoints queued to the writer and not yet committed; more wait.
constexpr std::uint64_t kMaxInflight = 4;
// Dead letters logged per run at warning level; the rest at debug.
constexpr std::uint64_t kDeadLettersLogged = 20;

double seconds_since(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

}  // namespace

// ---------------------------------------------------------------- Stream

Stream::Stream(Pipeline& pipeline, const Feed& feed, std::unique_ptr<adapters::Decoder> decoder,
               std::uint64_t base_offset, std::uint64_t base_line, bool tracked)
    : pipeline_(pipeline),
      feed_(feed),
      decoder_(std::move(decoder)),
      base_(base_offset),
      base_line_(base_line),
      tracked_(tracked),
      safe_(base_offset),
      fed_(base_offset) {}

void Stream::feed(std::string_view bytes) {
  fed_ += bytes.size();
  feed_.metrics->bytes += bytes.size();
  decoder_->feed(bytes, *this);
  pipeline_.after_chunk();
}

void Stream::finish() {
  decoder_->finish(*this);
  pipeline_.after_chunk();
}

void Stream::on_event(const Event& event, const adapters::Position& pos) {
  safe_ = base_ + pos.end_offset;
  if (tracked_) pipeline_.file_progress();
  ++events_;
  ++feed_.metrics->events;
  if (!pipeline_.process(event)) {
    ++duplicates_;
    ++feed_.metrics->duplicates;
  }
}

void Stream::on_dead_letter(const adapters::DeadLetter& dl) {
  const std::uint64_t start = safe_;  // just past the previous record
  safe_ = base_ + dl.pos.end_offset;
  if (tracked_) pipeline_.file_progress();
  ++rejected_;
  ++feed_.metrics->dead_letters;
  const std::uint64_t line = base_line_ + dl.pos.line;
  if (errors_.size() < max_errors_) errors_.push_back({line, std::string(dl.reason)});
  pipeline_.dead_letter(feed_, dl, line, start);
}

// ---------------------------------------------------------------- CommitSignal

void CommitSignal::connect(std::function<void()> on_commit) {
  std::lock_guard lock(mu_);
  on_commit_ = std::move(on_commit);
}

void CommitSignal::fire() {
  std::lock_guard lock(mu_);
  if (on_commit_) on_commit_();
}

void CommitSignal::disconnect() {
  std::lock_guard lock(mu_);
  on_commit_ = nullptr;
}

// ---------------------------------------------------------------- Sink

class Pipeline::Sink final : public AlertSink {
 public:
  Sink(Metrics& metrics, store::AlertWriter& writer) : metrics_(metrics), writer_(writer) {}

  void on_alert(const Alert& alert, std::span<const Event* const> evidence) override {
    metrics_.count_alert(alert.rule_id, alert.severity);
    writer_.on_alert(alert, evidence);
  }

  void on_tension(const TensionChange& change) override { writer_.on_tension(change); }

 private:
  Metrics& metrics_;
  store::AlertWriter& writer_;
};

// ---------------------------------------------------------------- Pipeline

Pipeline::Pipeline(boost::asio::io_context& io, PipelineOptions options, Metrics& metrics,
                   Engine& engine, store::AlertWriter& writer, Worker& worker)
    : io_(io),
      options_(std::move(options)),
      metrics_(metrics),
      engine_(engine),
      writer_(writer),
      worker_(worker),
      sink_(std::make_unique<Sink>(metrics, writer)),
      checkpoint_timer_(io),
      tick_timer_(io) {
  metrics_.queue_limit = options_.queue_events;
  metrics_.rules = engine_.rules().rules().size();
}

Pipeline::~Pipeline() {
  if (signal_) signal_->disconnect();
}

std::vector<RuleInfo> Pipeline::recorded_rules(const RuleSet& rules, const Engine& engine) {
  std::vector<RuleInfo> all = rules.rules();
  auto builtin = engine.builtin_rules();
  all.insert(all.end(), builtin.begin(), builtin.end());
  RuleInfo r;
  r.id = std::string(kReloadFailedRule);
  r.title = "Rule reload failed";
  r.severity = Severity::high;
  r.message = "the changed rule files have errors; the running rule set stays";
  r.rationale =
      "Raised by the daemon when a reload (SIGHUP or a change in the rule folders) finds errors "
      "in the rule files. The whole new set is rejected and the running set keeps working; the "
      "daemon's log has every diagnostic.";
  r.tags = {"engine"};
  r.definition = "daemon: rule set reload rejected";
  r.hash = "daemon-reload-failed-1";
  all.push_back(std::move(r));
  return all;
}

void Pipeline::start(std::shared_ptr<CommitSignal> signal) {
  signal_ = std::move(signal);
  const auto stats = writer_.stats();
  base_batches_ = stats.batches_committed + stats.failed_batches;
  failed_seen_ = stats.failed_batches;
  started_at_ = store::system_clock_now();
  signal_->connect([this] {
    boost::asio::post(io_, [this] { guarded("commit", [this] { on_writer_commit(); }); });
  });
  on_tick();
}

std::unique_ptr<Stream> Pipeline::open_stream(const Feed& feed, std::uint64_t base_offset,
                                              std::uint64_t base_line, bool tracked) {
  adapters::DecoderOptions dopt;
  dopt.feed = feed.name;
  dopt.max_record = feed.max_line;
  auto decoder = adapters::make_decoder(feed.adapter, dopt);
  if (!decoder) return nullptr;
  return std::make_unique<Stream>(*this, feed, std::move(decoder), base_offset, base_line, tracked);
}

bool Pipeline::accepting() const { return events_ - committed_events_ < options_.queue_events; }

void Pipeline::when_accepting(std::function<void()> resume) {
  if (accepting()) {
    post_guarded(std::move(resume));
    return;
  }
  if (accept_waiters_.empty()) {
    ++metrics_.backpressure_pauses;
    spdlog::debug("queue full ({} events not committed): sources pause",
                  events_ - committed_events_);
  }
  accept_waiters_.push_back(std::move(resume));
}

void Pipeline::post_guarded(std::function<void()> fn) {
  boost::asio::post(io_, [fn = std::move(fn)] { guarded("pipeline", fn); });
}

void Pipeline::resume_waiters() {
  if (accept_waiters_.empty() || !accepting()) return;
  auto waiters = std::move(accept_waiters_);
  accept_waiters_.clear();
  for (auto& w : waiters) post_guarded(std::move(w));
}

std::size_t Pipeline::add_offsets(OffsetCollector collector) {
  const std::size_t id = next_collector_++;
  collectors_.emplace(id, std::move(collector));
  return id;
}

void Pipeline::remove_offsets(std::size_t id) { collectors_.erase(id); }

void Pipeline::mark_dirty(bool full) {
  dirty_ = true;
  if (full) full_needed_ = true;
  arm_checkpoint_timer();
}

bool Pipeline::full_due(SteadyClock::time_point now) const {
  return full_needed_ ||
         (state_behind_ && now - last_full_ >= std::chrono::milliseconds(options_.state_ms));
}

void Pipeline::arm_checkpoint_timer() {
  if (timer_armed_ || finished_) return;
  timer_armed_ = true;
  const std::uint64_t gen = ++timer_gen_;
  const auto now = SteadyClock::now();
  auto at = now + std::chrono::milliseconds(options_.commit_ms);
  if (full_needed_) at = std::max(at, last_full_ + save_guard_);
  checkpoint_timer_.expires_at(at);
  checkpoint_timer_.async_wait([this, gen](const boost::system::error_code& ec) {
    if (ec || gen != timer_gen_) return;
    guarded("checkpoint", [this] {
      timer_armed_ = false;
      checkpoint();
    });
  });
}

bool Pipeline::process(const Event& event) {
  if (finished_) return true;  // after the last checkpoint nothing more is taken
  const auto t0 = SteadyClock::now();
  const bool fresh = engine_.process(event, *sink_);
  metrics_.eval_seconds.observe(seconds_since(t0));
  ++events_;
  if (++since_checkpoint_ >= options_.commit_events) due_ = true;
  if (!dirty_) mark_dirty();
  return fresh;
}

void Pipeline::dead_letter(const Feed& feed, const adapters::DeadLetter& dl, std::uint64_t line,
                           std::uint64_t offset) {
  if (finished_) return;
  store::DeadLetter d;
  d.feed = feed.name;
  d.line = static_cast<std::int64_t>(line);
  d.byte_offset = static_cast<std::int64_t>(offset);
  d.reason = std::string(dl.reason);
  d.raw = std::string(dl.raw);
  writer_.write_dead_letter(d);
  ++events_;
  if (++since_checkpoint_ >= options_.commit_events) due_ = true;
  if (!dirty_) mark_dirty();
  if (++dead_logged_ <= kDeadLettersLogged) {
    spdlog::warn("{}:{}: dead letter: {}", feed.name, line, dl.reason);
    if (dead_logged_ == kDeadLettersLogged) {
      spdlog::warn(
          "further dead letters are logged at debug level only (see the dead_letters "
          "table and flashpoint_dead_letters_total)");
    }
  } else {
    spdlog::debug("{}:{}: dead letter: {}", feed.name, line, dl.reason);
  }
}

void Pipeline::after_chunk() {
  // Group commit: with no transaction in flight, end one now; otherwise the
  // events wait for the running commit (or commit_ms / commit_events).
  if (due_ || (dirty_ && submitted_ == committed_)) checkpoint();
}

void Pipeline::checkpoint(bool force) {
  due_ = false;
  if (!dirty_ || finished_) return;
  if (!force && submitted_ - committed_ >= kMaxInflight) {
    due_ = true;  // retried when a commit lands
    return;
  }
  const auto now = SteadyClock::now();
  const bool full = force || full_due(now);
  if (full && !force && now < last_full_ + save_guard_) {
    if (full_needed_) {
      arm_checkpoint_timer();  // too soon after the last full one
      return;
    }
  }
  const bool take_full = full && (force || now >= last_full_ + save_guard_);
  dirty_ = false;
  since_checkpoint_ = 0;
  ++timer_gen_;
  timer_armed_ = false;
  checkpoint_timer_.cancel();

  if (take_full) {
    std::string blob = engine_.save_state();
    const auto cost = SteadyClock::now() - now;
    metrics_.checkpoint_seconds.observe(std::chrono::duration<double>(cost).count());
    metrics_.state_bytes = blob.size();
    last_full_ = now;
    save_guard_ = cost * 10;
    full_needed_ = false;
    state_behind_ = false;
    offsets_.clear();
    for (auto& [id, collect] : collectors_) collect(offsets_);
    writer_.write_checkpoint(kStateName, std::move(blob), offsets_);
  } else {
    // Alerts only: ends the transaction without state or offsets.
    writer_.write_checkpoint({}, {}, {});
    state_behind_ = true;
  }
  ++submitted_;
  ++metrics_.checkpoints;
  pending_.push_back({submitted_, events_, SteadyClock::now()});
}

void Pipeline::when_committed(std::uint64_t seq, std::function<void()> done) {
  if (seq <= committed_) {
    post_guarded(std::move(done));
    return;
  }
  auto it = std::upper_bound(commit_waiters_.begin(), commit_waiters_.end(), seq,
                             [](std::uint64_t s, const auto& w) { return s < w.first; });
  commit_waiters_.insert(it, {seq, std::move(done)});
}

void Pipeline::on_writer_commit() { poll_commits(); }

void Pipeline::poll_commits() {
  const auto stats = writer_.stats();
  if (stats.failed_batches > failed_seen_) {
    metrics_.commit_failures += stats.failed_batches - failed_seen_;
    failed_seen_ = stats.failed_batches;
    // Nothing of the failed checkpoint (or any later one) is committed: no
    // waiter is told otherwise (an HTTP body gets no 200), and the daemon
    // stops so that a restart resumes from the last good checkpoint.
    if (on_fatal) on_fatal(writer_.failure().message());
    return;
  }
  const std::uint64_t done =
      std::min(stats.batches_committed + stats.failed_batches - base_batches_, submitted_);
  while (!pending_.empty() && pending_.front().seq <= done) {
    committed_events_ = pending_.front().events;
    committed_ = pending_.front().seq;
    metrics_.commit_seconds.observe(seconds_since(pending_.front().queued));
    pending_.pop_front();
  }
  while (!commit_waiters_.empty() && commit_waiters_.front().first <= committed_) {
    post_guarded(std::move(commit_waiters_.front().second));
    commit_waiters_.pop_front();
  }
  resume_waiters();
  if (due_ || (dirty_ && submitted_ == committed_)) checkpoint();
}

void Pipeline::on_tick() {
  if (finished_) return;
  if (options_.clock_watermark) {
    const TimeUs now = store::system_clock_now() - options_.allowed_lateness;
    if (now > engine_.watermark()) {
      engine_.advance(now, *sink_);
      mark_dirty();
    }
  }
  if (!dirty_ && full_due(SteadyClock::now())) mark_dirty(true);  // the state catches up
  poll_commits();
  if (++ticks_ % 10 == 0 && events_ != logged_events_) {
    std::uint64_t dead = 0;
    for (const auto& f : metrics_.feeds) dead += f.dead_letters;
    spdlog::info(
        "{} events and dead letters so far (+{:.0f}/s), {} alerts, {} dead letters, "
        "queue {}",
        events_, static_cast<double>(events_ - logged_events_) / 10.0, engine_.stats().alerts, dead,
        events_ - committed_events_);
    logged_events_ = events_;
  }
  tick_timer_.expires_after(std::chrono::seconds(1));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) guarded("tick", [this] { on_tick(); });
  });
}

void Pipeline::refresh_gauges() {
  metrics_.queue_depth = events_ - committed_events_;
  const auto stats = writer_.stats();
  metrics_.writer_queue = stats.queued_alerts - stats.committed_alerts - stats.dropped_alerts;
  metrics_.watermark_seconds = static_cast<double>(engine_.watermark()) / 1e6;
}

void Pipeline::reload(std::string why) {
  if (finished_) return;
  if (reloading_) {
    reload_again_ = std::move(why);
    return;
  }
  reloading_ = true;
  notify_reloading();
  spdlog::info("reloading rules ({})", why);
  worker_.submit(
      [this, paths = options_.rule_paths, why = std::move(why)] {
        Diagnostics diags;
        auto rules = RuleSet::load(paths, diags);
        boost::asio::post(io_, [this, rules = std::move(rules), diags = std::move(diags), why] {
          guarded("reload", [&] { on_reloaded(rules, diags, why); });
        });
      },
      true);
}

void Pipeline::on_reloaded(std::shared_ptr<const RuleSet> rules, Diagnostics diags,
                           std::string why) {
  reloading_ = false;
  if (finished_) return;
  if (!rules) {
    ++metrics_.reloads_failed;
    spdlog::error(
        "reload rejected: the rule files have {} error(s); the running rule set stays\n{}",
        diags.error_count(), render(diags));
    raise_reload_failed(diags);
  } else {
    if (!diags.items().empty()) spdlog::warn("rule warnings:\n{}", render(diags));
    engine_.reload(rules);
    writer_.record_rules(recorded_rules(*rules, engine_));
    ++metrics_.reloads_ok;
    metrics_.rules = rules->rules().size();
    spdlog::info("reloaded {} rules from {} files ({})", rules->rules().size(),
                 rules->files().size(), why);
  }
  mark_dirty(true);
  notify_ready("running");
  if (!reload_again_.empty()) reload(std::exchange(reload_again_, {}));
}

void Pipeline::raise_reload_failed(const Diagnostics& diags) {
  Alert alert;
  alert.rule_id = std::string(kReloadFailedRule);
  alert.severity = Severity::high;
  alert.title = "Rule reload failed";
  std::string first;
  for (const auto& d : diags.items()) {
    if (d.severity != DiagSeverity::error) continue;
    first = d.loc.file + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " +
            d.message;
    break;
  }
  alert.message = std::to_string(diags.error_count()) +
                  " error(s) in the rule files; the running set stays. First: " + first;
  alert.event_time = store::system_clock_now();
  metrics_.count_alert(alert.rule_id, alert.severity);
  writer_.on_alert(alert, {});
}

bool Pipeline::finish(const std::string& command) {
  if (finished_) return true;
  const auto& st = engine_.stats();
  store::RunSummary run;
  run.started_at = started_at_;
  run.finished_at = store::system_clock_now();
  run.command = command;
  run.events = st.events + st.duplicates;
  run.alerts = st.alerts;
  run.duplicates = st.duplicates;
  for (const auto& f : metrics_.feeds) run.dead_letters += f.dead_letters;
  writer_.write_run(run);
  dirty_ = true;
  checkpoint(true);
  finished_ = true;
  ++timer_gen_;
  checkpoint_timer_.cancel();
  tick_timer_.cancel();
  const store::Status status = writer_.flush();
  poll_commits();
  if (!status.ok()) {
    spdlog::error("database: {}", status.to_string());
    return false;
  }
  return metrics_.commit_failures == 0;
}

}  // namespace flashpoint::daemon
