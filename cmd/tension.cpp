// `flashpoint tension --db FILE [--pair A-B] [--svg FILE] [--config FILE]`:
// escalation scores per actor pair, and an SVG chart of them over time with
// the level bands.
#include <cstdio>
#include <fstream>

#include "commands.hpp"
#include "common.hpp"
#include "config.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/query.hpp"
#include "tension_svg.hpp"

namespace flashpoint::cmd {

int run_tension(const TensionCmdOptions& o) {
  Config cfg;
  if (!o.config.empty()) {
    Diagnostics diags;
    if (!load_config(o.config, cfg, diags)) {
      print_diagnostics(diags);
      return kExitUsage;
    }
  }
  auto db = store::Database::open(o.db, store::OpenMode::read_only);
  if (!db.ok()) {
    std::fprintf(stderr, "flashpoint tension: %s: %s\n", o.db.c_str(),
                 db.status().to_string().c_str());
    return kExitUsage;
  }
  // Pairs are stored with codes sorted: accept either order.
  const std::string pair = normalize_pair(o.pair);
  auto pts = store::tension_points(*db, pair);
  if (!pts.ok()) {
    std::fprintf(stderr, "flashpoint tension: %s\n", pts.status().to_string().c_str());
    return kExitUsage;
  }
  const TensionSeries series = group_tension(std::move(pts).value());
  if (series.empty()) {
    std::printf(pair.empty() ? "no tension recorded\n" : "no tension recorded for %s\n",
                pair.c_str());
  } else {
    const TensionSummary summary = summarize_tension(series, cfg.engine.tension);
    std::printf("%-14s %10s %10s %-10s %-10s %s\n", "PAIR", "SCORE", "PEAK", "LEVEL", "UPDATED",
                "UPDATES");
    for (const auto& s : summary.pairs) {
      std::printf("%-14s %10.1f %10.1f %-10s %-10s %zu\n", s.pair.c_str(), s.score, s.peak,
                  s.level.empty() ? "-" : s.level.c_str(),
                  format_time(s.updated).substr(0, 10).c_str(), s.updates);
    }
    std::printf("scores decayed to %s (half-life %lldd)\n",
                format_time(summary.now).substr(0, 10).c_str(),
                static_cast<long long>(cfg.engine.tension.half_life / kDay));
  }
  if (!o.svg.empty()) {
    std::ofstream out(o.svg, std::ios::binary);
    out << tension_svg(series, cfg.engine.tension);
    if (!out) {
      std::fprintf(stderr, "flashpoint tension: cannot write %s\n", o.svg.c_str());
      return kExitUsage;
    }
    std::printf("chart written to %s\n", o.svg.c_str());
  }
  return kExitOk;
}

}  // namespace flashpoint::cmd
