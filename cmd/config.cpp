// Loading of etc/flashpoint.toml into Config, with diagnostics.
#include "config.hpp"

#include <algorithm>
#include <toml++/toml.h>

namespace flashpoint::cmd {
namespace {

std::string qt(std::string_view s) { return "'" + std::string(s) + "'"; }

class Reader {
 public:
  Reader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  SourceLoc loc(const toml::source_region& r) const { return {file_, r.begin.line, r.begin.column}; }

  void keys(const toml::table& t, const std::vector<std::string_view>& known, std::string_view what) {
    for (auto&& [k, v] : t) {
      if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
      std::string msg = "unknown " + std::string(what) + " key " + qt(k.str());
      auto near = near_miss(k.str(), known);
      if (!near.empty()) msg += " (did you mean " + qt(near) + "?)";
      diags_.error("unknown-key", msg, loc(k.source()));
    }
  }

  void str(const toml::table& t, std::string_view key, std::string& out) {
    const auto* n = t.get(key);
    if (n == nullptr) return;
    if (const auto* s = n->as_string()) {
      out = s->get();
    } else {
      diags_.error("type", qt(key) + " must be a string", loc(n->source()));
    }
  }

  template <typename T>
  void integer(const toml::table& t, std::string_view key, T& out, std::int64_t min) {
    const auto* n = t.get(key);
    if (n == nullptr) return;
    const auto* i = n->as_integer();
    if (i == nullptr || i->get() < min) {
      diags_.error("type", qt(key) + " must be an integer >= " + std::to_string(min), loc(n->source()));
      return;
    }
    out = static_cast<T>(i->get());
  }

  void duration(const toml::table& t, std::string_view key, DurationUs& out, bool allow_zero) {
    const auto* n = t.get(key);
    if (n == nullptr) return;
    const auto* s = n->as_string();
    std::optional<DurationUs> d;
    if (s != nullptr) d = (allow_zero && s->get() == "0") ? std::optional<DurationUs>(0) : parse_duration(s->get());
    if (!d) {
      diags_.error("type", qt(key) + " must be a duration such as \"90d\"", loc(n->source()));
      return;
    }
    out = *d;
  }

  void strings(const toml::table& t, std::string_view key, std::vector<std::string>& out) {
    const auto* n = t.get(key);
    if (n == nullptr) return;
    out.clear();
    if (const auto* s = n->as_string()) {
      out.push_back(s->get());
      return;
    }
    const auto* a = n->as_array();
    if (a == nullptr) {
      diags_.error("type", qt(key) + " must be an array of strings", loc(n->source()));
      return;
    }
    for (const auto& e : *a) {
      if (const auto* s = e.as_string()) {
        out.push_back(s->get());
      } else {
        diags_.error("type", qt(key) + " must hold strings", loc(e.source()));
      }
    }
  }

  const toml::table* table(const toml::table& t, std::string_view key) {
    const auto* n = t.get(key);
    if (n == nullptr) return nullptr;
    if (const auto* tt = n->as_table()) return tt;
    diags_.error("type", qt(key) + " must be a table", loc(n->source()));
    return nullptr;
  }

  Diagnostics& diags() { return diags_; }

 private:
  std::string file_;
  Diagnostics& diags_;
};

}  // namespace

bool load_config(const std::string& path, Config& out, Diagnostics& diags) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    diags.error("toml", std::string(e.description()),
                {path, e.source().begin.line, e.source().begin.column});
    return false;
  }
  out.file = path;
  Reader r(path, diags);
  r.keys(root, {"daemon", "feed", "http", "tension", "engine"}, "top-level");
  if (const auto* d = r.table(root, "daemon")) {
    r.keys(*d, {"database", "rules", "log_level", "commit_ms", "commit_events", "queue_events"},
           "[daemon]");
    r.str(*d, "database", out.database);
    r.strings(*d, "rules", out.rules);
    r.str(*d, "log_level", out.log_level);
    r.integer(*d, "commit_ms", out.commit_ms, 1);
    r.integer(*d, "commit_events", out.commit_events, 1);
    r.integer(*d, "queue_events", out.queue_events, 16);
  }
  if (const auto* f = root.get("feed")) {
    const auto* arr = f->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      diags.error("type", "'feed' must be an array of tables ([[feed]])", r.loc(f->source()));
    } else {
      for (const auto& item : *arr) {
        const auto& t = *item.as_table();
        FeedConfig fc;
        r.keys(t, {"name", "adapter", "listen", "watch", "path", "done", "max_line"}, "[[feed]]");
        r.str(t, "name", fc.name);
        r.str(t, "adapter", fc.adapter);
        r.str(t, "listen", fc.listen);
        r.str(t, "watch", fc.watch);
        r.str(t, "path", fc.path);
        r.str(t, "done", fc.done);
        r.integer(t, "max_line", fc.max_line, 64);
        const SourceLoc at = r.loc(t.source());
        if (fc.name.empty()) diags.error("missing-key", "a feed needs a 'name'", at);
        const int sources = static_cast<int>(!fc.listen.empty()) + static_cast<int>(!fc.watch.empty()) +
                            static_cast<int>(!fc.path.empty());
        if (sources != 1) diags.error("feed", "a feed needs exactly one of listen, watch and path", at);
        static const std::vector<std::string_view> adapters = {"jsonl", "gdelt", "sipri", "acled"};
        if (std::find(adapters.begin(), adapters.end(), fc.adapter) == adapters.end()) {
          std::string msg = "unknown adapter " + qt(fc.adapter) + " (jsonl, gdelt, sipri or acled)";
          diags.error("feed", msg, r.loc(t.get("adapter")->source()));
        }
        for (const auto& other : out.feeds) {
          if (other.name == fc.name) diags.error("feed", "feed name " + qt(fc.name) + " is used twice", at);
        }
        out.feeds.push_back(std::move(fc));
      }
    }
  }
  if (const auto* h = r.table(root, "http")) {
    r.keys(*h, {"listen", "token", "max_body"}, "[http]");
    r.str(*h, "listen", out.http.listen);
    r.str(*h, "token", out.http.token);
    r.integer(*h, "max_body", out.http.max_body, 1024);
  }
  if (const auto* t = r.table(root, "tension")) {
    r.keys(*t, {"half_life", "levels", "hysteresis"}, "[tension]");
    r.duration(*t, "half_life", out.engine.tension.half_life, false);
    if (const auto* lv = r.table(*t, "levels")) {
      out.engine.tension.levels.clear();
      for (auto&& [k, v] : *lv) {
        if (v.is_integer() || v.is_floating_point()) {
          out.engine.tension.levels[std::string(k.str())] =
              v.is_integer() ? static_cast<double>(v.as_integer()->get()) : v.as_floating_point()->get();
        } else {
          diags.error("type", "a tension level must be a number", r.loc(v.source()));
        }
      }
    }
    if (const auto* hy = t->get("hysteresis")) {
      if (const auto* fl = hy->as_floating_point(); fl != nullptr && fl->get() >= 0 && fl->get() < 1) {
        out.engine.tension.hysteresis = fl->get();
      } else {
        diags.error("type", "'hysteresis' must be a number in [0, 1)", r.loc(hy->source()));
      }
    }
  }
  if (const auto* e = r.table(root, "engine")) {
    r.keys(*e, {"max_depth", "max_keys_per_rule", "dedup_capacity", "allowed_lateness"}, "[engine]");
    r.integer(*e, "max_depth", out.engine.max_depth, 0);
    r.integer(*e, "max_keys_per_rule", out.engine.max_keys_per_rule, 1);
    r.integer(*e, "dedup_capacity", out.engine.dedup_capacity, 0);
    r.duration(*e, "allowed_lateness", out.engine.allowed_lateness, true);
  }
  return !diags.has_errors();
}

}  // namespace flashpoint::cmd
