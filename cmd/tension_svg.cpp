// Tension scores per pair and their SVG chart (see tension_svg.hpp).
#include "tension_svg.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <sstream>
#include <utility>

#include "flashpoint/engine/time.hpp"

namespace flashpoint::cmd {
namespace {

std::string esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

double decayed(double score, TimeUs from, TimeUs to, DurationUs half_life) {
  if (to <= from || half_life <= 0) return score;
  return score * std::exp2(-static_cast<double>(to - from) / static_cast<double>(half_life));
}

std::string normalize_pair(std::string_view pair) {
  std::string out(pair);
  if (const auto dash = out.find('-'); dash != std::string::npos) {
    const auto a = out.substr(0, dash);
    const auto b = out.substr(dash + 1);
    if (b < a) out = b + "-" + a;
  }
  return out;
}

TensionSeries group_tension(std::vector<store::TensionPoint> points) {
  TensionSeries series;
  for (auto& p : points) series[p.pair].push_back(std::move(p));
  return series;
}

TensionSummary summarize_tension(const TensionSeries& series, const TensionOptions& opt) {
  TensionSummary out;
  TimeUs now = INT64_MIN;
  for (const auto& [pair, pts] : series) {
    for (const auto& p : pts) now = std::max(now, p.time);
  }
  if (series.empty()) return out;
  out.now = now;
  for (const auto& [pair, pts] : series) {
    if (pts.empty()) continue;
    PairSummary s;
    s.pair = pair;
    s.score = decayed(pts.back().score, pts.back().time, now, opt.half_life);
    for (const auto& p : pts) s.peak = std::max(s.peak, p.score);
    s.level = pts.back().level;
    s.updated = pts.back().time;
    s.updates = pts.size();
    out.pairs.push_back(std::move(s));
  }
  std::sort(out.pairs.begin(), out.pairs.end(), [](const PairSummary& a, const PairSummary& b) {
    return a.score != b.score ? a.score > b.score : a.pair > b.pair;
  });
  return out;
}

std::string tension_svg(const TensionSeries& series, const TensionOptions& opt) {
  constexpr double kW = 900;
  constexpr double kH = 420;
  constexpr double kLeft = 60;
  constexpr double kRight = 170;
  constexpr double kTop = 30;
  constexpr double kBottom = 40;
  TimeUs t0 = INT64_MAX;
  TimeUs t1 = INT64_MIN;
  double ymax = 0;
  for (const auto& [pair, pts] : series) {
    for (const auto& p : pts) {
      t0 = std::min(t0, p.time);
      t1 = std::max(t1, p.time);
      ymax = std::max(ymax, p.score);
    }
  }
  for (const auto& [name, v] : opt.levels) ymax = std::max(ymax, v * 1.1);
  if (t0 == INT64_MAX) {
    t0 = 0;
    t1 = kDay;
  }
  if (t1 <= t0) t1 = t0 + kDay;
  t1 += (t1 - t0) / 20;  // room to show the decay after the last point
  ymax = std::max(ymax, 1.0) * 1.05;
  const double pw = kW - kLeft - kRight;
  const double ph = kH - kTop - kBottom;
  auto x = [&](TimeUs t) {
    return kLeft + pw * static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
  };
  auto y = [&](double s) { return kTop + ph * (1.0 - std::max(0.0, s) / ymax); };
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(1);
  o << R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" << kW << R"(" height=")" << kH
    << R"(" font-family="sans-serif" font-size="11">)"
    << "\n";
  o << R"(<rect width="100%" height="100%" fill="#ffffff"/>)"
    << "\n";
  o << "<title>Tension scores over event time</title>\n";
  // Level bands, lowest first.
  std::vector<std::pair<double, std::string>> levels;
  for (const auto& [name, v] : opt.levels) levels.emplace_back(v, name);
  std::sort(levels.begin(), levels.end());
  static const char* band[] = {"#fff4cc", "#ffd9b3", "#ffb3b3", "#f08080"};
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const double lo = levels[i].first;
    const double hi = i + 1 < levels.size() ? levels[i + 1].first : ymax;
    if (lo >= ymax) continue;
    o << R"(<rect class="band" x=")" << kLeft << R"(" y=")" << y(hi) << R"(" width=")" << pw
      << R"(" height=")" << (y(lo) - y(hi)) << R"(" fill=")" << band[std::min<std::size_t>(i, 3)]
      << R"("/>)"
      << "\n";
    o << R"(<text x=")" << (kLeft + 4) << R"(" y=")" << (y(lo) - 3) << R"(" fill="#805000">)"
      << esc(levels[i].second) << " " << levels[i].first << "</text>\n";
  }
  // Axes.
  o << R"(<line x1=")" << kLeft << R"(" y1=")" << (kTop + ph) << R"(" x2=")" << (kLeft + pw)
    << R"(" y2=")" << (kTop + ph) << R"(" stroke="#333"/>)"
    << "\n";
  o << R"(<line x1=")" << kLeft << R"(" y1=")" << kTop << R"(" x2=")" << kLeft << R"(" y2=")"
    << (kTop + ph) << R"(" stroke="#333"/>)"
    << "\n";
  for (int i = 0; i <= 4; ++i) {
    const TimeUs t = t0 + (t1 - t0) * i / 4;
    o << R"(<text x=")" << x(t) << R"(" y=")" << (kTop + ph + 16) << R"(" text-anchor="middle">)"
      << format_time(t).substr(0, 10) << "</text>\n";
    const double s = ymax * i / 4;
    o << R"(<text x=")" << (kLeft - 6) << R"(" y=")" << (y(s) + 4) << R"(" text-anchor="end">)" << s
      << "</text>\n";
  }
  o << R"(<text x=")" << kLeft
    << R"(" y="18" font-size="13">Tension per actor pair (event time)</text>)"
    << "\n";
  static const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                 "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  std::size_t k = 0;
  for (const auto& [pair, pts] : series) {
    const char* color = colors[k % 10];
    // Between stored points the score decays exponentially: sample it.
    std::ostringstream path;
    path.setf(std::ios::fixed);
    path.precision(1);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const auto& p = pts[i];
      path << (i == 0 ? "M" : " L") << x(p.time) << "," << y(p.score);
      const TimeUs until = i + 1 < pts.size() ? pts[i + 1].time : t1;
      for (int s = 1; s <= 16; ++s) {
        const TimeUs t = p.time + (until - p.time) * s / 16;
        path << " L" << x(t) << "," << y(decayed(p.score, p.time, t, opt.half_life));
      }
    }
    o << R"(<path class="series" data-pair=")" << esc(pair) << R"(" d=")" << path.str()
      << R"(" fill="none" stroke=")" << color << R"(" stroke-width="1.6"/>)"
      << "\n";
    const double ly = kTop + 14.0 * static_cast<double>(k);
    o << R"(<rect x=")" << (kW - kRight + 12) << R"(" y=")" << (ly - 8)
      << R"(" width="10" height="10" fill=")" << color << R"("/>)"
      << R"(<text x=")" << (kW - kRight + 26) << R"(" y=")" << (ly + 1) << R"(">)" << esc(pair)
      << "</text>\n";
    ++k;
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace flashpoint::cmd
