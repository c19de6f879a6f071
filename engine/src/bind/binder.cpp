// Name resolution, type checking and lowering of rule conditions.
#include "bind/binder.hpp"

#include <optional>

#include "expr/parser.hpp"
#include "flashpoint/engine/event.hpp"

namespace flashpoint::bind {
namespace {

using exec::Node;
using exec::Operand;
using exec::Src;
using exec::Type;
using expr::CmpOp;

std::string qt(std::string_view s) {
  std::string r;
  r.reserve(s.size() + 2);
  r += '\'';
  r += s;
  r += '\'';
  return r;
}

class Binder {
 public:
  Binder(const Scope& scope, exec::Program& prog, Diagnostics& diags)
      : scope_(scope), prog_(prog), diags_(diags) {}

  std::uint32_t cond(const expr::Node& n, const TextMap& map) {
    switch (n.kind) {
      case expr::Node::Kind::and_:
      case expr::Node::Kind::or_: {
        std::vector<std::uint32_t> kids;
        const bool is_and = n.kind == expr::Node::Kind::and_;
        for (const auto& k : n.kids) {
          const auto idx = cond(*k, map);
          const auto op = prog_.nodes[idx].op;
          // Constant folding: drop neutral constants, short-circuit absorbing ones.
          if (op == (is_and ? Node::Op::const_true : Node::Op::const_false)) continue;
          if (op == (is_and ? Node::Op::const_false : Node::Op::const_true) && !failed_) {
            return emit_const(!is_and);
          }
          kids.push_back(idx);
        }
        if (kids.empty()) return emit_const(is_and);
        if (kids.size() == 1) return kids[0];
        Node node;
        node.op = is_and ? Node::Op::and_ : Node::Op::or_;
        node.first = static_cast<std::uint32_t>(prog_.kids.size());
        node.count = static_cast<std::uint32_t>(kids.size());
        prog_.kids.insert(prog_.kids.end(), kids.begin(), kids.end());
        return emit(node);
      }
      case expr::Node::Kind::not_: {
        const auto inner = cond(*n.kids[0], map);
        const auto op = prog_.nodes[inner].op;
        if (op == Node::Op::const_true) return emit_const(false);
        if (op == Node::Op::const_false) return emit_const(true);
        Node node;
        node.op = Node::Op::not_;
        node.first = static_cast<std::uint32_t>(prog_.kids.size());
        node.count = 1;
        prog_.kids.push_back(inner);
        return emit(node);
      }
      case expr::Node::Kind::compare:
        return compare(n, map);
      case expr::Node::Kind::boolean:
        return emit_const(n.boolean);
      case expr::Node::Kind::call:
        if (n.text == "exists") return exists(n, map);
        break;
      case expr::Node::Kind::name:
        if (auto m = macro(n.text))
          return with_macro(n, map, *m, [&](const MacroDef& md) { return cond(*md.ast, md.map); });
        break;
      default:
        break;
    }
    // A value used as a condition: only booleans qualify.
    auto v = value(n, map);
    if (!v) return emit_const(false);
    if (v->type == Type::boolean || v->type == Type::dynamic) {
      Node node;
      node.op = Node::Op::truthy;
      node.a = *v;
      if (v->src == Src::const_bool) return emit_const(v->idx != 0);
      return emit(node);
    }
    error(map, n.offset,
          "expected a condition, found a " + std::string(to_string(v->type)) +
              " value; compare it with an operator (e.g. ==, in, contains)");
    return emit_const(false);
  }

  bool failed() const { return failed_; }

  // ---- values ----
  std::optional<Operand> value(const expr::Node& n, const TextMap& map) {
    Operand o;
    switch (n.kind) {
      case expr::Node::Kind::string:
        o.src = Src::const_str;
        o.type = Type::string;
        o.idx = static_cast<std::uint32_t>(prog_.strs.size());
        prog_.strs.push_back(n.text);
        return o;
      case expr::Node::Kind::number:
        o.src = Src::const_num;
        o.type = Type::number;
        o.idx = static_cast<std::uint32_t>(prog_.nums.size());
        prog_.nums.push_back(n.number);
        return o;
      case expr::Node::Kind::boolean:
        o.src = Src::const_bool;
        o.type = Type::boolean;
        o.idx = n.boolean ? 1 : 0;
        return o;
      case expr::Node::Kind::list: {
        auto list = std::make_shared<exec::ConstList>();
        for (const auto& k : n.kids) {
          if (k->kind != expr::Node::Kind::string) {
            error(map, k->offset, "list literals hold strings; quote this value");
            continue;
          }
          list->add(k->text, exec::kTimeMin, exec::kTimeMax);
        }
        list->finalize();
        return const_list(std::move(list));
      }
      case expr::Node::Kind::name:
        return name(n, map);
      case expr::Node::Kind::call:
        return call(n, map);
      default:
        error(map, n.offset, "expected a value, found a condition");
        return std::nullopt;
    }
  }

 private:
  std::uint32_t emit(const Node& n) {
    prog_.nodes.push_back(n);
    return static_cast<std::uint32_t>(prog_.nodes.size() - 1);
  }
  std::uint32_t emit_const(bool v) {
    Node n;
    n.op = v ? Node::Op::const_true : Node::Op::const_false;
    return emit(n);
  }

  void error(const TextMap& map, std::uint32_t off, std::string msg, std::string code = "type") {
    failed_ = true;
    diags_.error(std::move(code), std::move(msg), map.at(off));
  }

  Operand const_list(std::shared_ptr<const exec::ConstList> list) {
    Operand o;
    o.src = Src::const_list;
    o.type = Type::list;
    o.idx = static_cast<std::uint32_t>(prog_.lists.size());
    prog_.lists.push_back(std::move(list));
    return o;
  }

  const MacroDef* macro(const std::string& name) const {
    if (scope_.macros == nullptr) return nullptr;
    auto it = scope_.macros->find(name);
    return it == scope_.macros->end() ? nullptr : &it->second;
  }

  template <typename F>
  auto with_macro(const expr::Node& n, const TextMap& map, const MacroDef& md, F&& f)
      -> decltype(f(md)) {
    for (const auto* m : stack_) {
      if (m == &md) {
        std::string chain;
        for (const auto* s : stack_) chain += s->name + " -> ";
        chain += md.name;
        error(map, n.offset, "macro cycle: " + chain, "macro-cycle");
        using R = decltype(f(md));
        if constexpr (std::is_same_v<R, std::uint32_t>) {
          return emit_const(false);
        } else {
          return R{};
        }
      }
    }
    if (!md.ast) {
      failed_ = true;  // its parse error was reported where it is defined
      using R = decltype(f(md));
      if constexpr (std::is_same_v<R, std::uint32_t>) {
        return emit_const(false);
      } else {
        return R{};
      }
    }
    stack_.push_back(&md);
    auto r = f(md);
    stack_.pop_back();
    return r;
  }

  std::optional<Operand> name(const expr::Node& n, const TextMap& map) {
    if (const auto* md = macro(n.text)) {
      return with_macro(n, map, *md, [&](const MacroDef& m) { return value(*m.ast, m.map); });
    }
    if (scope_.lists != nullptr) {
      auto it = scope_.lists->find(n.text);
      if (it != scope_.lists->end()) return const_list(it->second);
    }
    Diagnostics local;
    auto o = resolve_path(n.text, prog_, scope_.steps, map.at(n.offset), local, false);
    if (o) return o;
    // Unknown: suggest among fields, lists, macros and steps.
    std::vector<std::string_view> cands = schema_field_names();
    if (scope_.lists != nullptr) {
      for (const auto& [k, v] : *scope_.lists) cands.push_back(k);
    }
    if (scope_.macros != nullptr) {
      for (const auto& [k, v] : *scope_.macros) cands.push_back(k);
    }
    for (const auto& s : scope_.steps) cands.push_back(s);
    for (const auto& d : local.items()) {
      std::string msg = d.message;
      const auto dot = n.text.find('.');
      if (dot == std::string::npos) {
        auto near = near_miss(n.text, cands);
        if (!near.empty()) msg += " (did you mean " + qt(near) + "?)";
      }
      failed_ = true;
      diags_.error(d.code, msg, d.loc);
    }
    return std::nullopt;
  }

  std::optional<Operand> call(const expr::Node& n, const TextMap& map) {
    if (n.text == "lower" || n.text == "len") {
      if (n.kids.size() != 1) {
        error(map, n.offset, n.text + "() takes one argument");
        return std::nullopt;
      }
      auto arg = value(*n.kids[0], map);
      if (!arg) return std::nullopt;
      Operand o;
      o.idx = static_cast<std::uint32_t>(prog_.operands.size());
      prog_.operands.push_back(*arg);
      if (n.text == "lower") {
        if (arg->type != Type::string && arg->type != Type::dynamic) {
          error(map, n.kids[0]->offset,
                "lower() takes a string, not a " + std::string(to_string(arg->type)));
          return std::nullopt;
        }
        o.src = Src::fn_lower;
        o.type = Type::string;
        o.aux = prog_.scratch_count++;
      } else {
        if (arg->type != Type::list && arg->type != Type::string && arg->type != Type::dynamic) {
          error(map, n.kids[0]->offset,
                "len() takes a list or a string, not a " + std::string(to_string(arg->type)));
          return std::nullopt;
        }
        o.src = Src::fn_len;
        o.type = Type::number;
      }
      return o;
    }
    if (n.text == "exists") {
      error(map, n.offset, "exists() is a condition, not a value");
      return std::nullopt;
    }
    static const std::vector<std::string_view> fns = {"exists", "len", "lower"};
    std::string msg = "unknown function " + qt(n.text);
    auto near = near_miss(n.text, fns);
    if (!near.empty()) msg += " (did you mean " + qt(near) + "?)";
    error(map, n.offset, msg, "unknown-function");
    return std::nullopt;
  }

  std::uint32_t exists(const expr::Node& n, const TextMap& map) {
    if (n.kids.size() != 1 || n.kids[0]->kind != expr::Node::Kind::name) {
      error(map, n.offset, "exists() takes one field name");
      return emit_const(false);
    }
    auto o = value(*n.kids[0], map);
    if (!o) return emit_const(false);
    if (o->src == Src::const_list || o->src == Src::const_str) {
      error(map, n.kids[0]->offset, "exists() takes a field, not a list or macro");
      return emit_const(false);
    }
    Node node;
    node.op = Node::Op::exists;
    node.a = *o;
    return emit(node);
  }

  static bool scalar(Type t) {
    return t == Type::string || t == Type::number || t == Type::boolean || t == Type::time ||
           t == Type::dynamic;
  }
  static bool listy(Type t) { return t == Type::list || t == Type::dynamic; }

  std::string describe(const expr::Node& n, const Operand& o) const {
    if (n.kind == expr::Node::Kind::name)
      return qt(n.text) + " is a " + std::string(to_string(o.type));
    return "this is a " + std::string(to_string(o.type));
  }

  std::uint32_t compare(const expr::Node& n, const TextMap& map) {
    const auto& ln = *n.kids[0];
    const auto& rn = *n.kids[1];
    auto a = value(ln, map);
    if (n.op == CmpOp::matches) {
      if (!a) return emit_const(false);
      if (rn.kind != expr::Node::Kind::string) {
        error(map, rn.offset, "'matches' takes a string literal (an RE2 regular expression)");
        return emit_const(false);
      }
      if (a->type != Type::string && a->type != Type::dynamic) {
        error(map, ln.offset, describe(ln, *a) + "; 'matches' needs a string");
        return emit_const(false);
      }
      auto re = std::make_unique<re2::RE2>(rn.text, re2::RE2::Quiet);
      if (!re->ok()) {
        error(map, rn.offset, "invalid regular expression: " + re->error(), "regex");
        return emit_const(false);
      }
      Node node;
      node.op = Node::Op::compare;
      node.cmp = n.op;
      node.a = *a;
      node.regex = static_cast<std::uint32_t>(prog_.regexes.size());
      prog_.regexes.push_back(std::move(re));
      return emit(node);
    }
    auto b = value(rn, map);
    if (!a || !b) return emit_const(false);
    const auto op_s = qt(expr::to_string(n.op));
    switch (n.op) {
      case CmpOp::eq:
      case CmpOp::ne:
      case CmpOp::lt:
      case CmpOp::le:
      case CmpOp::gt:
      case CmpOp::ge: {
        if (a->type == Type::list || b->type == Type::list) {
          const bool left_list = a->type == Type::list;
          const auto& ln2 = left_list ? ln : rn;
          std::string hint;
          if (n.op == CmpOp::eq && (left_list ? rn : ln).kind == expr::Node::Kind::string) {
            hint = " (use '" + ln2.text + " contains \"" + (left_list ? rn : ln).text + "\"')";
          } else {
            hint = " (use 'contains', 'any_in' or 'all_in')";
          }
          error(
              map, ln2.offset,
              describe(ln2, left_list ? *a : *b) + "; " + op_s + " compares single values" + hint);
          return emit_const(false);
        }
        // A string literal against a time is a timestamp.
        if (!coerce_time(*b, *a, left_ok(rn), map, rn) ||
            !coerce_time(*a, *b, left_ok(ln), map, ln)) {
          return emit_const(false);
        }
        if (a->type != b->type && a->type != Type::dynamic && b->type != Type::dynamic) {
          error(map, n.op_offset,
                "cannot compare a " + std::string(to_string(a->type)) + " with a " +
                    std::string(to_string(b->type)));
          return emit_const(false);
        }
        if (a->type == Type::boolean && n.op != CmpOp::eq && n.op != CmpOp::ne) {
          error(map, n.op_offset, op_s + " does not order booleans");
          return emit_const(false);
        }
        break;
      }
      case CmpOp::in:
      case CmpOp::not_in:
        if (a->type == Type::list) {
          error(map, ln.offset,
                describe(ln, *a) + "; " + op_s + " tests one value (use 'any_in' or 'all_in')");
          return emit_const(false);
        }
        if (!listy(b->type)) {
          error(map, rn.offset, op_s + " needs a list on the right; " + describe(rn, *b));
          return emit_const(false);
        }
        if (a->type != Type::string && a->type != Type::dynamic) {
          error(map, ln.offset, describe(ln, *a) + "; lists hold strings");
          return emit_const(false);
        }
        break;
      case CmpOp::contains:
        if (a->type == Type::string) {
          if (b->type != Type::string && b->type != Type::dynamic) {
            error(map, rn.offset, "'contains' on a string takes a string");
            return emit_const(false);
          }
          break;
        }
        if (!listy(a->type)) {
          error(map, ln.offset,
                describe(ln, *a) + "; 'contains' needs a list or a string on the left");
          return emit_const(false);
        }
        if (b->type == Type::list) {
          error(map, rn.offset,
                "'contains' tests one value; to test a list use 'any_in' or 'all_in'");
          return emit_const(false);
        }
        break;
      case CmpOp::any_in:
      case CmpOp::all_in:
        if (!listy(a->type)) {
          error(map, ln.offset,
                describe(ln, *a) + "; " + op_s +
                    " needs a list on the left (use 'in' for one value)");
          return emit_const(false);
        }
        if (!listy(b->type)) {
          error(map, rn.offset, op_s + " needs a list on the right; " + describe(rn, *b));
          return emit_const(false);
        }
        break;
      case CmpOp::startswith:
      case CmpOp::endswith:
        if ((a->type != Type::string && a->type != Type::dynamic) ||
            (b->type != Type::string && b->type != Type::dynamic)) {
          error(map, n.op_offset, op_s + " compares strings");
          return emit_const(false);
        }
        break;
      case CmpOp::matches:
        break;
    }
    Node node;
    node.op = Node::Op::compare;
    node.cmp = n.op;
    node.a = *a;
    node.b = *b;
    return emit(node);
  }

  static bool left_ok(const expr::Node& n) { return n.kind == expr::Node::Kind::string; }

  // When `other` is a time and `o` a string literal, parse it as a timestamp.
  bool coerce_time(Operand& o, const Operand& other, bool is_literal, const TextMap& map,
                   const expr::Node& lit) {
    if (other.type != Type::time || o.type != Type::string || !is_literal) return true;
    auto t = parse_time(prog_.strs[o.idx]);
    if (!t) {
      error(map, lit.offset,
            "invalid timestamp " + qt(prog_.strs[o.idx]) +
                " (use RFC 3339, e.g. \"2024-07-10T00:00:00Z\")");
      return false;
    }
    o.src = Src::const_time;
    o.type = Type::time;
    o.idx = static_cast<std::uint32_t>(prog_.times.size());
    prog_.times.push_back(*t);
    return true;
  }

  const Scope& scope_;
  exec::Program& prog_;
  Diagnostics& diags_;
  std::vector<const MacroDef*> stack_;
  bool failed_ = false;
};

}  // namespace

std::optional<Operand> resolve_path(std::string_view path, exec::Program& prog,
                                    const std::vector<std::string>& steps, const SourceLoc& loc,
                                    Diagnostics& diags, bool suggest) {
  Operand o;
  std::string_view rest = path;
  const auto dot = path.find('.');
  if (dot != std::string_view::npos) {
    const auto head = path.substr(0, dot);
    for (std::size_t k = 0; k < steps.size(); ++k) {
      if (steps[k] == head) {
        o.step = static_cast<std::int8_t>(k);
        rest = path.substr(dot + 1);
        break;
      }
    }
  }
  if (rest.substr(0, 6) == "attrs.") {
    const auto attr = rest.substr(6);
    if (attr.empty() || attr.find('.') != std::string_view::npos) {
      diags.error("unknown-field", "invalid attribute path " + qt(path), loc);
      return std::nullopt;
    }
    o.src = Src::attr;
    o.type = Type::dynamic;
    o.idx = static_cast<std::uint32_t>(prog.attr_names.size());
    prog.attr_names.emplace_back(attr);
    return o;
  }
  auto f = lookup_field(rest);
  if (!f) {
    if (rest.find('.') != std::string_view::npos && o.step < 0) {
      const auto head = rest.substr(0, rest.find('.'));
      diags.error("unknown-field",
                  "unknown name " + qt(path) + ": " + qt(head) +
                      " is not an earlier step, and fields outside the schema go under 'attrs.'",
                  loc);
    } else {
      std::string msg = "unknown field " + qt(rest);
      if (suggest) {
        auto near = near_miss(rest, schema_field_names());
        if (!near.empty()) msg += " (did you mean " + qt(near) + "?)";
      }
      diags.error("unknown-field", msg, loc);
    }
    return std::nullopt;
  }
  o.slot = f->slot;
  switch (f->type) {
    case FieldInfo::Type::string:
      o.src = Src::field_str;
      o.type = Type::string;
      break;
    case FieldInfo::Type::number:
      o.src = Src::field_num;
      o.type = Type::number;
      break;
    case FieldInfo::Type::boolean:
      o.src = Src::field_bool;
      o.type = Type::boolean;
      break;
    case FieldInfo::Type::list:
      o.src = Src::field_list;
      o.type = Type::list;
      break;
    case FieldInfo::Type::time:
      o.src = Src::field_time;
      o.type = Type::time;
      break;
  }
  return o;
}

bool bind_condition(const expr::Node& ast, const TextMap& map, const Scope& scope,
                    exec::Program& out, Diagnostics& diags) {
  Binder b(scope, out, diags);
  out.root = b.cond(ast, map);
  return !b.failed();
}

bool compile_condition(std::string_view text, const TextMap& map, const Scope& scope,
                       exec::Program& out, Diagnostics& diags) {
  bool blank = true;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') blank = false;
  }
  if (blank) {
    exec::Node n;
    n.op = exec::Node::Op::const_true;
    out.nodes.push_back(n);
    out.root = 0;
    return true;
  }
  expr::ParseError err;
  auto ast = expr::parse(text, err);
  if (!ast) {
    diags.error("syntax", err.message, map.at(err.offset));
    return false;
  }
  return bind_condition(*ast, map, scope, out, diags);
}

}  // namespace flashpoint::bind
