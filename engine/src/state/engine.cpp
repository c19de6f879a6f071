// The engine's event loop: deduplication, the watermark, dispatch through
// the kind index, alert emission and re-entry of alerts as events.
#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "rules/template.hpp"
#include "state/engine_impl.hpp"

namespace flashpoint {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
    case Severity::critical:
      return "critical";
  }
  return "medium";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "info") return Severity::info;
  if (s == "low") return Severity::low;
  if (s == "medium") return Severity::medium;
  if (s == "high") return Severity::high;
  if (s == "critical") return Severity::critical;
  return std::nullopt;
}

Engine::Impl::Impl(std::shared_ptr<const RuleSet> r, EngineOptions o)
    : rules(std::move(r)), cr(&rules->compiled()), opt(std::move(o)) {
  state.resize(cr->rules.size());
  stats.alerts_per_rule.assign(cr->rules.size(), 0);
  scratch.resize(std::max<std::uint32_t>(cr->max_scratch, 1));
  for (const auto& [name, v] : opt.tension.levels) levels.emplace_back(name, v);
  // Alerts need to re-enter only when some condition can match them.
  alerts_reenter = cr->index.find("alert") != nullptr || !cr->index.any.empty();
  std::sort(levels.begin(), levels.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
}

exec::EvalContext Engine::Impl::ctx(const Event& ev, const Event* const* steps, std::size_t n) {
  exec::EvalContext c;
  c.event = &ev;
  c.steps = steps;
  c.n_steps = n;
  c.scratch = scratch.data();
  return c;
}

bool Engine::Impl::duplicate(const Event& ev) {
  if (opt.dedup_capacity == 0) return false;
  // 64-bit FNV-1a of source '\0' id: collisions are negligible at the
  // capacities used (documented in docs/engine.md).
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  mix(ev.str(StrField::source));
  h ^= 0xFFU;
  h *= 1099511628211ULL;
  mix(ev.str(StrField::id));
  if (!seen.insert(h).second) return true;
  seen_order.push_back(h);
  if (seen_order.size() > opt.dedup_capacity) {
    seen.erase(seen_order.front());
    seen_order.pop_front();
  }
  return false;
}

EventRef Engine::Impl::keep_current() {
  if (!current_ref) current_ref = std::make_shared<const Event>(*current);
  return current_ref;
}

KeptEvent Engine::Impl::keep_current_evidence() {
  if (!current_kept) current_kept = KeptEvent::of(*current);
  return current_kept;
}

bool Engine::Impl::make_key(const detail::CompiledRule& r, const exec::EvalContext& c,
                            std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < r.key.size(); ++i) {
    if (i > 0) out += '|';
    exec::append_value(r.aux, r.key[i], c, out, ",");
  }
  return true;
}

bool Engine::Impl::throttled(std::uint32_t rule, const std::string& key, TimeUs now) {
  const auto& r = cr->rules[rule];
  if (r.throttle <= 0) return false;
  auto& m = state[rule].throttle_until;
  auto it = m.find(key);
  if (it == m.end()) return false;
  if (now < it->second) {
    ++stats.throttled;
    return true;
  }
  m.erase(it);
  return false;
}

void Engine::Impl::fire(std::uint32_t rule, const Event& trigger,
                        std::span<const Event* const> ev_list, const std::string& key, TimeUs at) {
  const auto& r = cr->rules[rule];
  Alert a;
  a.rule_id = r.info.id;
  a.rule_index = static_cast<std::int32_t>(rule);
  a.severity = r.info.severity;
  a.key = key;
  a.event_time = at;
  a.depth = static_cast<std::uint8_t>(trigger.depth + 1);
  // Templates see the trigger, and in sequences the step events by name.
  auto c = ctx(trigger, ev_list.data(), ev_list.size());
  detail::render_template(r.title, r.aux, c, a.title);
  detail::render_template(r.message, r.aux, c, a.message);
  if (r.throttle > 0) state[rule].throttle_until[key] = at + r.throttle;
  ++stats.alerts_per_rule[rule];
  fired_current = true;
  const Event* alert_event =
      emit_alert(a, ev_list, trigger, &r.info.claims, static_cast<int>(rule));
  if (r.tension) add_tension(r, trigger, alert_event);
}

const Event* Engine::Impl::emit_alert(const Alert& a, std::span<const Event* const> ev_list,
                                      const Event& trigger, const std::vector<std::string>* claims,
                                      int origin) {
  ++stats.alerts;
  sink->on_alert(a, ev_list);
  if (a.depth > opt.max_depth || !alerts_reenter) return nullptr;
  // The alert re-enters as an event of kind "alert".
  Event& e = reentry.emplace_back();
  e.set(StrField::id, a.rule_id + ":" + std::string(trigger.str(StrField::source)) + "/" +
                          std::string(trigger.str(StrField::id)));
  e.set(StrField::source, "flashpoint");
  e.set(StrField::kind, "alert");
  e.set(StrField::rule, a.rule_id);
  e.set(StrField::severity, to_string(a.severity));
  e.time = a.event_time;
  if (trigger.has(ListField::actors))
    e.list_mut(ListField::actors) = trigger.list(ListField::actors);
  if (trigger.has(StrField::region)) e.set(StrField::region, trigger.str(StrField::region));
  auto& cl = e.list_mut(ListField::claims);
  if (claims != nullptr) cl = *claims;
  e.depth = a.depth;
  e.origin_rule = origin;
  e.raw = e.to_json();
  return &e;
}

void Engine::Impl::run_event(const Event& ev) {
  current = &ev;
  current_ref.reset();
  current_kept.reset();
  fired_current = false;
  ++serial;
  auto dispatch = [&](const std::vector<detail::Sub>& subs) {
    for (const auto& sub : subs) {
      if (ev.origin_rule >= 0 && static_cast<std::uint32_t>(ev.origin_rule) == sub.rule) continue;
      const auto& r = cr->rules[sub.rule];
      switch (r.info.type) {
        case RuleType::stateless:
          on_stateless(sub.rule, ev);
          break;
        case RuleType::threshold:
          on_threshold(sub.rule, ev);
          break;
        case RuleType::sequence:
          on_sequence(sub.rule, ev);
          break;
        case RuleType::absence:
          on_absence(sub.rule, ev);
          break;
      }
    }
  };
  if (const auto* subs = cr->index.find(ev.str(StrField::kind)))
    dispatch(detail::candidates(*subs, ev, candidates));
  if (!cr->index.any.empty()) dispatch(detail::candidates(cr->index.any, ev, candidates));
  if (fired_current && ev.depth == 0) ++stats.matched;
  current = nullptr;
  current_ref.reset();
  current_kept.reset();
}

void Engine::Impl::advance_to(TimeUs now) {
  if (now <= watermark) return;
  watermark = now;
  expire_deadlines(watermark);
  sweep_tension(watermark);
}

bool Engine::Impl::process(const Event& ev, AlertSink& s) {
  sink = &s;
  if (duplicate(ev)) {
    ++stats.duplicates;
    return false;
  }
  ++stats.events;
  if (ev.time < watermark) {
    ++stats.late;
  } else {
    advance_to(ev.time - opt.allowed_lateness);
  }
  run_event(ev);
  // Alerts re-enter breadth-first, after the event that caused them.
  while (!reentry.empty()) {
    Event e = std::move(reentry.front());
    reentry.pop_front();
    run_event(e);
  }
  return true;
}

template <typename Map>
void Engine::Impl::bound(std::uint32_t rule, Map& map) {
  if (map.size() <= opt.max_keys_per_rule) return;
  // Evict the oldest eighth (by key insertion order proxy: smallest time).
  std::vector<std::pair<TimeUs, std::string>> order;
  order.reserve(map.size());
  for (const auto& [k, v] : map) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Window>) {
      order.emplace_back(v.touched, k);
    } else if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Partial>) {
      order.emplace_back(v.last, k);
    } else {
      order.emplace_back(v.deadline, k);
    }
  }
  const std::size_t drop = std::max<std::size_t>(1, map.size() - opt.max_keys_per_rule * 7 / 8);
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   order.end());
  for (std::size_t i = 0; i < drop; ++i) map.erase(order[i].second);
  stats.evicted += drop;
  auto& st = state[rule];
  if (!st.limit_warned && current != nullptr) {
    st.limit_warned = true;
    Alert a;
    a.rule_id = "engine/state-limit";
    a.severity = Severity::high;
    a.title = "State limit reached";
    a.message = "rule " + cr->rules[rule].info.id + " holds more than " +
                std::to_string(opt.max_keys_per_rule) + " keys; the oldest are evicted";
    a.key = cr->rules[rule].info.id;
    a.event_time = current->time;
    a.depth = static_cast<std::uint8_t>(opt.max_depth + 1);  // never re-enters
    const Event* evs[] = {current};
    ++stats.alerts;
    sink->on_alert(a, evs);
  }
}

template void Engine::Impl::bound(std::uint32_t, decltype(RuleState::windows)&);
template void Engine::Impl::bound(std::uint32_t, decltype(RuleState::partials)&);
template void Engine::Impl::bound(std::uint32_t, decltype(RuleState::pending)&);

// ---- public API ----

Engine::Engine(std::shared_ptr<const RuleSet> rules, EngineOptions options)
    : impl_(std::make_unique<Impl>(std::move(rules), std::move(options))) {}
Engine::~Engine() = default;

bool Engine::process(const Event& event, AlertSink& sink) { return impl_->process(event, sink); }

void Engine::advance(TimeUs now, AlertSink& sink) {
  impl_->sink = &sink;
  impl_->advance_to(now - impl_->opt.allowed_lateness);
  while (!impl_->reentry.empty()) {
    Event e = std::move(impl_->reentry.front());
    impl_->reentry.pop_front();
    impl_->run_event(e);
  }
}

const EngineStats& Engine::stats() const { return impl_->stats; }
const RuleSet& Engine::rules() const { return *impl_->rules; }
TimeUs Engine::watermark() const { return impl_->watermark; }

void Engine::reload(std::shared_ptr<const RuleSet> rules) {
  auto next = std::make_unique<Impl>(std::move(rules), impl_->opt);
  // Keep the state of every rule whose id and definition hash are unchanged
  // (ids are unique within a set; found by hash lookup, not a scan of the old
  // rules per new rule, which made reloading n rules O(n^2)).
  std::unordered_map<std::string_view, std::size_t> old_by_id;
  old_by_id.reserve(impl_->cr->rules.size());
  for (std::size_t j = 0; j < impl_->cr->rules.size(); ++j) {
    old_by_id.emplace(impl_->cr->rules[j].info.id, j);
  }
  for (std::size_t i = 0; i < next->cr->rules.size(); ++i) {
    const auto& info = next->cr->rules[i].info;
    const auto it = old_by_id.find(info.id);
    if (it == old_by_id.end()) continue;
    const std::size_t j = it->second;
    if (impl_->cr->rules[j].info.hash != info.hash) continue;
    next->state[i] = std::move(impl_->state[j]);
    next->stats.alerts_per_rule[i] = impl_->stats.alerts_per_rule[j];
  }
  // Pending deadlines are re-issued against the new rule indexes.
  for (std::uint32_t i = 0; i < next->state.size(); ++i) {
    for (auto& [key, p] : next->state[i].pending) {
      p.generation = ++next->generation;
      next->deadlines.push({p.deadline, i, p.generation, key});
    }
  }
  next->watermark = impl_->watermark;
  next->seen = std::move(impl_->seen);
  next->seen_order = std::move(impl_->seen_order);
  next->tension = std::move(impl_->tension);
  next->tension_swept = impl_->tension_swept;
  auto stats = impl_->stats;
  stats.alerts_per_rule = next->stats.alerts_per_rule;
  next->stats = stats;
  impl_ = std::move(next);
}

std::vector<RuleInfo> Engine::builtin_rules() const {
  std::vector<RuleInfo> out;
  auto add = [&](std::string id, std::string title, Severity sev, std::string rationale) {
    RuleInfo r;
    r.id = std::move(id);
    r.title = std::move(title);
    r.message = r.title;
    r.severity = sev;
    r.rationale = std::move(rationale);
    r.key = {"pair"};
    r.hash = "builtin";
    r.definition = "builtin";
    out.push_back(std::move(r));
  };
  for (std::size_t i = 0; i < impl_->levels.size(); ++i) {
    const auto& [name, v] = impl_->levels[i];
    const Severity sev = i + 1 == impl_->levels.size()   ? Severity::critical
                         : i + 2 == impl_->levels.size() ? Severity::high
                                                         : Severity::medium;
    add("tension/" + name, "Tension reached " + name, sev,
        "An actor pair's decayed escalation score crossed " + std::to_string(v));
  }
  add("tension/eased", "Tension eased", Severity::info,
      "An actor pair's escalation score fell back below a level");
  add("engine/state-limit", "State limit reached", Severity::high,
      "A rule holds more keys than the configured bound; the oldest were evicted");
  return out;
}

}  // namespace flashpoint
