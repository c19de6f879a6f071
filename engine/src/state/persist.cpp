// Serialisation of the engine's run-time state (windows, partial matches,
// pending absences, throttles, tension, the duplicate filter) into a
// versioned binary blob. State is keyed by rule id and definition hash:
// on restore, state of a rule whose definition changed is dropped.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "state/engine_impl.hpp"

namespace flashpoint {
namespace {

constexpr std::uint32_t kMagic = 0x46505354;  // "FPST"
// Version 2 keeps window entries as evidence records (KeptEvent); version 1
// kept whole events there, and is still read.
constexpr std::uint32_t kVersion = 2;

class Writer {
 public:
  void u8(std::uint8_t v) { out.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out.append(s);
  }
  void raw(const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }
  std::string out;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool u8(std::uint8_t& v) { return raw(&v, sizeof v); }
  bool u32(std::uint32_t& v) { return raw(&v, sizeof v); }
  bool u64(std::uint64_t& v) { return raw(&v, sizeof v); }
  bool i64(std::int64_t& v) { return raw(&v, sizeof v); }
  bool f64(double& v) { return raw(&v, sizeof v); }
  bool str(std::string& s) {
    std::uint32_t n = 0;
    if (!u32(n) || n > in_.size() - pos_) return false;
    s.assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool raw(void* p, std::size_t n) {
    if (n > in_.size() - pos_) return false;
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // Reads a time. Event times are parsed from years 0000-9999, far inside
  // +-2^60 us; a damaged blob's time outside that is refused, so that the
  // engine's time arithmetic cannot overflow. `unset` accepts INT64_MIN
  // too (the watermark before any event).
  bool time(std::int64_t& v, bool unset = false) {
    constexpr std::int64_t kLimit = std::int64_t{1} << 60;
    return i64(v) && ((v > -kLimit && v < kLimit) || (unset && v == INT64_MIN));
  }
  // Reads a count of items that take at least `min_bytes` each: a count the
  // rest of the blob cannot hold is refused (a damaged blob must not make
  // the reader reserve gigabytes).
  bool count(std::uint32_t& n, std::size_t min_bytes) {
    return u32(n) && static_cast<std::size_t>(n) <= (in_.size() - pos_) / min_bytes;
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

void write_event(Writer& w, const Event& e) {
  w.i64(e.time);
  std::uint32_t mask = 0;
  for (std::size_t i = 0; i < kStrFieldCount; ++i) {
    if (e.has(static_cast<StrField>(i))) mask |= 1U << i;
  }
  w.u32(mask);
  for (std::size_t i = 0; i < kStrFieldCount; ++i) {
    if ((mask >> i) & 1U) w.str(e.str(static_cast<StrField>(i)));
  }
  for (std::size_t i = 0; i < kNumFieldCount; ++i) {
    const auto f = static_cast<NumField>(i);
    w.u8(e.has(f) ? 1 : 0);
    if (e.has(f)) w.f64(e.num(f));
  }
  for (std::size_t i = 0; i < kBoolFieldCount; ++i) {
    const auto f = static_cast<BoolField>(i);
    w.u8(e.has(f) ? (e.boolean(f) ? 2 : 1) : 0);
  }
  for (std::size_t i = 0; i < kListFieldCount; ++i) {
    const auto f = static_cast<ListField>(i);
    if (!e.has(f)) {
      w.u32(UINT32_MAX);
      continue;
    }
    w.u32(static_cast<std::uint32_t>(e.list(f).size()));
    for (const auto& s : e.list(f)) w.str(s);
  }
  w.u32(static_cast<std::uint32_t>(e.attrs().size()));
  for (const auto& a : e.attrs()) {
    w.str(a.name);
    w.u8(static_cast<std::uint8_t>(a.value.type));
    w.str(a.value.str);
    w.f64(a.value.num);
    w.u8(a.value.boolean ? 1 : 0);
    w.u32(static_cast<std::uint32_t>(a.value.list.size()));
    for (const auto& s : a.value.list) w.str(s);
  }
  w.str(e.raw);
  w.u8(e.depth);
  w.i64(e.origin_rule);
}

bool read_event(Reader& r, Event& e) {
  std::int64_t t = 0;
  std::uint32_t mask = 0;
  if (!r.time(t) || !r.u32(mask)) return false;
  e.time = t;
  std::string s;
  for (std::size_t i = 0; i < kStrFieldCount; ++i) {
    if (((mask >> i) & 1U) == 0) continue;
    if (!r.str(s)) return false;
    e.set(static_cast<StrField>(i), s);
  }
  for (std::size_t i = 0; i < kNumFieldCount; ++i) {
    std::uint8_t has = 0;
    if (!r.u8(has)) return false;
    if (has != 0) {
      double v = 0;
      if (!r.f64(v)) return false;
      e.set(static_cast<NumField>(i), v);
    }
  }
  for (std::size_t i = 0; i < kBoolFieldCount; ++i) {
    std::uint8_t v = 0;
    if (!r.u8(v)) return false;
    if (v != 0) e.set(static_cast<BoolField>(i), v == 2);
  }
  for (std::size_t i = 0; i < kListFieldCount; ++i) {
    std::uint32_t n = 0;
    if (!r.u32(n)) return false;
    if (n == UINT32_MAX) continue;
    auto& l = e.list_mut(static_cast<ListField>(i));
    for (std::uint32_t k = 0; k < n; ++k) {
      if (!r.str(s)) return false;
      l.push_back(s);
    }
  }
  std::uint32_t na = 0;
  if (!r.u32(na)) return false;
  for (std::uint32_t k = 0; k < na; ++k) {
    std::string name;
    std::uint8_t type = 0;
    std::uint8_t b = 0;
    std::uint32_t nl = 0;
    if (!r.str(name) || !r.u8(type) || type > 3) return false;
    auto& v = e.attr_mut(name);
    v.type = static_cast<AttrValue::Type>(type);
    if (!r.str(v.str) || !r.f64(v.num) || !r.u8(b) || !r.u32(nl)) return false;
    v.boolean = b != 0;
    v.list.clear();
    for (std::uint32_t j = 0; j < nl; ++j) {
      if (!r.str(s)) return false;
      v.list.push_back(s);
    }
  }
  std::int64_t origin = 0;
  if (!r.str(e.raw) || !r.u8(e.depth) || !r.i64(origin)) return false;
  e.origin_rule = static_cast<std::int32_t>(origin);
  return true;
}

// A version-1 window entry (a whole event) as a version-2 one: its evidence,
// with the values a `distinct` threshold counts.
KeptEvent v1_entry(Engine::Impl& impl, const detail::CompiledRule* rule, const Event& ev) {
  if (rule == nullptr || !rule->threshold ||
      rule->threshold->mode != detail::ThresholdSpec::Mode::distinct) {
    return KeptEvent::of(ev);
  }
  std::vector<std::string_view> values;
  exec::string_values(rule->aux, rule->threshold->field, impl.ctx(ev), values);
  return KeptEvent::of(ev, values);
}

}  // namespace

std::string Engine::save_state() const {
  const Impl& s = *impl_;
  Writer w;
  w.u32(kMagic);
  w.u32(kVersion);
  w.i64(s.watermark);
  w.i64(s.tension_swept);
  // Every kept event once; state refers to events by index.
  std::unordered_map<const Event*, std::uint32_t> index;
  std::vector<const Event*> events;
  auto ref = [&](const EventRef& e) {
    auto [it, fresh] = index.emplace(e.get(), static_cast<std::uint32_t>(events.size()));
    if (fresh) events.push_back(e.get());
    return it->second;
  };
  // Every kept evidence record once, likewise.
  std::unordered_map<const void*, std::uint32_t> kept_index;
  std::vector<const KeptEvent*> kept;
  auto kref = [&](const KeptEvent& k) {
    auto [it, fresh] = kept_index.emplace(k.identity(), static_cast<std::uint32_t>(kept.size()));
    if (fresh) kept.push_back(&k);
    return it->second;
  };
  Writer body;
  body.u32(static_cast<std::uint32_t>(s.state.size()));
  for (std::size_t i = 0; i < s.state.size(); ++i) {
    const auto& info = s.cr->rules[i].info;
    const auto& st = s.state[i];
    body.str(info.id);
    body.str(info.hash);
    body.u8(st.limit_warned ? 1 : 0);
    body.u32(static_cast<std::uint32_t>(st.windows.size()));
    for (const auto& [key, win] : st.windows) {
      body.str(key);
      body.i64(win.touched);
      body.u32(static_cast<std::uint32_t>(win.size()));
      for (std::size_t k = win.head; k < win.entries.size(); ++k) {
        body.i64(win.entries[k].time);
        body.f64(win.entries[k].value);
        body.u32(kref(win.entries[k].event));
      }
    }
    body.u32(static_cast<std::uint32_t>(st.partials.size()));
    for (const auto& [key, p] : st.partials) {
      body.str(key);
      body.i64(p.last);
      body.u32(static_cast<std::uint32_t>(p.events.size()));
      for (const auto& e : p.events) body.u32(ref(e));
    }
    body.u32(static_cast<std::uint32_t>(st.pending.size()));
    for (const auto& [key, p] : st.pending) {
      body.str(key);
      body.i64(p.deadline);
      body.u32(ref(p.first));
    }
    body.u32(static_cast<std::uint32_t>(st.throttle_until.size()));
    for (const auto& [key, until] : st.throttle_until) {
      body.str(key);
      body.i64(until);
    }
  }
  w.u32(static_cast<std::uint32_t>(events.size()));
  for (const auto* e : events) write_event(w, *e);
  w.u32(static_cast<std::uint32_t>(kept.size()));
  for (const auto* k : kept) {
    w.i64(k->time());
    w.str(k->source());
    w.str(k->id());
    w.str(k->kind());
    w.str(k->raw());
    w.u32(k->value_count());
    k->for_each_value([&](std::string_view v) { w.str(v); });
  }
  w.out += body.out;
  w.u32(static_cast<std::uint32_t>(s.tension.size()));
  for (const auto& [pair, ps] : s.tension) {
    w.str(pair);
    w.f64(ps.score);
    w.i64(ps.time);
    w.u32(static_cast<std::uint32_t>(ps.level + 1));
  }
  w.u64(s.seen_order.size());
  for (auto h : s.seen_order) w.u64(h);
  return std::move(w.out);
}

bool Engine::restore_state(std::string_view blob) {
  Reader r(blob);
  std::uint32_t magic = 0;
  std::uint32_t version = 0;
  if (!r.u32(magic) || magic != kMagic || !r.u32(version) || version < 1 || version > kVersion)
    return false;
  // Restore into a fresh Impl, swapped in only when the whole blob reads.
  auto next = std::make_unique<Impl>(impl_->rules, impl_->opt);
  if (!r.time(next->watermark, true) || !r.time(next->tension_swept, true)) return false;
  std::uint32_t n_events = 0;
  if (!r.count(n_events, 8 + 4)) return false;  // at least a time and a field mask
  std::vector<EventRef> events;
  events.reserve(n_events);
  for (std::uint32_t i = 0; i < n_events; ++i) {
    auto e = std::make_shared<Event>();
    if (!read_event(r, *e)) return false;
    events.push_back(std::move(e));
  }
  auto get = [&](std::uint32_t i, EventRef& out) {
    if (i >= events.size()) return false;
    out = events[i];
    return true;
  };
  std::vector<KeptEvent> kept;
  if (version >= 2) {
    std::uint32_t n_kept = 0;
    if (!r.count(n_kept, 8 + 5 * 4)) return false;  // a time, 4 lengths, a value count
    kept.reserve(n_kept);
    std::string source;
    std::string id;
    std::string kind;
    std::string raw;
    std::vector<std::string> values;
    std::vector<std::string_view> views;
    for (std::uint32_t i = 0; i < n_kept; ++i) {
      TimeUs time = 0;
      std::uint32_t n_values = 0;
      if (!r.time(time) || !r.str(source) || !r.str(id) || !r.str(kind) || !r.str(raw) ||
          !r.count(n_values, 4)) {
        return false;
      }
      values.resize(n_values);
      for (auto& v : values) {
        if (!r.str(v)) return false;
      }
      views.assign(values.begin(), values.end());
      kept.push_back(KeptEvent::make(time, source, id, kind, raw, views));
    }
  }
  std::unordered_map<std::string, std::uint32_t> by_id;
  for (std::uint32_t i = 0; i < next->cr->rules.size(); ++i) by_id[next->cr->rules[i].info.id] = i;
  std::uint32_t n_rules = 0;
  if (!r.u32(n_rules)) return false;
  for (std::uint32_t i = 0; i < n_rules; ++i) {
    std::string id;
    std::string hash;
    std::uint8_t warned = 0;
    if (!r.str(id) || !r.str(hash) || !r.u8(warned)) return false;
    // The same rule (id and definition) in the new set, or nullptr.
    const detail::CompiledRule* rule = nullptr;
    if (auto it = by_id.find(id);
        it != by_id.end() && next->cr->rules[it->second].info.hash == hash) {
      rule = &next->cr->rules[it->second];
    }
    RuleState st;
    st.limit_warned = warned != 0;
    std::uint32_t n = 0;
    if (!r.u32(n)) return false;
    for (std::uint32_t k = 0; k < n; ++k) {
      std::string key;
      Window win;
      std::uint32_t m = 0;
      if (!r.str(key) || !r.time(win.touched) || !r.u32(m)) return false;
      for (std::uint32_t j = 0; j < m; ++j) {
        WindowEntry e;
        std::uint32_t ei = 0;
        if (!r.time(e.time) || !r.f64(e.value) || !r.u32(ei)) return false;
        if (version >= 2) {
          if (ei >= kept.size()) return false;
          e.event = kept[ei];
        } else {
          EventRef whole;
          if (!get(ei, whole)) return false;
          e.event = v1_entry(*next, rule, *whole);
        }
        win.entries.push_back(std::move(e));
      }
      st.windows.emplace(std::move(key), std::move(win));
    }
    if (!r.u32(n)) return false;
    for (std::uint32_t k = 0; k < n; ++k) {
      std::string key;
      Partial p;
      std::uint32_t m = 0;
      if (!r.str(key) || !r.time(p.last) || !r.u32(m)) return false;
      for (std::uint32_t j = 0; j < m; ++j) {
        std::uint32_t ei = 0;
        EventRef e;
        if (!r.u32(ei) || !get(ei, e)) return false;
        p.events.push_back(std::move(e));
      }
      // A partial match holds at least its first step and misses at least
      // its last: anything else is a damaged blob.
      if (rule != nullptr && (p.events.empty() || p.events.size() >= rule->steps.size()))
        return false;
      st.partials.emplace(std::move(key), std::move(p));
    }
    if (!r.u32(n)) return false;
    for (std::uint32_t k = 0; k < n; ++k) {
      std::string key;
      Pending p;
      std::uint32_t ei = 0;
      if (!r.str(key) || !r.time(p.deadline) || !r.u32(ei) || !get(ei, p.first)) return false;
      st.pending.emplace(std::move(key), std::move(p));
    }
    if (!r.u32(n)) return false;
    for (std::uint32_t k = 0; k < n; ++k) {
      std::string key;
      TimeUs until = 0;
      if (!r.str(key) || !r.time(until)) return false;
      st.throttle_until.emplace(std::move(key), until);
    }
    // Keep it only for a rule with the same id and definition.
    if (rule != nullptr)
      next->state[static_cast<std::size_t>(rule - next->cr->rules.data())] = std::move(st);
  }
  for (std::uint32_t i = 0; i < next->state.size(); ++i) {
    for (auto& [key, p] : next->state[i].pending) {
      p.generation = ++next->generation;
      next->deadlines.push({p.deadline, i, p.generation, key});
    }
  }
  std::uint32_t n_pairs = 0;
  if (!r.u32(n_pairs)) return false;
  for (std::uint32_t i = 0; i < n_pairs; ++i) {
    std::string pair;
    PairScore ps;
    std::uint32_t level = 0;
    if (!r.str(pair) || !r.f64(ps.score) || !r.time(ps.time) || !r.u32(level)) return false;
    // Stored as index + 1 (0: below all levels); a level past the configured
    // ones becomes the highest.
    const auto capped = std::min<std::size_t>(level, next->levels.size());
    ps.level = static_cast<int>(capped) - 1;
    next->tension.emplace(std::move(pair), ps);
  }
  std::uint64_t n_seen = 0;
  if (!r.u64(n_seen)) return false;
  for (std::uint64_t i = 0; i < n_seen; ++i) {
    std::uint64_t h = 0;
    if (!r.u64(h)) return false;
    if (next->seen.insert(h).second) next->seen_order.push_back(h);
  }
  while (next->seen_order.size() > next->opt.dedup_capacity) {
    next->seen.erase(next->seen_order.front());
    next->seen_order.pop_front();
  }
  impl_ = std::move(next);
  return true;
}

}  // namespace flashpoint
