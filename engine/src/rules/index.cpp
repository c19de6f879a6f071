// The rule index: which event kinds, regions and actors a condition can
// match, computed from its lowered program, and the lookup of the
// conditions an event could satisfy.
#include <algorithm>

#include "rules/compiled.hpp"

namespace flashpoint::detail {
namespace {

using exec::Node;
using exec::Src;
using Values = std::optional<std::vector<std::string>>;

// The values the condition at node i requires, given `leaf`, which says what
// a single comparison requires (nullopt: nothing). `and` takes its narrowest
// constrained conjunct, `or` the union of its branches (all constrained).
template <typename Leaf>
Values values_at(const exec::Program& p, std::uint32_t i, const Leaf& leaf) {
  const Node& n = p.nodes[i];
  switch (n.op) {
    case Node::Op::const_false:
      return std::vector<std::string>{};
    case Node::Op::compare:
      return leaf(n);
    case Node::Op::and_: {
      // Intersection would be tighter, but one constrained conjunct already
      // gives a correct index.
      Values best;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        auto vs = values_at(p, p.kids[n.first + k], leaf);
        if (vs && (!best || vs->size() < best->size())) best = std::move(vs);
      }
      return best;
    }
    case Node::Op::or_: {
      std::vector<std::string> all;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        auto vs = values_at(p, p.kids[n.first + k], leaf);
        if (!vs) return std::nullopt;
        all.insert(all.end(), vs->begin(), vs->end());
      }
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      return all;
    }
    default:
      return std::nullopt;
  }
}

bool current(const exec::Operand& o, Src src, unsigned slot) {
  return o.src == src && o.step < 0 && o.slot == slot;
}

// `field == "c"` or `field in [..]`. A dated list counts only when
// `dated_ok`: its members at any time are among its values, a superset,
// which is correct; `kind` is narrowed on undated lists only, as it always
// was.
Values str_leaf(const exec::Program& p, const Node& n, StrField field, bool dated_ok) {
  const auto slot = static_cast<unsigned>(field);
  if (n.cmp == expr::CmpOp::eq) {
    if (current(n.a, Src::field_str, slot) && n.b.src == Src::const_str)
      return std::vector{p.strs[n.b.idx]};
    if (current(n.b, Src::field_str, slot) && n.a.src == Src::const_str)
      return std::vector{p.strs[n.a.idx]};
  }
  if (n.cmp == expr::CmpOp::in && current(n.a, Src::field_str, slot) &&
      n.b.src == Src::const_list) {
    const auto& list = *p.lists[n.b.idx];
    if (dated_ok || !list.dated()) return list.values();
  }
  return std::nullopt;
}

// `list any_in [..]` or `list contains "c"`. (`all_in` holds for an empty
// list, so it narrows nothing.)
Values list_leaf(const exec::Program& p, const Node& n, ListField field) {
  const auto slot = static_cast<unsigned>(field);
  if (!current(n.a, Src::field_list, slot)) return std::nullopt;
  if (n.cmp == expr::CmpOp::any_in && n.b.src == Src::const_list) return p.lists[n.b.idx]->values();
  if (n.cmp == expr::CmpOp::contains && n.b.src == Src::const_str)
    return std::vector{p.strs[n.b.idx]};
  return std::nullopt;
}

void sorted_insert(std::vector<Sub>& v, Sub s) {
  auto it = std::lower_bound(v.begin(), v.end(), s);
  if (it != v.end() && *it == s) return;
  v.insert(it, s);
}

// The values a string field must take, from `==` and `in` (dated lists too
// when `dated_ok`), or nullopt.
Values str_values(const exec::Program& p, StrField field, bool dated_ok) {
  if (p.nodes.empty()) return std::nullopt;
  return values_at(p, p.root, [&](const Node& n) { return str_leaf(p, n, field, dated_ok); });
}

}  // namespace

std::optional<std::vector<std::string>> kinds_of(const exec::Program& p) {
  return values_of(p, StrField::kind);
}

std::optional<std::vector<std::string>> values_of(const exec::Program& p, StrField field) {
  return str_values(p, field, false);
}

std::optional<std::vector<std::string>> any_values_of(const exec::Program& p, ListField field) {
  if (p.nodes.empty()) return std::nullopt;
  return values_at(p, p.root, [&](const Node& n) { return list_leaf(p, n, field); });
}

void file_sub(SubList& list, Sub sub, const exec::Program& p) {
  const Values region = str_values(p, StrField::region, true);
  auto actors = any_values_of(p, ListField::actors);
  // A single-valued field costs one lookup per event; an actor list one per
  // actor and a merge. Prefer the region unless it is much wider.
  if (region && (!actors || region->size() <= 4 * actors->size())) {
    for (const auto& v : *region) sorted_insert(list.by_region[v], sub);
  } else if (actors) {
    for (const auto& v : *actors) sorted_insert(list.by_actor[v], sub);
  } else {
    sorted_insert(list.rest, sub);
  }
}

const std::vector<Sub>& candidates(const SubList& list, const Event& ev, std::vector<Sub>& buf) {
  const std::vector<Sub>* only = &list.rest;
  std::size_t found = list.rest.empty() ? 0 : 1;
  buf.clear();
  auto take = [&](const std::vector<Sub>& v) {
    if (v.empty()) return;
    if (found == 0) {
      only = &v;
    } else {
      if (found == 1) buf.assign(only->begin(), only->end());
      buf.insert(buf.end(), v.begin(), v.end());
    }
    ++found;
  };
  if (!list.by_region.empty() && ev.has(StrField::region)) {
    auto it = list.by_region.find(ev.str(StrField::region));
    if (it != list.by_region.end()) take(it->second);
  }
  if (!list.by_actor.empty() && ev.has(ListField::actors)) {
    for (const auto& a : ev.list(ListField::actors)) {
      auto it = list.by_actor.find(a);
      if (it != list.by_actor.end()) take(it->second);
    }
  }
  if (found <= 1) return *only;
  std::sort(buf.begin(), buf.end());
  buf.erase(std::unique(buf.begin(), buf.end()), buf.end());
  return buf;
}

}  // namespace flashpoint::detail
