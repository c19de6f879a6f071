// The kind index: which event kinds a condition can match, computed from
// its lowered program.
#include <algorithm>

#include "rules/compiled.hpp"

namespace flashpoint::detail {
namespace {

using exec::Node;
using exec::Src;

std::optional<std::vector<std::string>> kinds_at(const exec::Program& p, std::uint32_t i,
                                                 StrField field) {
  auto is_kind = [field](const exec::Operand& o) {
    return o.src == Src::field_str && o.step < 0 && static_cast<StrField>(o.slot) == field;
  };
  const Node& n = p.nodes[i];
  switch (n.op) {
    case Node::Op::const_false:
      return std::vector<std::string>{};
    case Node::Op::compare:
      if (n.cmp == expr::CmpOp::eq) {
        if (is_kind(n.a) && n.b.src == Src::const_str) return std::vector{p.strs[n.b.idx]};
        if (is_kind(n.b) && n.a.src == Src::const_str) return std::vector{p.strs[n.a.idx]};
      }
      if (n.cmp == expr::CmpOp::in && is_kind(n.a) && n.b.src == Src::const_list) {
        const auto& list = *p.lists[n.b.idx];
        if (!list.dated()) return list.values();
      }
      return std::nullopt;
    case Node::Op::and_: {
      // The narrowest constrained conjunct (intersection would be tighter,
      // but one constrained conjunct already gives a correct index).
      std::optional<std::vector<std::string>> best;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        auto ks = kinds_at(p, p.kids[n.first + k], field);
        if (ks && (!best || ks->size() < best->size())) best = std::move(ks);
      }
      return best;
    }
    case Node::Op::or_: {
      std::vector<std::string> all;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        auto ks = kinds_at(p, p.kids[n.first + k], field);
        if (!ks) return std::nullopt;
        all.insert(all.end(), ks->begin(), ks->end());
      }
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      return all;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<std::vector<std::string>> kinds_of(const exec::Program& p) {
  return values_of(p, StrField::kind);
}

std::optional<std::vector<std::string>> values_of(const exec::Program& p, StrField field) {
  if (p.nodes.empty()) return std::nullopt;
  return kinds_at(p, p.root, field);
}

}  // namespace flashpoint::detail
