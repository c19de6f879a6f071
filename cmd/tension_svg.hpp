// Tension over time, shared by `flashpoint tension` and the web page
// (GET /tension, GET /tension.svg): the decay between stored points, the
// current score of each actor pair, and the SVG chart with level bands.
//
// Thread-safety: pure functions; safe from any thread (the daemon calls
// them on its worker thread).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "flashpoint/engine/engine.hpp"
#include "flashpoint/store/records.hpp"

namespace flashpoint::cmd {

// Tension points grouped by pair, each series in time order.
using TensionSeries = std::map<std::string, std::vector<store::TensionPoint>>;

// `score` decayed from event time `from` to `to` (exponential, half-life).
double decayed(double score, TimeUs from, TimeUs to, DurationUs half_life);

// "TWN-CHN" -> "CHN-TWN": pairs are stored with their codes sorted.
std::string normalize_pair(std::string_view pair);

// Groups points (as tension_points returns them) by pair.
TensionSeries group_tension(std::vector<store::TensionPoint> points);

// One pair now: its last score decayed to `now` (the newest point's time
// over every pair), its peak, the level of its last point.
struct PairSummary {
  std::string pair;
  double score = 0;
  double peak = 0;
  std::string level;  // "" below every level
  TimeUs updated = 0;
  std::size_t updates = 0;
};
struct TensionSummary {
  TimeUs now = 0;                  // newest point's event time (0 when none)
  std::vector<PairSummary> pairs;  // highest score first
};
TensionSummary summarize_tension(const TensionSeries& series, const TensionOptions& opt);

// The chart: one decaying line per pair over event time, the level bands
// of `opt` behind them. Pair names and levels are escaped.
std::string tension_svg(const TensionSeries& series, const TensionOptions& opt);

}  // namespace flashpoint::cmd
