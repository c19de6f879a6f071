// Tension: decayed escalation scores per unordered actor pair, with level
// crossings raised as `tension/<level>` and `tension/eased` alerts.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "state/engine_impl.hpp"

namespace flashpoint {
namespace {

double decayed(double score, TimeUs from, TimeUs to, DurationUs half_life) {
  if (to <= from || half_life <= 0) return score;
  const double halves = static_cast<double>(to - from) / static_cast<double>(half_life);
  return score * std::exp2(-halves);
}

}  // namespace

void Engine::Impl::add_tension(const detail::CompiledRule& r, const Event& trigger,
                               const Event* alert_event) {
  const auto& spec = *r.tension;
  auto c = ctx(trigger);
  auto side = [&](const detail::TensionSpec::Side& s, std::vector<std::string_view>& out) {
    out.clear();
    if (!s.field) {
      out.push_back(s.literal);
    } else {
      exec::string_values(r.aux, s.op, c, out);
    }
  };
  side(spec.a, views_a);
  side(spec.b, views_b);
  // Copy: update_pair may re-enter and reuse the view buffers.
  std::vector<std::string> pairs;
  for (auto a : views_a) {
    for (auto b : views_b) {
      if (a == b || a.empty() || b.empty()) continue;  // self-pairs skipped
      std::string p =
          a < b ? std::string(a) + "-" + std::string(b) : std::string(b) + "-" + std::string(a);
      if (std::find(pairs.begin(), pairs.end(), p) == pairs.end()) pairs.push_back(std::move(p));
    }
  }
  const Event& ev = alert_event != nullptr ? *alert_event : trigger;
  for (const auto& p : pairs) update_pair(p, spec.weight, trigger.time, &ev, &r.info.id, &trigger);
}

void Engine::Impl::update_pair(const std::string& pair, double weight, TimeUs now,
                               const Event* alert_event, const std::string* rule_id,
                               const Event* trigger) {
  PairScore& ps = tension[pair];
  ps.score =
      std::max(opt.tension.floor, decayed(ps.score, ps.time, now, opt.tension.half_life) + weight);
  ps.time = std::max(ps.time, now);
  int up = -1;  // highest level at or below the score
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (ps.score >= levels[i].second) up = static_cast<int>(i);
  }
  const int before = ps.level;
  int after = before;
  if (up > before) {
    after = up;
  } else {
    // Fall back below a level only past the hysteresis band.
    while (after >= 0 && ps.score < levels[static_cast<std::size_t>(after)].second *
                                        (1.0 - opt.tension.hysteresis)) {
      --after;
    }
  }
  ps.level = after;
  const std::string_view level_name =
      after >= 0 ? std::string_view(levels[static_cast<std::size_t>(after)].first)
                 : std::string_view();
  TensionChange change;
  change.pair = pair;
  change.time = now;
  change.score = ps.score;
  change.level = level_name;
  change.weight = weight;
  if (rule_id != nullptr) change.rule_id = *rule_id;
  change.trigger = trigger;
  sink->on_tension(change);
  if (after == before) return;
  Alert a;
  a.key = pair;
  a.event_time = now;
  a.depth = static_cast<std::uint8_t>((alert_event != nullptr ? alert_event->depth : 0) + 1);
  char score[32];
  std::snprintf(score, sizeof score, "%.1f", ps.score);
  if (after > before) {
    const auto& lvl = levels[static_cast<std::size_t>(after)];
    a.rule_id = "tension/" + lvl.first;
    const std::size_t n = levels.size();
    const auto idx = static_cast<std::size_t>(after);
    a.severity = idx + 1 == n   ? Severity::critical
                 : idx + 2 == n ? Severity::high
                                : Severity::medium;
    a.title = "Tension " + pair + " reached " + lvl.first;
    a.message = "escalation score for " + pair + " is " + score + " (" + lvl.first + " at " +
                std::to_string(static_cast<long long>(lvl.second)) + ")";
  } else {
    a.rule_id = "tension/eased";
    a.severity = Severity::info;
    a.title = "Tension " + pair + " eased";
    a.message = "escalation score for " + pair + " fell to " + score + " (now " +
                (after >= 0 ? std::string(level_name) : std::string("below all levels")) + ")";
  }
  std::vector<const Event*> evs;
  if (alert_event != nullptr) evs.push_back(alert_event);
  Event anchor;
  anchor.time = now;
  anchor.set(StrField::source, "flashpoint");
  anchor.set(StrField::id, "tension:" + pair + "@" + format_time(now));
  // The pair's codes become the alert event's actors, for rules over alerts.
  const auto dash = pair.find('-');
  anchor.push(ListField::actors, pair.substr(0, dash));
  anchor.push(ListField::actors, pair.substr(dash + 1));
  if (alert_event != nullptr) anchor.depth = alert_event->depth;
  emit_alert(a, evs, anchor, nullptr, -2);
}

void Engine::Impl::sweep_tension(TimeUs now) {
  // Decay is checked at most once per event-time hour, so easing is raised
  // even when no new alert touches the pair.
  if (tension.empty() || levels.empty()) return;
  if (tension_swept != INT64_MIN && now - tension_swept < kHour) return;
  tension_swept = now;
  std::vector<std::string> falling;
  for (const auto& [pair, ps] : tension) {
    if (ps.level < 0) continue;
    const double s = decayed(ps.score, ps.time, now, opt.tension.half_life);
    if (s < levels[static_cast<std::size_t>(ps.level)].second * (1.0 - opt.tension.hysteresis)) {
      falling.push_back(pair);
    }
  }
  std::sort(falling.begin(), falling.end());
  for (const auto& p : falling) update_pair(p, 0.0, now, nullptr);
}

std::map<std::string, double> Engine::tension_scores() const {
  std::map<std::string, double> out;
  for (const auto& [pair, ps] : impl_->tension) {
    out[pair] = decayed(ps.score, ps.time, std::max(impl_->watermark, ps.time),
                        impl_->opt.tension.half_life);
  }
  return out;
}

}  // namespace flashpoint
