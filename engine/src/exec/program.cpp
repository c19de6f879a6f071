// Evaluation of lowered rule conditions. No allocation: values are views
// into the event, the program's constants, or caller-owned scratch buffers.
#include "exec/program.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace flashpoint::exec {

std::string_view to_string(Type t) {
  switch (t) {
    case Type::boolean:
      return "bool";
    case Type::string:
      return "string";
    case Type::number:
      return "number";
    case Type::time:
      return "time";
    case Type::list:
      return "list";
    case Type::dynamic:
      return "attrs value";
  }
  return "?";
}

void ConstList::add(std::string value, TimeUs from, TimeUs until) {
  if (from != kTimeMin || until != kTimeMax) dated_ = true;
  values_.push_back(std::move(value));
  from_.push_back(from);
  until_.push_back(until);
}

void ConstList::finalize() {
  set_.clear();
  if (!dated_ && values_.size() > 8) {
    for (const auto& v : values_) set_.insert(v);
  }
}

namespace {

// String equality that settles most mismatches of short codes ("USA",
// "CHN") on the first byte, before a call to memcmp.
inline bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && a == b));
}

}  // namespace

bool ConstList::contains(std::string_view v, TimeUs at) const {
  if (!set_.empty()) return set_.count(v) != 0;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (same(values_[i], v) && member_at(i, at)) return true;
  }
  return false;
}

namespace {

enum class VT : std::uint8_t { missing, str, num, boolean, list, clist, time };

struct Val {
  VT t = VT::missing;
  std::string_view s;
  double n = 0;
  bool b = false;
  TimeUs time = 0;
  const std::vector<std::string>* list = nullptr;
  const ConstList* clist = nullptr;
};

const Event* event_for(const Operand& o, const EvalContext& ctx) {
  if (o.step < 0) return ctx.event;
  const auto k = static_cast<std::size_t>(o.step);
  return k < ctx.n_steps ? ctx.steps[k] : nullptr;
}

Val from_attr(const AttrValue* a) {
  Val v;
  if (a == nullptr) return v;
  switch (a->type) {
    case AttrValue::Type::string:
      v.t = VT::str;
      v.s = a->str;
      break;
    case AttrValue::Type::number:
      v.t = VT::num;
      v.n = a->num;
      break;
    case AttrValue::Type::boolean:
      v.t = VT::boolean;
      v.b = a->boolean;
      break;
    case AttrValue::Type::list:
      v.t = VT::list;
      v.list = &a->list;
      break;
  }
  return v;
}

Val fetch(const Program& p, const Operand& o, const EvalContext& ctx) {
  Val v;
  switch (o.src) {
    case Src::const_str:
      v.t = VT::str;
      v.s = p.strs[o.idx];
      return v;
    case Src::const_num:
      v.t = VT::num;
      v.n = p.nums[o.idx];
      return v;
    case Src::const_bool:
      v.t = VT::boolean;
      v.b = o.idx != 0;
      return v;
    case Src::const_time:
      v.t = VT::time;
      v.time = p.times[o.idx];
      return v;
    case Src::const_list:
      v.t = VT::clist;
      v.clist = p.lists[o.idx].get();
      return v;
    case Src::fn_lower: {
      const Val in = fetch(p, p.operands[o.idx], ctx);
      if (in.t != VT::str) return v;
      std::string& buf = ctx.scratch[o.aux];
      buf.assign(in.s);
      for (auto& c : buf) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      v.t = VT::str;
      v.s = buf;
      return v;
    }
    case Src::fn_len: {
      const Val in = fetch(p, p.operands[o.idx], ctx);
      if (in.t == VT::list && in.list != nullptr) {
        v.t = VT::num;
        v.n = static_cast<double>(in.list->size());
      } else if (in.t == VT::str) {
        v.t = VT::num;
        v.n = static_cast<double>(in.s.size());
      } else if (in.t == VT::clist && in.clist != nullptr) {
        v.t = VT::num;
        v.n = static_cast<double>(in.clist->size());
      }
      return v;
    }
    default:
      break;
  }
  const Event* ev = event_for(o, ctx);
  if (ev == nullptr) return v;
  switch (o.src) {
    case Src::field_str: {
      const auto f = static_cast<StrField>(o.slot);
      if (ev->has(f)) {
        v.t = VT::str;
        v.s = ev->str(f);
      }
      return v;
    }
    case Src::field_num: {
      const auto f = static_cast<NumField>(o.slot);
      if (ev->has(f)) {
        v.t = VT::num;
        v.n = ev->num(f);
      }
      return v;
    }
    case Src::field_bool: {
      const auto f = static_cast<BoolField>(o.slot);
      if (ev->has(f)) {
        v.t = VT::boolean;
        v.b = ev->boolean(f);
      }
      return v;
    }
    case Src::field_list: {
      const auto f = static_cast<ListField>(o.slot);
      if (ev->has(f)) {
        v.t = VT::list;
        v.list = &ev->list(f);
      }
      return v;
    }
    case Src::field_time:
      v.t = VT::time;
      v.time = ev->time;
      return v;
    case Src::attr:
      return from_attr(ev->attr(p.attr_names[o.idx]));
    default:
      return v;
  }
}

bool is_list(const Val& v) { return v.t == VT::list || v.t == VT::clist; }

// Membership of a string in a list value, as of time `at`.
bool list_has(const Val& l, std::string_view s, TimeUs at) {
  if (l.t == VT::clist) return l.clist != nullptr && l.clist->contains(s, at);
  if (l.list == nullptr) return false;
  for (const auto& e : *l.list) {
    if (same(e, s)) return true;
  }
  return false;
}

// Calls f(element) for each member of a list value; stops when f returns true.
template <typename F>
bool list_any(const Val& l, TimeUs at, F&& f) {
  if (l.t == VT::clist) {
    if (l.clist == nullptr) return false;
    const auto& vals = l.clist->values();
    for (std::size_t i = 0; i < vals.size(); ++i) {
      if (l.clist->member_at(i, at) && f(std::string_view(vals[i]))) return true;
    }
    return false;
  }
  if (l.list == nullptr) return false;
  for (const auto& e : *l.list) {
    if (f(std::string_view(e))) return true;
  }
  return false;
}

template <typename T>
bool ordered(expr::CmpOp op, const T& a, const T& b) {
  switch (op) {
    case expr::CmpOp::eq:
      return a == b;
    case expr::CmpOp::ne:
      return a != b;
    case expr::CmpOp::lt:
      return a < b;
    case expr::CmpOp::le:
      return a <= b;
    case expr::CmpOp::gt:
      return a > b;
    case expr::CmpOp::ge:
      return a >= b;
    default:
      return false;
  }
}

// Fast paths for the commonest shapes: a string field of the current event
// against a constant or a constant list, and a list field against a
// constant list. Returns nullopt for every other shape.
std::optional<bool> compare_fast(const Program& p, const Node& n, const EvalContext& ctx) {
  using expr::CmpOp;
  if (n.a.step >= 0) return std::nullopt;
  const Event& ev = *ctx.event;
  if (n.a.src == Src::field_str) {
    const auto f = static_cast<StrField>(n.a.slot);
    if (n.b.src == Src::const_str && (n.cmp == CmpOp::eq || n.cmp == CmpOp::ne)) {
      if (!ev.has(f)) return false;
      const bool eq = ev.str(f) == std::string_view(p.strs[n.b.idx]);
      return n.cmp == CmpOp::eq ? eq : !eq;
    }
    if (n.b.src == Src::const_list && (n.cmp == CmpOp::in || n.cmp == CmpOp::not_in)) {
      if (!ev.has(f)) return false;
      const bool in = p.lists[n.b.idx]->contains(ev.str(f), ev.time);
      return n.cmp == CmpOp::in ? in : !in;
    }
    return std::nullopt;
  }
  if (n.a.src == Src::field_list && n.b.src == Src::const_list && n.cmp == CmpOp::any_in) {
    const auto f = static_cast<ListField>(n.a.slot);
    if (!ev.has(f)) return false;
    const ConstList& l = *p.lists[n.b.idx];
    for (const auto& e : ev.list(f)) {
      if (l.contains(e, ev.time)) return true;
    }
    return false;
  }
  return std::nullopt;
}

bool compare(const Program& p, const Node& n, const EvalContext& ctx) {
  if (auto fast = compare_fast(p, n, ctx)) return *fast;
  const Val a = fetch(p, n.a, ctx);
  if (a.t == VT::missing) return false;
  const TimeUs at = ctx.event->time;
  using expr::CmpOp;
  if (n.cmp == CmpOp::matches) {
    return a.t == VT::str &&
           re2::RE2::PartialMatch(re2::StringPiece(a.s.data(), a.s.size()), *p.regexes[n.regex]);
  }
  const Val b = fetch(p, n.b, ctx);
  if (b.t == VT::missing) return false;
  switch (n.cmp) {
    case CmpOp::eq:
    case CmpOp::ne:
    case CmpOp::lt:
    case CmpOp::le:
    case CmpOp::gt:
    case CmpOp::ge:
      if (a.t != b.t) return false;
      switch (a.t) {
        case VT::str:
          return ordered(n.cmp, a.s, b.s);
        case VT::num:
          return ordered(n.cmp, a.n, b.n);
        case VT::time:
          return ordered(n.cmp, a.time, b.time);
        case VT::boolean:
          return (n.cmp == CmpOp::eq || n.cmp == CmpOp::ne) && ordered(n.cmp, a.b, b.b);
        default:
          return false;
      }
    case CmpOp::in:
    case CmpOp::not_in: {
      if (a.t != VT::str || !is_list(b)) return false;
      const bool in = list_has(b, a.s, at);
      return n.cmp == CmpOp::in ? in : !in;
    }
    case CmpOp::contains:
      if (a.t == VT::str && b.t == VT::str) return a.s.find(b.s) != std::string_view::npos;
      if (!is_list(a) || b.t != VT::str) return false;
      return list_has(a, b.s, at);
    case CmpOp::any_in:
      if (!is_list(a) || !is_list(b)) return false;
      return list_any(a, at, [&](std::string_view e) { return list_has(b, e, at); });
    case CmpOp::all_in:
      if (!is_list(a) || !is_list(b)) return false;
      return !list_any(a, at, [&](std::string_view e) { return !list_has(b, e, at); });
    case CmpOp::startswith:
      return a.t == VT::str && b.t == VT::str && a.s.substr(0, b.s.size()) == b.s;
    case CmpOp::endswith:
      return a.t == VT::str && b.t == VT::str && a.s.size() >= b.s.size() &&
             a.s.substr(a.s.size() - b.s.size()) == b.s;
    case CmpOp::matches:
      return false;
  }
  return false;
}

}  // namespace

bool Program::eval_node(std::uint32_t i, const EvalContext& ctx) const {
  const Node& n = nodes[i];
  switch (n.op) {
    case Node::Op::const_true:
      return true;
    case Node::Op::const_false:
      return false;
    case Node::Op::and_:
      for (std::uint32_t k = 0; k < n.count; ++k) {
        if (!eval_node(kids[n.first + k], ctx)) return false;
      }
      return true;
    case Node::Op::or_:
      for (std::uint32_t k = 0; k < n.count; ++k) {
        if (eval_node(kids[n.first + k], ctx)) return true;
      }
      return false;
    case Node::Op::not_:
      return !eval_node(kids[n.first], ctx);
    case Node::Op::compare:
      return compare(*this, n, ctx);
    case Node::Op::exists:
      return fetch(*this, n.a, ctx).t != VT::missing;
    case Node::Op::truthy: {
      const Val v = fetch(*this, n.a, ctx);
      return v.t == VT::boolean && v.b;
    }
  }
  return false;
}

namespace {

bool reads_steps(const Program& p, const Operand& o) {
  if (o.step >= 0) return true;
  if (o.src == Src::fn_lower || o.src == Src::fn_len) return reads_steps(p, p.operands[o.idx]);
  return false;
}

bool node_reads_steps(const Program& p, std::uint32_t i) {
  const Node& n = p.nodes[i];
  switch (n.op) {
    case Node::Op::and_:
    case Node::Op::or_:
    case Node::Op::not_:
      for (std::uint32_t k = 0; k < n.count; ++k) {
        if (node_reads_steps(p, p.kids[n.first + k])) return true;
      }
      return false;
    case Node::Op::compare:
      return reads_steps(p, n.a) || reads_steps(p, n.b);
    case Node::Op::exists:
    case Node::Op::truthy:
      return reads_steps(p, n.a);
    default:
      return false;
  }
}

}  // namespace

void Program::find_event_only() {
  event_conjuncts.clear();
  event_only = false;
  if (nodes.empty()) return;
  const Node& r = nodes[root];
  if (r.op == Node::Op::and_) {
    for (std::uint32_t k = 0; k < r.count; ++k) {
      const auto kid = kids[r.first + k];
      if (!node_reads_steps(*this, kid)) event_conjuncts.push_back(kid);
    }
    event_only = event_conjuncts.size() == r.count;
  } else if (!node_reads_steps(*this, root)) {
    event_conjuncts.push_back(root);
    event_only = true;
  }
}

bool append_value(const Program& p, const Operand& o, const EvalContext& ctx, std::string& out,
                  std::string_view list_sep) {
  const Val v = fetch(p, o, ctx);
  switch (v.t) {
    case VT::missing:
      return false;
    case VT::str:
      out += v.s;
      return true;
    case VT::num: {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.n);
      if (ec == std::errc()) out.append(buf, end);
      return true;
    }
    case VT::boolean:
      out += v.b ? "true" : "false";
      return true;
    case VT::time:
      out += format_time(v.time);
      return true;
    case VT::list:
    case VT::clist: {
      bool first = true;
      list_any(v, ctx.event->time, [&](std::string_view e) {
        if (!first) out += list_sep;
        first = false;
        out += e;
        return false;
      });
      return true;
    }
  }
  return false;
}

std::optional<double> number_value(const Program& p, const Operand& o, const EvalContext& ctx) {
  const Val v = fetch(p, o, ctx);
  if (v.t != VT::num) return std::nullopt;
  return v.n;
}

bool string_values(const Program& p, const Operand& o, const EvalContext& ctx,
                   std::vector<std::string_view>& out) {
  const Val v = fetch(p, o, ctx);
  if (v.t == VT::str) {
    out.push_back(v.s);
    return true;
  }
  if (v.t == VT::list || v.t == VT::clist) {
    list_any(v, ctx.event->time, [&](std::string_view e) {
      out.push_back(e);
      return false;
    });
    return true;
  }
  return false;
}

}  // namespace flashpoint::exec
