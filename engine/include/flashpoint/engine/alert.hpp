// Alerts: what the engine emits, and the sink interface it emits them to.
//
// The engine knows nothing of storage: the store (or a test, or the bench)
// implements AlertSink. The engine calls the sink synchronously from the
// thread that calls Engine::process; the evidence pointers are valid only
// for the duration of the call.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flashpoint/engine/event.hpp"
#include "flashpoint/engine/time.hpp"

namespace flashpoint {

enum class Severity : std::uint8_t { info, low, medium, high, critical };
std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

struct Alert {
  std::string rule_id;
  std::int32_t rule_index = -1;  // index in the engine's rule set
  Severity severity = Severity::medium;
  std::string title;
  std::string message;     // template rendered against the triggering event
  std::string key;         // the rule's key fields' values joined by '|', "" for global
  TimeUs event_time = 0;   // time of the triggering event
  std::uint8_t depth = 0;  // 1 + depth of the triggering event
};

// An actor pair's tension score after a change (DESIGN §3, tension).
struct TensionChange {
  std::string_view pair;           // "CHN-JPN", codes sorted
  TimeUs time = 0;                 // event time of the change
  double score = 0;                // the score after decay and weight
  std::string_view level;          // the pair's level ("" below the lowest level)
  double weight = 0;               // what the rule added (0 for a decay-only check)
  std::string_view rule_id;        // the rule whose alert added it ("" for decay)
  const Event* trigger = nullptr;  // the event that fired that rule (nullptr for decay)
};

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  // Called once per alert, in firing order. `evidence` lists the events that
  // made it fire, in event order (the trigger last).
  virtual void on_alert(const Alert& alert, std::span<const Event* const> evidence) = 0;
  // Called when an actor pair's tension score changes.
  virtual void on_tension(const TensionChange& change) { (void)change; }
};

}  // namespace flashpoint
