// Engine internals: run-time state kept apart from the compiled rules.
//
// Per rule: thresholds' windows, sequences' partial matches, absences'
// pending deadlines and throttles, each keyed by the rule's key string.
// Sequences and absences keep the events of their steps whole (later steps'
// conditions read their fields), as shared copies, one per event however many
// rules keep it. Threshold windows keep only each event's evidence (a
// KeptEvent, also shared). Single-threaded: owned by the Engine's thread.
#pragma once

#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/unordered/unordered_flat_set.hpp>

#include "flashpoint/engine/engine.hpp"
#include "rules/compiled.hpp"
#include "state/kept_event.hpp"

namespace flashpoint {

using EventRef = std::shared_ptr<const Event>;

struct WindowEntry {
  TimeUs time = 0;
  KeptEvent event;   // with the counted values in distinct mode
  double value = 0;  // sum mode
};

struct Window {
  std::vector<WindowEntry> entries;  // ordered by time; live from `head`
  std::size_t head = 0;
  TimeUs touched = 0;
  [[nodiscard]] std::size_t size() const { return entries.size() - head; }
  void clear() {
    entries.clear();
    head = 0;
  }
};

struct Partial {
  std::vector<EventRef> events;  // one per matched step
  TimeUs last = 0;               // time of the last matched step
};

struct Pending {
  EventRef first;
  TimeUs deadline = 0;
  std::uint64_t generation = 0;
};

struct RuleState {
  std::unordered_map<std::string, Window, detail::StringHash, std::equal_to<>> windows;
  std::unordered_map<std::string, Partial, detail::StringHash, std::equal_to<>> partials;
  std::unordered_map<std::string, Pending, detail::StringHash, std::equal_to<>> pending;
  std::unordered_map<std::string, TimeUs, detail::StringHash, std::equal_to<>> throttle_until;
  std::uint64_t last_serial = 0;  // last event handled (sequence/absence run once per event)
  bool limit_warned = false;
};

struct Deadline {
  TimeUs at;
  std::uint32_t rule;
  std::uint64_t generation;
  std::string key;
  bool operator>(const Deadline& o) const { return at > o.at; }
};

struct PairScore {
  double score = 0;
  TimeUs time = 0;
  int level = -1;  // index into the sorted levels; -1 below all
};

struct Engine::Impl {
  Impl(std::shared_ptr<const RuleSet> r, EngineOptions o);

  std::shared_ptr<const RuleSet> rules;
  const detail::CompiledRules* cr = nullptr;
  EngineOptions opt;
  EngineStats stats;
  TimeUs watermark = INT64_MIN;
  std::uint64_t serial = 0;  // events processed, for once-per-event logic

  std::vector<RuleState> state;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines;
  std::uint64_t generation = 0;

  // Open addressing: one probe into a flat array per event, no node per id.
  boost::unordered_flat_set<std::uint64_t> seen;
  std::deque<std::uint64_t> seen_order;

  std::vector<std::pair<std::string, double>> levels;  // sorted ascending
  std::unordered_map<std::string, PairScore> tension;
  TimeUs tension_swept = INT64_MIN;

  // Reused buffers.
  std::vector<std::string> scratch;
  std::vector<detail::Sub> candidates;
  std::vector<std::uint8_t> step_pass;  // on_sequence: prefilter result per step
  std::string key_buf;
  std::vector<const Event*> evidence;
  std::vector<Event> evidence_events;  // a window's evidence, unpacked to fire
  std::vector<std::string_view> views_a;
  std::vector<std::string_view> views_b;

  // The event being processed, copied at most once when state keeps it.
  const Event* current = nullptr;
  EventRef current_ref;
  KeptEvent current_kept;
  bool fired_current = false;

  std::deque<Event> reentry;  // alert events waiting to re-enter
  bool alerts_reenter = true;

  AlertSink* sink = nullptr;

  // engine.cpp
  bool process(const Event& ev, AlertSink& s);
  void run_event(const Event& ev);
  void advance_to(TimeUs now);
  bool duplicate(const Event& ev);
  EventRef keep_current();
  KeptEvent keep_current_evidence();
  exec::EvalContext ctx(const Event& ev, const Event* const* steps = nullptr, std::size_t n = 0);
  bool make_key(const detail::CompiledRule& r, const exec::EvalContext& c, std::string& out);
  void fire(std::uint32_t rule, const Event& trigger, std::span<const Event* const> evidence,
            const std::string& key, TimeUs at);
  // Emits the alert; returns its re-entering event, or nullptr past the depth cap.
  const Event* emit_alert(const Alert& a, std::span<const Event* const> evidence,
                          const Event& trigger, const std::vector<std::string>* claims, int origin);
  bool throttled(std::uint32_t rule, const std::string& key, TimeUs now);
  template <typename Map>
  void bound(std::uint32_t rule, Map& map);

  // operators.cpp
  void on_stateless(std::uint32_t rule, const Event& ev);
  void on_threshold(std::uint32_t rule, const Event& ev);
  void on_sequence(std::uint32_t rule, const Event& ev);
  void on_absence(std::uint32_t rule, const Event& ev);
  void expire_deadlines(TimeUs now);

  // tension.cpp
  void add_tension(const detail::CompiledRule& r, const Event& trigger, const Event* alert_event);
  // rule_id and trigger name the rule and event that added `weight` (both
  // nullptr for a decay-only check).
  void update_pair(const std::string& pair, double weight, TimeUs now, const Event* alert_event,
                   const std::string* rule_id = nullptr, const Event* trigger = nullptr);
  void sweep_tension(TimeUs now);
};

}  // namespace flashpoint
