// The stateful operators: stateless match, threshold, sequence, absence.
// Semantics are those of DESIGN §3 "Exact semantics" and docs/rules.md.
#include <algorithm>
#include <unordered_set>

#include "state/engine_impl.hpp"

namespace flashpoint {

void Engine::Impl::on_stateless(std::uint32_t rule, const Event& ev) {
  const auto& r = cr->rules[rule];
  auto c = ctx(ev);
  if (!r.when.eval(c)) return;
  make_key(r, c, key_buf);
  if (throttled(rule, key_buf, ev.time)) return;
  const Event* evs[] = {&ev};
  const std::string key = key_buf;
  fire(rule, ev, evs, key, ev.time);
}

void Engine::Impl::on_threshold(std::uint32_t rule, const Event& ev) {
  const auto& r = cr->rules[rule];
  const auto& spec = *r.threshold;
  auto c = ctx(ev);
  if (!r.when.eval(c)) return;
  make_key(r, c, key_buf);
  // `now` is the event's time, or the watermark for a late event.
  const TimeUs now = std::max(ev.time, watermark);
  if (throttled(rule, key_buf, ev.time)) return;
  if (now - ev.time >= spec.within) return;  // late past its window: counted in stats.late
  double value = 0;
  if (spec.mode == detail::ThresholdSpec::Mode::sum) {
    auto v = exec::number_value(r.aux, spec.field, c);
    if (!v) return;  // nothing to add
    value = *v;
  }
  auto& st = state[rule];
  auto it = st.windows.find(std::string_view(key_buf));
  if (it == st.windows.end()) {
    it = st.windows.emplace(key_buf, Window{}).first;
    bound(rule, st.windows);
    it = st.windows.find(std::string_view(key_buf));
    if (it == st.windows.end()) return;
  }
  Window& w = it->second;
  // Expire: an entry stays while now - t < within.
  while (w.head < w.entries.size() && now - w.entries[w.head].time >= spec.within) {
    w.entries[w.head].event.reset();
    ++w.head;
  }
  if (w.head > 32 && w.head * 2 > w.entries.size()) {
    w.entries.erase(w.entries.begin(), w.entries.begin() + static_cast<std::ptrdiff_t>(w.head));
    w.head = 0;
  }
  const bool distinct = spec.mode == detail::ThresholdSpec::Mode::distinct;
  KeptEvent kept;
  if (distinct) {
    // The counted values travel with this rule's copy of the evidence.
    views_a.clear();
    exec::string_values(r.aux, spec.field, c, views_a);
    kept = KeptEvent::of(ev, views_a);
  } else {
    kept = keep_current_evidence();
  }
  WindowEntry e{ev.time, std::move(kept), value};
  if (w.size() == 0 || w.entries.back().time <= ev.time) {
    w.entries.push_back(std::move(e));
  } else {
    // A late event goes to its place in time order.
    auto pos =
        std::upper_bound(w.entries.begin() + static_cast<std::ptrdiff_t>(w.head), w.entries.end(),
                         ev.time, [](TimeUs t, const WindowEntry& x) { return t < x.time; });
    w.entries.insert(pos, std::move(e));
  }
  w.touched = now;
  bool reached = false;
  switch (spec.mode) {
    case detail::ThresholdSpec::Mode::count:
      reached = w.size() >= spec.count;
      break;
    case detail::ThresholdSpec::Mode::sum: {
      double sum = 0;
      for (std::size_t i = w.head; i < w.entries.size(); ++i) sum += w.entries[i].value;
      reached = sum >= spec.min;
      break;
    }
    case detail::ThresholdSpec::Mode::distinct: {
      std::unordered_set<std::string_view> seen_values;
      for (std::size_t i = w.head; i < w.entries.size(); ++i)
        w.entries[i].event.for_each_value([&](std::string_view v) { seen_values.insert(v); });
      reached = static_cast<double>(seen_values.size()) >= spec.min;
      break;
    }
  }
  if (!reached) return;
  // Unpack the evidence into reused events (source, id, kind, time, text),
  // then empty the window.
  const std::size_t n = w.size();
  if (evidence_events.size() < n) evidence_events.resize(n);
  std::vector<const Event*> evs;
  evs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    w.entries[w.head + i].event.to_event(evidence_events[i]);
    evs.push_back(&evidence_events[i]);
  }
  w.clear();
  const std::string key = key_buf;
  fire(rule, ev, evs, key, ev.time);
}

void Engine::Impl::on_sequence(std::uint32_t rule, const Event& ev) {
  auto& st = state[rule];
  if (st.last_serial == serial) return;  // already handled this event
  st.last_serial = serial;
  const auto& r = cr->rules[rule];
  const TimeUs t = ev.time;
  auto c = ctx(ev);
  if (r.steps[0].when.eval(c)) {
    // A first-step event starts a partial match for its key, unless one is
    // pending (then it is ignored: it neither restarts nor extends it).
    make_key(r, c, key_buf);
    if (throttled(rule, key_buf, t)) return;
    auto it = st.partials.find(std::string_view(key_buf));
    if (it != st.partials.end()) {
      const auto& p = it->second;
      if (t - p.last > r.steps[p.events.size()].within) {
        st.partials.erase(it);  // expired: drop, then start afresh
      } else {
        return;
      }
    }
    Partial p;
    p.events.push_back(keep_current());
    p.last = t;
    st.partials.emplace(key_buf, std::move(p));
    bound(rule, st.partials);
    return;
  }
  // Otherwise try to advance each pending partial match. The parts of each
  // step's condition that read only this event are tested once (0 = not
  // yet, 1 = fail, 2 = pass); a step that reads nothing else is decided.
  if (st.partials.empty()) return;
  step_pass.assign(r.steps.size(), 0);
  for (auto it = st.partials.begin(); it != st.partials.end();) {
    Partial& p = it->second;
    const auto next = p.events.size();
    const auto& step = r.steps[next];
    if (t - p.last > step.within) {
      if (t >= p.last) {
        it = st.partials.erase(it);  // expired
        continue;
      }
    }
    if (t < p.last) {  // a late event cannot precede the step it follows
      ++it;
      continue;
    }
    if (step_pass[next] == 0) step_pass[next] = step.when.prefilter(c) ? 2 : 1;
    if (step_pass[next] == 1) {
      ++it;
      continue;
    }
    if (!step.when.event_only) {
      evidence.clear();
      for (const auto& e : p.events) evidence.push_back(e.get());
      auto sc = ctx(ev, evidence.data(), evidence.size());
      if (!step.when.eval(sc)) {
        ++it;
        continue;
      }
    }
    p.events.push_back(keep_current());
    p.last = t;
    if (p.events.size() == r.steps.size()) {
      const std::string key = it->first;
      Partial complete = std::move(p);
      it = st.partials.erase(it);
      std::vector<const Event*> evs;
      for (const auto& e : complete.events) evs.push_back(e.get());
      fire(rule, ev, evs, key, t);
      continue;
    }
    ++it;
  }
}

void Engine::Impl::on_absence(std::uint32_t rule, const Event& ev) {
  auto& st = state[rule];
  if (st.last_serial == serial) return;
  st.last_serial = serial;
  const auto& r = cr->rules[rule];
  const auto& spec = *r.absence;
  const TimeUs t = ev.time;
  // An expected event cancels every pending first event it answers. The
  // parts of `expect` that read only this event are tested once.
  auto c = ctx(ev);
  if (!st.pending.empty() && spec.expect.prefilter(c)) {
    for (auto it = st.pending.begin(); it != st.pending.end();) {
      const Pending& p = it->second;
      const Event* first = p.first.get();
      auto fc = ctx(ev, &first, 1);
      if (t >= p.first->time && t <= p.deadline &&
          (spec.expect.event_only || spec.expect.eval(fc))) {
        it = st.pending.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (!spec.after.eval(c)) return;
  make_key(r, c, key_buf);
  if (throttled(rule, key_buf, t)) return;
  if (st.pending.count(std::string_view(key_buf)) != 0) return;  // one pending per key
  if (t + spec.within <= watermark) return;                      // already past its deadline
  Pending p;
  p.first = keep_current();
  p.deadline = t + spec.within;
  p.generation = ++generation;
  deadlines.push({p.deadline, rule, p.generation, key_buf});
  st.pending.emplace(key_buf, std::move(p));
  bound(rule, st.pending);
}

void Engine::Impl::expire_deadlines(TimeUs now) {
  // An absence fires once the watermark is past A.time + within.
  while (!deadlines.empty() && deadlines.top().at < now) {
    Deadline d = deadlines.top();
    deadlines.pop();
    if (d.rule >= state.size()) continue;
    auto& st = state[d.rule];
    auto it = st.pending.find(std::string_view(d.key));
    if (it == st.pending.end() || it->second.generation != d.generation) continue;
    Pending p = std::move(it->second);
    st.pending.erase(it);
    const Event* evs[] = {p.first.get()};
    fire(d.rule, *p.first, evs, d.key, d.at);
  }
}

}  // namespace flashpoint
