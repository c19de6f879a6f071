// The rule loader: read (TOML files to tables with positions) -> resolve
// (lists, macros, global names) -> compile each rule (parse, bind, lower)
// -> index by kind.
#include <toml++/toml.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "bind/binder.hpp"
#include "expr/parser.hpp"
#include "rules/compiled.hpp"
#include "rules/template.hpp"

namespace flashpoint {
namespace {

namespace fs = std::filesystem;
using detail::CompiledRule;
using detail::CompiledRules;

std::string qt(std::string_view s) {
  std::string r;
  r.reserve(s.size() + 2);
  r += '\'';
  r += s;
  r += '\'';
  return r;
}

struct FileData {
  std::string name;
  std::string text;
  toml::table table;
  bind::LineIndex lines;  // of text: where each line starts
};

SourceLoc loc_of(const FileData& f, const toml::source_region& r) {
  return {f.name, r.begin.line, r.begin.column};
}

struct Defined {
  SourceLoc loc;
  std::string what;  // "list" / "macro"
};

std::string hex64(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = digits[v & 0xFU];
    v >>= 4U;
  }
  return s;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Identifier-like words of a condition string (for hash dependencies).
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

class Loader {
 public:
  explicit Loader(Diagnostics& diags) : diags_(diags) {}

  void add_file(std::string name, std::string text) {
    FileData f;
    f.name = std::move(name);
    f.text = std::move(text);
    try {
      f.table = toml::parse(f.text, f.name);
    } catch (const toml::parse_error& e) {
      diags_.error("toml", std::string(e.description()),
                   {f.name, e.source().begin.line, e.source().begin.column});
      return;
    }
    f.lines = bind::LineIndex(f.text);
    files_.push_back(std::move(f));
  }

  std::unique_ptr<CompiledRules> run() {
    out_ = std::make_unique<CompiledRules>();
    for (const auto& f : files_) out_->files.push_back(f.name);
    for (const auto& f : files_) read_top(f);
    for (const auto& f : files_) read_lists(f);
    for (const auto& f : files_) read_macros(f);
    for (const auto& f : files_) read_rules(f);
    build_index();
    return std::move(out_);
  }

 private:
  // ---- read ----
  void read_top(const FileData& f) {
    static const std::vector<std::string_view> top = {"lists", "macros", "rule"};
    for (auto&& [k, v] : f.table) {
      if (std::find(top.begin(), top.end(), k.str()) == top.end()) {
        unknown_key(f, k, top, "top-level key");
      }
    }
  }

  void unknown_key(const FileData& f, const toml::key& k,
                   const std::vector<std::string_view>& known, std::string_view what) {
    std::string msg = "unknown " + std::string(what) + " " + qt(k.str());
    auto near = near_miss(k.str(), known);
    if (!near.empty()) msg += " (did you mean " + qt(near) + "?)";
    diags_.error("unknown-key", msg, loc_of(f, k.source()));
  }

  bool define(const std::string& name, const SourceLoc& loc, const std::string& what) {
    auto it = defined_.find(name);
    if (it != defined_.end()) {
      diags_.error("duplicate-name",
                   qt(name) + " is already defined as a " + it->second.what + " at " +
                       it->second.loc.file + ":" + std::to_string(it->second.loc.line),
                   loc);
      return false;
    }
    if (lookup_field(name)) {
      diags_.warning("shadows-field",
                     "the " + what + " " + qt(name) + " shadows the event field of that name", loc);
    }
    defined_[name] = {loc, what};
    return true;
  }

  void read_lists(const FileData& f) {
    const auto* lists = f.table.get("lists");
    if (lists == nullptr) return;
    const auto* tbl = lists->as_table();
    if (tbl == nullptr) {
      diags_.error("type", "'lists' must be a table", loc_of(f, lists->source()));
      return;
    }
    for (auto&& [k, v] : *tbl) {
      const std::string name(k.str());
      const auto loc = loc_of(f, k.source());
      const auto* arr = v.as_array();
      if (arr == nullptr) {
        diags_.error("type", "list " + qt(name) + " must be an array of strings",
                     loc_of(f, v.source()));
        continue;
      }
      if (!define(name, loc, "list")) continue;
      auto list = std::make_shared<exec::ConstList>();
      std::ostringstream def;
      def << name << " = " << *arr;
      for (const auto& item : *arr) {
        if (const auto* s = item.as_string()) {
          list->add(s->get(), exec::kTimeMin, exec::kTimeMax);
          continue;
        }
        const auto* t = item.as_table();
        if (t == nullptr) {
          diags_.error("type", "list entries are strings or { value, from, until } tables",
                       loc_of(f, item.source()));
          continue;
        }
        std::string value;
        TimeUs from = exec::kTimeMin;
        TimeUs until = exec::kTimeMax;
        bool ok = true;
        for (auto&& [ek, ev] : *t) {
          const auto key = ek.str();
          if (key == "value") {
            if (const auto* s = ev.as_string()) {
              value = s->get();
            } else {
              ok = false;
              diags_.error("type", "'value' must be a string", loc_of(f, ev.source()));
            }
          } else if (key == "from" || key == "until") {
            auto when = time_of(f, ev);
            if (!when) {
              ok = false;
              continue;
            }
            (key == "from" ? from : until) = *when;
          } else {
            ok = false;
            unknown_key(f, ek, {"value", "from", "until"}, "list entry key");
          }
        }
        if (value.empty() && ok) {
          diags_.error("missing-key", "dated list entry needs a 'value'", loc_of(f, item.source()));
          ok = false;
        }
        if (ok) list->add(value, from, until);
      }
      list->finalize();
      lists_[name] = std::move(list);
      list_defs_[name] = def.str();
    }
  }

  // A date: a TOML date/datetime or an RFC 3339 string.
  std::optional<TimeUs> time_of(const FileData& f, const toml::node& n) {
    std::string text;
    if (const auto* s = n.as_string()) {
      text = s->get();
    } else if (n.is_date() || n.is_date_time()) {
      std::ostringstream o;
      if (n.is_date()) {
        o << *n.as_date();
      } else {
        o << *n.as_date_time();
      }
      text = o.str();
    }
    auto t = parse_time(text);
    if (!t) {
      diags_.error("type", "expected a date (e.g. \"2023-04-04\" or an RFC 3339 time)",
                   loc_of(f, n.source()));
    }
    return t;
  }

  void read_macros(const FileData& f) {
    const auto* macros = f.table.get("macros");
    if (macros == nullptr) return;
    const auto* tbl = macros->as_table();
    if (tbl == nullptr) {
      diags_.error("type", "'macros' must be a table", loc_of(f, macros->source()));
      return;
    }
    for (auto&& [k, v] : *tbl) {
      const std::string name(k.str());
      const auto* s = v.as_string();
      if (s == nullptr) {
        diags_.error("type", "macro " + qt(name) + " must be a string", loc_of(f, v.source()));
        continue;
      }
      if (!define(name, loc_of(f, k.source()), "macro")) continue;
      bind::MacroDef md;
      md.name = name;
      md.text = s->get();
      md.map = bind::TextMap(f.name, f.text, v.source().begin.line, v.source().begin.column,
                             md.text, &f.lines);
      expr::ParseError err;
      md.ast = expr::parse(md.text, err);
      if (!md.ast) diags_.error("syntax", err.message, md.map.at(err.offset));
      macros_[name] = std::move(md);
    }
  }

  // ---- per-rule compile ----
  struct Field {
    const FileData* f;
    const toml::node* n;
  };

  std::optional<std::string> str(const FileData& f, const toml::table& t, std::string_view key,
                                 bool required, const SourceLoc& rule_loc) {
    const auto* n = t.get(key);
    if (n == nullptr) {
      if (required) {
        diags_.error("missing-key", "rule is missing required key " + qt(key), rule_loc);
      }
      return std::nullopt;
    }
    if (const auto* s = n->as_string()) return s->get();
    diags_.error("type", qt(key) + " must be a string", loc_of(f, n->source()));
    return std::nullopt;
  }

  std::vector<std::string> strings(const FileData& f, const toml::table& t, std::string_view key) {
    std::vector<std::string> out;
    const auto* n = t.get(key);
    if (n == nullptr) return out;
    const auto* arr = n->as_array();
    if (arr == nullptr) {
      if (const auto* s = n->as_string()) return {s->get()};
      diags_.error("type", qt(key) + " must be an array of strings", loc_of(f, n->source()));
      return out;
    }
    for (const auto& item : *arr) {
      if (const auto* s = item.as_string()) {
        out.push_back(s->get());
      } else {
        diags_.error("type", qt(key) + " must hold strings", loc_of(f, item.source()));
      }
    }
    return out;
  }

  std::optional<DurationUs> duration(const FileData& f, const toml::table& t, std::string_view key,
                                     bool required, const SourceLoc& at) {
    const auto* n = t.get(key);
    if (n == nullptr) {
      if (required) diags_.error("missing-key", "missing required key " + qt(key), at);
      return std::nullopt;
    }
    const auto* s = n->as_string();
    std::optional<DurationUs> d;
    if (s != nullptr) d = parse_duration(s->get());
    if (!d || *d <= 0) {
      diags_.error(
          "type",
          qt(key) + " must be a duration such as \"90s\", \"15m\", \"12h\", \"30d\" or \"2w\"",
          loc_of(f, n->source()));
      return std::nullopt;
    }
    return d;
  }

  void check_keys(const FileData& f, const toml::table& t,
                  const std::vector<std::string_view>& known, std::string_view what) {
    for (auto&& [k, v] : t) {
      if (std::find(known.begin(), known.end(), k.str()) == known.end())
        unknown_key(f, k, known, what);
    }
  }

  bool condition(const FileData& f, const toml::table& t, std::string_view key, bool required,
                 const SourceLoc& at, const std::vector<std::string>& steps, exec::Program& out,
                 std::string* text_out) {
    const auto* n = t.get(key);
    if (n == nullptr) {
      if (required) diags_.error("missing-key", "missing required key " + qt(key), at);
      bind::compile_condition("", bind::TextMap(), {}, out, diags_);
      return !required;
    }
    const auto* s = n->as_string();
    if (s == nullptr) {
      diags_.error("type", qt(key) + " must be a string (a condition)", loc_of(f, n->source()));
      return false;
    }
    bind::TextMap map(f.name, f.text, n->source().begin.line, n->source().begin.column, s->get(),
                      &f.lines);
    bind::Scope scope{&lists_, &macros_, steps};
    if (text_out != nullptr) *text_out += std::string(key) + "=" + s->get() + "\n";
    return bind::compile_condition(s->get(), map, scope, out, diags_);
  }

  std::vector<exec::Operand> paths(const FileData& f, const toml::table& t, std::string_view key,
                                   exec::Program& pool) {
    std::vector<exec::Operand> out;
    const auto* n = t.get(key);
    for (const auto& p : strings(f, t, key)) {
      auto o = bind::resolve_path(p, pool, {}, loc_of(f, n->source()), diags_);
      if (o) out.push_back(*o);
    }
    return out;
  }

  void read_rules(const FileData& f) {
    const auto* rules = f.table.get("rule");
    if (rules == nullptr) return;
    const auto* arr = rules->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      diags_.error("type", "'rule' must be an array of tables ([[rule]])",
                   loc_of(f, rules->source()));
      return;
    }
    for (const auto& item : *arr) compile_rule(f, *item.as_table());
  }

  void compile_rule(const FileData& f, const toml::table& t) {
    static const std::vector<std::string_view> keys = {
        "id",      "title",    "when", "severity",  "message", "rationale", "claims", "tags",
        "enabled", "throttle", "key",  "threshold", "steps",   "absence",   "tension"};
    const std::size_t errors_before = diags_.error_count();
    const SourceLoc at = loc_of(f, t.source());
    check_keys(f, t, keys, "rule key");
    CompiledRule r;
    RuleInfo& info = r.info;
    info.loc = at;
    info.id = str(f, t, "id", true, at).value_or("");
    if (!info.id.empty()) {
      auto [it, fresh] = ids_.emplace(info.id, at);
      if (!fresh) {
        diags_.error("duplicate-rule",
                     "rule id " + qt(info.id) + " is already used at " + it->second.file + ":" +
                         std::to_string(it->second.line),
                     loc_of(f, t.get("id")->source()));
      }
    }
    info.title = str(f, t, "title", true, at).value_or("");
    info.message = str(f, t, "message", false, at).value_or(info.title);
    info.rationale = str(f, t, "rationale", false, at).value_or("");
    info.claims = strings(f, t, "claims");
    info.tags = strings(f, t, "tags");
    if (const auto* n = t.get("enabled")) {
      if (const auto* b = n->as_boolean()) {
        info.enabled = b->get();
      } else {
        diags_.error("type", "'enabled' must be true or false", loc_of(f, n->source()));
      }
    }
    if (auto sev = str(f, t, "severity", false, at)) {
      if (auto s = parse_severity(*sev)) {
        info.severity = *s;
      } else {
        static const std::vector<std::string_view> sevs = {"info", "low", "medium", "high",
                                                           "critical"};
        std::string msg =
            "unknown severity " + qt(*sev) + " (one of info, low, medium, high, critical)";
        auto near = near_miss(*sev, sevs);
        if (!near.empty())
          msg = "unknown severity " + qt(*sev) + " (did you mean " + qt(near) + "?)";
        diags_.error("type", msg, loc_of(f, t.get("severity")->source()));
      }
    }
    if (auto d = duration(f, t, "throttle", false, at)) r.throttle = *d;

    std::string conds;  // condition texts, for the definition hash
    std::vector<std::string> step_names;
    const bool has_steps = t.contains("steps");
    const bool has_abs = t.contains("absence");
    const bool has_thr = t.contains("threshold");
    if (static_cast<int>(has_steps) + static_cast<int>(has_abs) + static_cast<int>(has_thr) > 1) {
      diags_.error("rule-shape", "a rule has at most one of threshold, steps and absence", at);
    }
    if (has_steps || has_abs) {
      if (t.contains("when")) {
        diags_.error("rule-shape",
                     std::string("a ") + (has_steps ? "sequence" : "absence") +
                         " rule has no top-level 'when' (its conditions are in " +
                         (has_steps ? "[[rule.steps]]" : "[rule.absence]") + ")",
                     loc_of(f, t.get("when")->source()));
      }
      bind::compile_condition("", bind::TextMap(), {}, r.when, diags_);
    } else {
      condition(f, t, "when", true, at, {}, r.when, &conds);
    }

    if (has_thr) compile_threshold(f, t, r, at);
    if (has_steps) compile_steps(f, t, r, at, conds, step_names);
    if (has_abs) compile_absence(f, t, r, at, conds, step_names);
    if (t.contains("key")) {
      r.key = paths(f, t, "key", r.aux);
      info.key = strings(f, t, "key");
    } else if (has_thr) {
      info.key = strings(f, *t.get("threshold")->as_table(), "by");
      r.key = paths(f, *t.get("threshold")->as_table(), "by", r.aux);
    }
    if (const auto* n = t.get("tension")) compile_tension(f, *n, r);

    {
      const auto tmap = [&](std::string_view key) {
        const auto* n = t.get(key);
        return n == nullptr ? at : loc_of(f, n->source());
      };
      r.title = detail::parse_template(info.title, r.aux, step_names, tmap("title"), diags_);
      r.message = detail::parse_template(info.message, r.aux, step_names, tmap("message"), diags_);
    }
    info.type = has_thr     ? RuleType::threshold
                : has_steps ? RuleType::sequence
                : has_abs   ? RuleType::absence
                            : RuleType::stateless;
    info.has_tension = r.tension.has_value();

    // Definition hash: the rule's own table plus the lists and macros it uses.
    std::ostringstream def;
    def << t << "\n";
    std::set<std::string> seen;
    std::vector<std::string> todo = words_of(conds);
    while (!todo.empty()) {
      auto w = std::move(todo.back());
      todo.pop_back();
      if (!seen.insert(w).second) continue;
      if (auto it = macros_.find(w); it != macros_.end()) {
        def << "macro " << w << " = " << it->second.text << "\n";
        for (auto& x : words_of(it->second.text)) todo.push_back(std::move(x));
      } else if (auto lt = list_defs_.find(w); lt != list_defs_.end()) {
        def << "list " << lt->second << "\n";
      }
    }
    info.definition = def.str();
    info.hash = hex64(fnv1a(info.definition));

    r.scratch = r.when.scratch_count;
    for (const auto& s : r.steps) r.scratch = std::max(r.scratch, s.when.scratch_count);
    if (r.absence) {
      r.scratch =
          std::max({r.scratch, r.absence->after.scratch_count, r.absence->expect.scratch_count});
    }
    r.scratch = std::max(r.scratch, r.aux.scratch_count);
    if (diags_.error_count() == errors_before) {
      out_->max_scratch = std::max(out_->max_scratch, r.scratch);
      out_->infos.push_back(r.info);
      out_->rules.push_back(std::move(r));
    }
  }

  void compile_threshold(const FileData& f, const toml::table& rt, CompiledRule& r,
                         const SourceLoc& at) {
    const auto* n = rt.get("threshold");
    const auto* t = n->as_table();
    if (t == nullptr) {
      diags_.error("type", "'threshold' must be a table ([rule.threshold])",
                   loc_of(f, n->source()));
      return;
    }
    check_keys(f, *t, {"within", "by", "count", "distinct", "sum"}, "threshold key");
    detail::ThresholdSpec spec;
    spec.within = duration(f, *t, "within", true, loc_of(f, t->source())).value_or(kDay);
    const int modes = static_cast<int>(t->contains("count")) +
                      static_cast<int>(t->contains("distinct")) +
                      static_cast<int>(t->contains("sum"));
    if (modes != 1) {
      diags_.error("rule-shape", "a threshold needs exactly one of count, distinct and sum",
                   loc_of(f, t->source()));
    }
    if (const auto* c = t->get("count")) {
      const auto* i = c->as_integer();
      if (i == nullptr || i->get() < 1) {
        diags_.error("type", "'count' must be a positive integer", loc_of(f, c->source()));
      } else {
        spec.count = static_cast<std::uint64_t>(i->get());
      }
      spec.mode = detail::ThresholdSpec::Mode::count;
    }
    for (const char* mode : {"distinct", "sum"}) {
      const auto* m = t->get(mode);
      if (m == nullptr) continue;
      spec.mode = std::string_view(mode) == "sum" ? detail::ThresholdSpec::Mode::sum
                                                  : detail::ThresholdSpec::Mode::distinct;
      const auto* mt = m->as_table();
      if (mt == nullptr) {
        diags_.error("type", qt(mode) + " must be a table { field = \"...\", min = N }",
                     loc_of(f, m->source()));
        continue;
      }
      check_keys(f, *mt, {"field", "min"}, std::string(mode) + " key");
      auto field = str(f, *mt, "field", true, loc_of(f, m->source()));
      const auto* mn = mt->get("min");
      if (mn == nullptr || !(mn->is_integer() || mn->is_floating_point())) {
        diags_.error("type", qt(mode) + " needs a numeric 'min'", loc_of(f, m->source()));
      } else {
        spec.min = mn->is_integer() ? static_cast<double>(mn->as_integer()->get())
                                    : mn->as_floating_point()->get();
      }
      if (field) {
        if (auto o = bind::resolve_path(*field, r.aux, {}, loc_of(f, m->source()), diags_)) {
          if (spec.mode == detail::ThresholdSpec::Mode::sum && o->type != exec::Type::number &&
              o->type != exec::Type::dynamic) {
            diags_.error("type",
                         "'sum' needs a number field; " + qt(*field) + " is a " +
                             std::string(to_string(o->type)),
                         loc_of(f, m->source()));
          }
          spec.field = *o;
        }
      }
    }
    (void)at;
    r.threshold = spec;
  }

  void compile_steps(const FileData& f, const toml::table& rt, CompiledRule& r, const SourceLoc& at,
                     std::string& conds, std::vector<std::string>& names) {
    const auto* n = rt.get("steps");
    const auto* arr = n->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      diags_.error("type", "'steps' must be an array of tables ([[rule.steps]])",
                   loc_of(f, n->source()));
      return;
    }
    if (arr->size() < 2 || arr->size() > 8) {
      diags_.error("rule-shape", "a sequence has 2 to 8 steps", loc_of(f, n->source()));
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto& st = *(*arr)[i].as_table();
      const auto sloc = loc_of(f, st.source());
      check_keys(f, st, {"as", "when", "within"}, "step key");
      detail::StepSpec step;
      step.as = str(f, st, "as", false, sloc).value_or("step" + std::to_string(i + 1));
      if (lookup_field(step.as) || lists_.count(step.as) || macros_.count(step.as)) {
        diags_.error("duplicate-name",
                     "step name " + qt(step.as) + " is already a field, list or macro", sloc);
      }
      condition(f, st, "when", true, sloc, names, step.when, &conds);
      if (i > 0) {
        step.within = duration(f, st, "within", true, sloc).value_or(kDay);
      } else if (st.contains("within")) {
        diags_.warning("ignored", "the first step's 'within' is ignored",
                       loc_of(f, st.get("within")->source()));
      }
      names.push_back(step.as);
      r.steps.push_back(std::move(step));
    }
    (void)at;
  }

  void compile_absence(const FileData& f, const toml::table& rt, CompiledRule& r,
                       const SourceLoc& at, std::string& conds, std::vector<std::string>& names) {
    const auto* n = rt.get("absence");
    const auto* t = n->as_table();
    if (t == nullptr) {
      diags_.error("type", "'absence' must be a table ([rule.absence])", loc_of(f, n->source()));
      return;
    }
    const auto aloc = loc_of(f, t->source());
    check_keys(f, *t, {"after", "expect", "within"}, "absence key");
    detail::AbsenceSpec spec;
    const auto* after = t->get("after");
    if (after == nullptr || after->as_table() == nullptr) {
      diags_.error("missing-key", "absence needs 'after = { as = \"...\", when = \"...\" }'", aloc);
      return;
    }
    const auto& at_tbl = *after->as_table();
    check_keys(f, at_tbl, {"as", "when"}, "'after' key");
    spec.as = str(f, at_tbl, "as", false, aloc).value_or("after");
    condition(f, at_tbl, "when", true, loc_of(f, after->source()), {}, spec.after, &conds);
    names.push_back(spec.as);
    condition(f, *t, "expect", true, aloc, names, spec.expect, &conds);
    spec.within = duration(f, *t, "within", true, aloc).value_or(kDay);
    (void)at;
    r.absence = std::move(spec);
  }

  void compile_tension(const FileData& f, const toml::node& n, CompiledRule& r) {
    const auto* t = n.as_table();
    if (t == nullptr) {
      diags_.error("type", "'tension' must be a table ([rule.tension])", loc_of(f, n.source()));
      return;
    }
    check_keys(f, *t, {"pair", "weight"}, "tension key");
    detail::TensionSpec spec;
    auto pair = strings(f, *t, "pair");
    if (pair.size() != 2) {
      diags_.error("type", "'pair' must list two actors (codes or {field})",
                   loc_of(f, t->source()));
      return;
    }
    for (int side = 0; side < 2; ++side) {
      auto& s = side == 0 ? spec.a : spec.b;
      const auto& text = pair[static_cast<std::size_t>(side)];
      if (text.size() > 2 && text.front() == '{' && text.back() == '}') {
        const auto path = text.substr(1, text.size() - 2);
        auto o = bind::resolve_path(path, r.aux, {}, loc_of(f, t->get("pair")->source()), diags_);
        if (!o) return;
        if (o->type != exec::Type::string && o->type != exec::Type::list &&
            o->type != exec::Type::dynamic) {
          diags_.error("type", "a tension pair field must be a string or a list",
                       loc_of(f, t->get("pair")->source()));
          return;
        }
        s.field = true;
        s.op = *o;
      } else {
        s.literal = text;
      }
    }
    if (const auto* w = t->get("weight")) {
      if (w->is_integer()) {
        spec.weight = static_cast<double>(w->as_integer()->get());
      } else if (w->is_floating_point()) {
        spec.weight = w->as_floating_point()->get();
      } else {
        diags_.error("type", "'weight' must be a number", loc_of(f, w->source()));
      }
    }
    r.tension = spec;
  }

  // Rules over alerts may feed each other; warn about cycles (the engine
  // caps chains at max_depth, so a cycle is bounded but noisy).
  void loop_warnings() {
    const auto n = out_->rules.size();
    std::vector<std::vector<std::uint32_t>> feeds(n);  // feeds[a]: rules that match a's alerts
    auto conditions = [](const CompiledRule& r) {
      std::vector<const exec::Program*> ps;
      if (!r.steps.empty()) {
        for (const auto& s : r.steps) ps.push_back(&s.when);
      } else if (r.absence) {
        ps = {&r.absence->after, &r.absence->expect};
      } else {
        ps.push_back(&r.when);
      }
      return ps;
    };
    for (std::uint32_t b = 0; b < n; ++b) {
      if (!out_->rules[b].info.enabled) continue;
      for (const auto* p : conditions(out_->rules[b])) {
        auto kinds = detail::kinds_of(*p);
        if (kinds && std::find(kinds->begin(), kinds->end(), "alert") == kinds->end()) continue;
        auto only = detail::values_of(*p, StrField::rule);
        for (std::uint32_t a = 0; a < n; ++a) {
          if (a == b || !out_->rules[a].info.enabled) continue;
          if (only && std::find(only->begin(), only->end(), out_->rules[a].info.id) == only->end())
            continue;
          feeds[a].push_back(b);
        }
      }
    }
    // A cycle through rule i: i reaches itself.
    std::set<std::uint32_t> warned;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (warned.count(i) != 0) continue;
      std::vector<std::uint32_t> parent(n, UINT32_MAX);
      std::vector<std::uint32_t> todo = {i};
      std::vector<bool> seen(n, false);
      bool found = false;
      std::uint32_t last = 0;
      while (!todo.empty() && !found) {
        const auto a = todo.back();
        todo.pop_back();
        for (auto b : feeds[a]) {
          if (b == i) {
            found = true;
            last = a;
            break;
          }
          if (!seen[b]) {
            seen[b] = true;
            parent[b] = a;
            todo.push_back(b);
          }
        }
      }
      if (!found) continue;
      std::vector<std::uint32_t> chain = {i};
      for (auto c = last; c != i && c != UINT32_MAX; c = parent[c])
        chain.insert(chain.begin() + 1, c);
      std::string text;
      for (auto c : chain) {
        text += out_->rules[c].info.id + " -> ";
        warned.insert(c);
      }
      text += out_->rules[i].info.id;
      diags_.warning("alert-loop",
                     "rules over alerts can feed each other: " + text +
                         " (chains stop at depth 4; restrict with rule == or rule in)",
                     out_->rules[i].info.loc);
    }
  }

  // ---- index ----
  void build_index() {
    auto add = [&](std::uint32_t rule, std::uint8_t cond, const exec::Program& p) {
      auto kinds = detail::kinds_of(p);
      if (!kinds) {
        detail::file_sub(out_->index.any, {rule, cond}, p);
        diags_.warning("unindexed",
                       "rule " + qt(out_->rules[rule].info.id) +
                           " cannot be narrowed by kind (add a kind == or kind in condition); "
                           "it is tested against every event",
                       out_->rules[rule].info.loc);
        return;
      }
      for (const auto& k : *kinds) detail::file_sub(out_->index.by_kind[k], {rule, cond}, p);
    };
    loop_warnings();
    for (std::uint32_t i = 0; i < out_->rules.size(); ++i) {
      auto& r = out_->rules[i];
      if (!r.info.enabled) continue;
      if (!r.steps.empty()) {
        for (std::size_t s = 0; s < r.steps.size(); ++s) {
          r.steps[s].when.find_event_only();
          add(i, static_cast<std::uint8_t>(s), r.steps[s].when);
        }
      } else if (r.absence) {
        r.absence->expect.find_event_only();
        add(i, 0, r.absence->after);
        add(i, 1, r.absence->expect);
      } else {
        add(i, 0, r.when);
      }
    }
  }

  Diagnostics& diags_;
  std::vector<FileData> files_;
  std::unique_ptr<CompiledRules> out_;
  std::map<std::string, Defined> defined_;
  std::map<std::string, std::shared_ptr<const exec::ConstList>> lists_;
  std::map<std::string, std::string> list_defs_;
  std::map<std::string, bind::MacroDef> macros_;
  std::map<std::string, SourceLoc> ids_;
};

void expand(const std::string& path, std::vector<std::string>& out, Diagnostics& diags) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".toml")
        found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) diags.warning("no-rules", "no .toml files in folder", {path, 0, 0});
    out.insert(out.end(), found.begin(), found.end());
  } else if (fs::exists(path, ec)) {
    out.push_back(path);
  } else {
    diags.error("io", "no such file or folder", {path, 0, 0});
  }
}

}  // namespace

std::string_view to_string(RuleType t) {
  switch (t) {
    case RuleType::stateless:
      return "stateless";
    case RuleType::threshold:
      return "threshold";
    case RuleType::sequence:
      return "sequence";
    case RuleType::absence:
      return "absence";
  }
  return "?";
}

RuleSet::RuleSet(std::unique_ptr<detail::CompiledRules> impl) : impl_(std::move(impl)) {}
RuleSet::~RuleSet() = default;
const std::vector<RuleInfo>& RuleSet::rules() const { return impl_->infos; }
const std::vector<std::string>& RuleSet::files() const { return impl_->files; }

std::shared_ptr<const RuleSet> RuleSet::compile(const std::vector<Source>& sources,
                                                Diagnostics& diags) {
  Loader loader(diags);
  for (const auto& s : sources) loader.add_file(s.name, s.text);
  auto compiled = loader.run();
  if (diags.has_errors()) return nullptr;
  return std::make_shared<const RuleSet>(std::move(compiled));
}

std::shared_ptr<const RuleSet> RuleSet::load(const std::vector<std::string>& paths,
                                             Diagnostics& diags) {
  std::vector<std::string> files;
  for (const auto& p : paths) expand(p, files, diags);
  std::vector<Source> sources;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      diags.error("io", "cannot read file", {f, 0, 0});
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    sources.push_back({f, ss.str()});
  }
  if (diags.has_errors()) return nullptr;
  return compile(sources, diags);
}

}  // namespace flashpoint
