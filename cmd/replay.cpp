// `flashpoint replay`: run archives through the rules into the database.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "config.hpp"
#include "decode_thread.hpp"
#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/engine.hpp"
#include "flashpoint/store/alert_writer.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::cmd {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kStateName = "engine";

// Counts what the decoders produce and forwards events to a handler.
class ReplaySink final : public adapters::DecodeSink {
 public:
  ReplaySink(store::AlertWriter* writer, std::function<void(const Event&)> handler)
      : writer_(writer), handler_(std::move(handler)) {}

  void on_event(const Event& event, const adapters::Position& /*pos*/) override {
    ++events_;
    handler_(event);
  }

  void on_dead_letter(const adapters::DeadLetter& dl) override {
    ++dead_;
    if (writer_ != nullptr) {
      store::DeadLetter d;
      d.feed = std::string(dl.feed);
      d.line = static_cast<std::int64_t>(dl.pos.line);
      d.byte_offset = static_cast<std::int64_t>(dl.pos.end_offset);
      d.reason = std::string(dl.reason);
      d.raw = std::string(dl.raw);
      writer_->write_dead_letter(d);
    }
    if (dead_ <= 20) {
      std::fprintf(stderr, "%.*s:%llu: dead letter: %.*s\n", static_cast<int>(dl.feed.size()),
                   dl.feed.data(), static_cast<unsigned long long>(dl.pos.line),
                   static_cast<int>(dl.reason.size()), dl.reason.data());
    } else if (dead_ == 21) {
      std::fprintf(stderr, "(further dead letters are only counted; see the dead_letters table)\n");
    }
  }

  std::uint64_t events_ = 0;
  std::uint64_t dead_ = 0;

 private:
  store::AlertWriter* writer_;
  std::function<void(const Event&)> handler_;
};

class Progress {
 public:
  explicit Progress(bool on) : on_(on), start_(Clock::now()) {}
  void update(std::uint64_t events, std::uint64_t bytes, std::uint64_t total) {
    if (!on_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const int width = 30;
    const double frac =
        total > 0 ? std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total)) : 0;
    std::string bar(static_cast<std::size_t>(frac * width), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r[%s] %3.0f%%  %llu events  %.0f events/s ", bar.c_str(), frac * 100,
                 static_cast<unsigned long long>(events),
                 secs > 0 ? static_cast<double>(events) / secs : 0.0);
  }
  void done() {
    if (on_) std::fprintf(stderr, "\r%*s\r", 78, "");
  }

 private:
  bool on_;
  Clock::time_point start_;
  Clock::time_point last_{};
};

std::string feed_name(const std::string& input) {
  if (input == "-") return "stdin";
  return std::filesystem::path(input).filename().string();
}

std::string format_for(const ReplayOptions& o, const std::string& input) {
  if (o.format != "auto") return o.format;
  return adapters::detect_format(input, read_head(input, 8192));
}

}  // namespace

int run_replay(const ReplayOptions& o) {
  static const std::vector<std::string> formats = {"auto", "jsonl", "gdelt", "sipri", "acled"};
  if (std::find(formats.begin(), formats.end(), o.format) == formats.end()) {
    std::fprintf(stderr,
                 "flashpoint replay: --format is one of auto, jsonl, gdelt, sipri, acled\n");
    return kExitUsage;
  }
  std::uint64_t total_bytes = 0;
  for (const auto& in : o.inputs) {
    std::error_code ec;
    if (in != "-") {
      const auto size = std::filesystem::file_size(in, ec);
      if (ec) {
        std::fprintf(stderr, "flashpoint replay: %s: %s\n", in.c_str(), ec.message().c_str());
        return kExitUsage;
      }
      total_bytes += size;
    }
  }

  auto make_decoder = [&](const std::string& in,
                          std::string& error) -> std::unique_ptr<adapters::Decoder> {
    adapters::DecoderOptions dopt;
    dopt.feed = feed_name(in);
    const auto fmt = format_for(o, in);
    auto dec = adapters::make_decoder(fmt, dopt);
    if (!dec) error = "no decoder for format '" + fmt + "'";
    return dec;
  };
  // --dry-run: print what the inputs map to.
  if (o.dry_run) {
    std::string line;
    ReplaySink sink(nullptr, [&](const Event& ev) {
      line = ev.to_json();
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), stdout);
    });
    std::string error;
    if (!decode_inputs(
            o.inputs, make_decoder, sink, [](std::size_t) {}, error)) {
      std::fprintf(stderr, "flashpoint replay: %s\n", error.c_str());
      return kExitUsage;
    }
    std::fprintf(stderr, "replay --dry-run: %llu events, %llu dead letters\n",
                 static_cast<unsigned long long>(sink.events_),
                 static_cast<unsigned long long>(sink.dead_));
    return kExitOk;
  }

  Config cfg;
  if (!o.config.empty()) {
    Diagnostics diags;
    if (!load_config(o.config, cfg, diags)) {
      print_diagnostics(diags);
      return kExitUsage;
    }
    print_diagnostics(diags);
  }
  auto rules = load_rules(o.rules);
  if (!rules) return kExitFinding;

  auto writer_r = store::AlertWriter::open(o.db);
  if (!writer_r.ok()) {
    std::fprintf(stderr, "flashpoint replay: %s: %s\n", o.db.c_str(),
                 writer_r.status().to_string().c_str());
    return kExitUsage;
  }
  auto writer = std::move(writer_r).value();
  Engine engine(rules, cfg.engine);
  // One call: each call replaces the writer's rule-hash map.
  auto known = rules->rules();
  const auto builtin = engine.builtin_rules();
  known.insert(known.end(), builtin.begin(), builtin.end());
  writer->record_rules(known);
  // Resume: a database that holds engine state continues from it, so two
  // replays of consecutive archives give the alerts of one replay of both.
  if (!o.fresh) {
    auto db = store::Database::open(o.db, store::OpenMode::read_only);
    if (db.ok()) {
      auto blob = store::engine_state(*db, kStateName);
      if (blob.ok() && blob->has_value()) {
        if (engine.restore_state(**blob)) {
          if (!o.quiet) {
            std::fprintf(stderr, "replay: resuming from the engine state saved in %s\n",
                         o.db.c_str());
          }
        } else {
          std::fprintf(
              stderr,
              "replay: warning: the saved engine state in %s is unreadable; starting fresh\n",
              o.db.c_str());
        }
      }
    }
  }

  const auto wall_start = std::chrono::system_clock::now();
  const auto start = Clock::now();
  Progress progress(stderr_is_tty() && !o.quiet);
  std::uint64_t bytes_done = 0;
  std::vector<Event> buffered;
  std::uint64_t processed = 0;
  ReplaySink sink(writer.get(), [&](const Event& ev) {
    if (o.sort || o.format == "sipri") {
      buffered.push_back(ev);
      return;
    }
    engine.process(ev, *writer);
    if ((++processed & 0xFFFFU) == 0) progress.update(processed, bytes_done, total_bytes);
  });
  std::string error;
  if (o.decode_thread) {
    // Decoding overlaps matching; events and dead letters arrive in input
    // order, so the outcome is that of the loop below. Off by default: on
    // the 2-core machine of docs/performance.md it is slower (the events
    // cross between cores' caches; the second core also runs SQLite).
    DecodeThread decode(o.inputs, make_decoder);
    auto dead_letter = [&](const DecodeThread::Dead& d) {
      sink.on_dead_letter({d.feed, d.pos, d.reason, d.raw});
    };
    while (auto* batch = decode.next()) {
      std::size_t d = 0;
      for (std::size_t i = 0; i < batch->count; ++i) {
        for (; d < batch->dead.size() && batch->dead[d].before == i; ++d)
          dead_letter(batch->dead[d]);
        sink.on_event(batch->events[i], {});
      }
      for (; d < batch->dead.size(); ++d) dead_letter(batch->dead[d]);
      bytes_done = decode.bytes_read();
      decode.recycle(batch);
    }
    error = decode.error();
  } else {
    decode_inputs(
        o.inputs, make_decoder, sink, [&](std::size_t n) { bytes_done += n; }, error);
  }
  if (!error.empty()) {
    std::fprintf(stderr, "flashpoint replay: %s\n", error.c_str());
    return kExitUsage;
  }
  if (!buffered.empty()) {
    std::stable_sort(buffered.begin(), buffered.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    for (const auto& ev : buffered) engine.process(ev, *writer);
  }
  progress.done();
  const auto& st = engine.stats();
  store::RunSummary run;
  run.started_at =
      std::chrono::duration_cast<std::chrono::microseconds>(wall_start.time_since_epoch()).count();
  run.finished_at = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  std::ostringstream cmdline;
  cmdline << "replay";
  for (const auto& r : o.rules) cmdline << " --rules " << r;
  for (const auto& in : o.inputs) cmdline << ' ' << in;
  run.command = cmdline.str();
  run.events = sink.events_;
  run.alerts = st.alerts;
  run.dead_letters = sink.dead_;
  run.duplicates = st.duplicates;
  writer->write_run(run);
  writer->write_engine_state(kStateName, engine.save_state());
  const auto status = writer->flush();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  if (!o.quiet) {
    std::fprintf(
        stderr,
        "replay: %llu events read, %llu matched, %llu dead letters, %llu duplicates, "
        "%llu late, %llu alerts in %.2f s (%.0f events/s)\n",
        static_cast<unsigned long long>(sink.events_), static_cast<unsigned long long>(st.matched),
        static_cast<unsigned long long>(sink.dead_), static_cast<unsigned long long>(st.duplicates),
        static_cast<unsigned long long>(st.late), static_cast<unsigned long long>(st.alerts), secs,
        secs > 0 ? static_cast<double>(sink.events_) / secs : 0.0);
  }
  if (!status.ok()) {
    std::fprintf(stderr, "flashpoint replay: writing %s failed: %s\n", o.db.c_str(),
                 status.to_string().c_str());
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace flashpoint::cmd
