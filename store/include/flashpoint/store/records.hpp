// Records the store keeps beside alerts: dead letters, feed offsets, engine
// checkpoints, run summaries and tension scores. The same structs are what
// AlertWriter takes and what the read-side queries return.
//
// Thread-safety: plain value types; no synchronisation.
#pragma once

#include <cstdint>
#include <string>

#include "flashpoint/engine/time.hpp"

namespace flashpoint::store {

// A line the adapters could not turn into an event (DESIGN §2, "Bad input").
struct DeadLetter {
  std::int64_t id = 0;           // assigned by SQLite (ignored when writing)
  std::string feed;              // the feed's name
  std::int64_t line = 0;         // 1-based line number in the feed (0 when unknown)
  std::int64_t byte_offset = 0;  // offset of the line's first byte
  std::string reason;            // why it was rejected
  std::string raw;               // the line (truncated to the writer's limit)
  std::string received_at;       // RFC 3339, wall clock (set by the writer)
};

// How far a feed's file has been consumed, so a restart resumes there.
struct FeedOffset {
  std::string feed;
  std::string file;         // the file path, "" for feeds without files
  std::int64_t offset = 0;  // bytes consumed
  std::string updated_at;   // RFC 3339, wall clock (set by the writer)
};

// One `replay` or daemon run.
struct RunSummary {
  std::int64_t id = 0;  // assigned by SQLite (ignored when writing)
  TimeUs started_at = 0;
  TimeUs finished_at = 0;
  std::string command;  // e.g. "replay --rules rules data.jsonl"
  std::uint64_t events = 0;
  std::uint64_t alerts = 0;
  std::uint64_t dead_letters = 0;
  std::uint64_t duplicates = 0;
};

// One point of an actor pair's escalation score.
struct TensionPoint {
  std::string pair;  // "CHN-JPN"
  TimeUs time = 0;   // event time
  double score = 0;
  std::string level;      // the level reached ("" when below every level)
  double weight = 0;      // what a rule added (0 for a decay-only check)
  std::string rule_id{};  // that rule ("" for decay)
  std::string source{};   // the (source, id) of the event that fired it
  std::string event_id{};
};

}  // namespace flashpoint::store
