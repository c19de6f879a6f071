// fp_window_mem_bench: the engine's own memory per live window entry.
//
//   fp_window_mem_bench RULES EVENTS.jsonl
//
// Loads the rules, then feeds the events to an Engine (duplicate filter off,
// key bound off) with a sink that expects no alerts, and reports the heap
// bytes in use (glibc mallinfo2: allocated chunks, mmapped blocks included)
// before and after, per event kept. Process start-up, the decoder and SQLite
// are outside the difference, unlike a `flashpoint replay` peak RSS, which
// also holds the saved engine state being written (docs/performance.md).
// Used by bench/run.sh and bench/scaling.py; prints one line.
#include <malloc.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/diagnostic.hpp"
#include "flashpoint/engine/engine.hpp"
#include "flashpoint/engine/rule_set.hpp"

namespace {

std::size_t heap_in_use() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

class NoAlerts final : public flashpoint::AlertSink {
 public:
  void on_alert(const flashpoint::Alert& /*alert*/,
                std::span<const flashpoint::Event* const> /*evidence*/) override {
    ++alerts;
  }
  std::size_t alerts = 0;
};

class Feed final : public flashpoint::adapters::DecodeSink {
 public:
  Feed(flashpoint::Engine& engine, NoAlerts& sink) : engine_(engine), sink_(sink) {}
  void on_event(const flashpoint::Event& e, const flashpoint::adapters::Position& /*at*/) override {
    engine_.process(e, sink_);
    ++events;
  }
  void on_dead_letter(const flashpoint::adapters::DeadLetter& /*dl*/) override { ++dead; }
  std::size_t events = 0;
  std::size_t dead = 0;

 private:
  flashpoint::Engine& engine_;
  NoAlerts& sink_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fp_window_mem_bench RULES EVENTS.jsonl\n");
    return 2;
  }
  flashpoint::Diagnostics diags;
  auto rules = flashpoint::RuleSet::load({argv[1]}, diags);
  if (!rules) {
    std::fprintf(stderr, "%s", flashpoint::render(diags).c_str());
    return 1;
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  flashpoint::EngineOptions options;
  options.dedup_capacity = 0;
  options.max_keys_per_rule = SIZE_MAX;
  auto decoder = flashpoint::adapters::make_decoder("jsonl", {});
  std::string chunk(1 << 20, '\0');
  std::size_t before = 0;
  std::size_t after = 0;
  NoAlerts sink;
  flashpoint::Engine engine(rules, options);
  Feed feed(engine, sink);
  before = heap_in_use();
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    decoder->feed(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())), feed);
  }
  decoder->finish(feed);
  after = heap_in_use();
  const double per = feed.events > 0
                         ? static_cast<double>(after - before) / static_cast<double>(feed.events)
                         : 0.0;
  std::printf(
      "events %zu alerts %zu dead %zu heap_before %zu heap_after %zu bytes_per_event %.1f\n",
      feed.events, sink.alerts, feed.dead, before, after, per);
  return sink.alerts == 0 && feed.dead == 0 ? 0 : 3;
}
