// The matching engine: runs events through a compiled RuleSet and emits
// alerts to an AlertSink.
//
// Single-threaded by design: one Engine is driven from one thread (the
// daemon's loop, or replay's main thread). Event time drives every window;
// `now` is the time of the event being processed. Engine-made alerts
// re-enter the engine as events of kind "alert" (chain depth capped).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flashpoint/engine/alert.hpp"
#include "flashpoint/engine/event.hpp"
#include "flashpoint/engine/rule_set.hpp"

namespace flashpoint {

struct TensionOptions {
  DurationUs half_life = 90 * kDay;
  // Level name -> score; crossing upward raises `tension/<name>`.
  std::map<std::string, double> levels{{"elevated", 10.0}, {"high", 25.0}, {"critical", 50.0}};
  // A pair falls back below a level when its score drops under
  // level * (1 - hysteresis).
  double hysteresis = 0.2;
  // Scores never fall below this: de-escalation (negative weights) eases
  // tension but does not bank credit against later escalation. -infinity
  // lets scores go negative.
  double floor = 0.0;
};

struct EngineOptions {
  std::uint8_t max_depth = 4;               // alert-chain depth cap
  std::size_t max_keys_per_rule = 100'000;  // state bound per stateful rule
  std::size_t dedup_capacity = 10'000'000;  // (source, id) pairs remembered
  DurationUs allowed_lateness = 0;
  TensionOptions tension;
};

struct EngineStats {
  std::uint64_t events = 0;      // events processed (not duplicates)
  std::uint64_t matched = 0;     // events that fired at least one rule
  std::uint64_t duplicates = 0;  // (source, id) seen before: ignored
  std::uint64_t alerts = 0;      // alerts emitted (including tension alerts)
  std::uint64_t late = 0;        // events older than the watermark
  std::uint64_t throttled = 0;   // events ignored by a throttle
  std::uint64_t evicted = 0;     // state entries evicted by the bounds
  std::vector<std::uint64_t> alerts_per_rule;
};

class Engine {
 public:
  Engine(std::shared_ptr<const RuleSet> rules, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Processes one event. Returns false (and does nothing else) when the
  // event's (source, id) was seen before.
  bool process(const Event& event, AlertSink& sink);

  // Advances the watermark without an event (live runs: timers).
  void advance(TimeUs now, AlertSink& sink);

  [[nodiscard]] const EngineStats& stats() const;
  [[nodiscard]] const RuleSet& rules() const;
  [[nodiscard]] TimeUs watermark() const;
  // Rules the engine itself fires (tension levels, state-limit warnings),
  // so the store can describe their alerts.
  [[nodiscard]] std::vector<RuleInfo> builtin_rules() const;
  // Current tension per pair ("CHN-JPN" -> score decayed to the watermark).
  [[nodiscard]] std::map<std::string, double> tension_scores() const;

  // State persistence: serialise / restore all operator state (windows,
  // partial matches, pending absences, throttles, tension, dedup), keyed by
  // rule id and definition hash so changed rules start fresh.
  [[nodiscard]] std::string save_state() const;
  bool restore_state(std::string_view blob);

  // Swaps in a new rule set; state of rules whose hash is unchanged is kept.
  void reload(std::shared_ptr<const RuleSet> rules);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace flashpoint
