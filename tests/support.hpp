// Test support: compile rules from text, decode events from JSON Lines
// text, run them through an Engine and collect the alerts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/engine.hpp"

namespace fptest {

struct Fired {
  std::string rule;
  flashpoint::Severity severity;
  std::string message;
  std::string key;
  flashpoint::TimeUs at;
  std::vector<std::string> evidence;
};

class Collect final : public flashpoint::AlertSink {
 public:
  void on_alert(const flashpoint::Alert& a, std::span<const flashpoint::Event* const> ev) override {
    Fired f{a.rule_id, a.severity, a.message, a.key, a.event_time, {}};
    for (const auto* e : ev) f.evidence.emplace_back(e->str(flashpoint::StrField::id));
    fired.push_back(std::move(f));
  }
  void on_tension(const flashpoint::TensionChange& c) override {
    tension.push_back(
        {std::string(c.pair), c.score, std::string(c.level), c.weight, std::string(c.rule_id)});
  }
  struct T {
    std::string pair;
    double score;
    std::string level;
    double weight;
    std::string rule;  // the rule that added the weight ("" for decay)
  };
  std::vector<Fired> fired;
  std::vector<T> tension;
  // "RULE evidence1,evidence2" lines, in firing order.
  [[nodiscard]] std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& f : fired) {
      std::string s = f.rule;
      for (std::size_t i = 0; i < f.evidence.size(); ++i) s += (i == 0 ? " " : ",") + f.evidence[i];
      out.push_back(s);
    }
    return out;
  }
};

class Events final : public flashpoint::adapters::DecodeSink {
 public:
  void on_event(const flashpoint::Event& e, const flashpoint::adapters::Position&) override {
    events.push_back(e);
  }
  void on_dead_letter(const flashpoint::adapters::DeadLetter& dl) override {
    dead.emplace_back(dl.reason);
  }
  std::vector<flashpoint::Event> events;
  std::vector<std::string> dead;
};

inline std::vector<flashpoint::Event> decode(const std::string& jsonl) {
  Events sink;
  auto dec = flashpoint::adapters::make_decoder("jsonl", {});
  dec->feed(jsonl, sink);
  dec->finish(sink);
  return sink.events;
}

// Compiles rules; returns nullptr and fills `diags` on errors.
inline std::shared_ptr<const flashpoint::RuleSet> compile(const std::string& toml,
                                                          flashpoint::Diagnostics& diags) {
  return flashpoint::RuleSet::compile({{"test.toml", toml}}, diags);
}

inline std::shared_ptr<const flashpoint::RuleSet> compile(const std::string& toml) {
  flashpoint::Diagnostics diags;
  auto r = compile(toml, diags);
  if (!r) throw std::runtime_error("rules did not compile:\n" + flashpoint::render(diags));
  return r;
}

// Runs events through a fresh engine over `rules`.
inline Collect run(const std::shared_ptr<const flashpoint::RuleSet>& rules,
                   const std::string& jsonl, flashpoint::EngineOptions opt = {}) {
  Collect c;
  flashpoint::Engine engine(rules, opt);
  for (const auto& e : decode(jsonl)) engine.process(e, c);
  return c;
}

// Save and resume: runs `first + second` through one engine into `whole`;
// then `first` through another, saves its state (into `blob`), restores it
// in a third and runs `second` there into `split`. Returns the third engine,
// or nullptr when the state did not restore.
template <typename Sink>
std::unique_ptr<flashpoint::Engine> run_resumed(
    const std::shared_ptr<const flashpoint::RuleSet>& rules, const std::string& first,
    const std::string& second, Sink& whole, Sink& split, std::string& blob) {
  {
    flashpoint::Engine e(rules, {});
    for (const auto& x : decode(first + second)) e.process(x, whole);
  }
  {
    flashpoint::Engine e(rules, {});
    for (const auto& x : decode(first)) e.process(x, split);
    blob = e.save_state();
  }
  const flashpoint::EngineOptions options;
  auto resumed = std::make_unique<flashpoint::Engine>(rules, options);
  if (!resumed->restore_state(blob)) return nullptr;
  for (const auto& x : decode(second)) resumed->process(x, split);
  return resumed;
}

// The rendered diagnostics of compiling `toml` (empty when clean).
inline std::string diagnostics_of(const std::string& toml) {
  flashpoint::Diagnostics diags;
  compile(toml, diags);
  std::string out;
  for (const auto& d : diags.items()) {
    out += d.loc.file + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " +
           (d.severity == flashpoint::DiagSeverity::error ? "error: " : "warning: ") + d.message +
           "\n";
  }
  return out;
}

// One event line.
inline std::string ev(const std::string& id, const std::string& time, const std::string& kind,
                      const std::string& extra = "") {
  std::string s = R"({"id":")" + id + R"(","time":")" + time + R"(","kind":")" + kind + "\"";
  if (!extra.empty()) s += "," + extra;
  return s + "}\n";
}

}  // namespace fptest
