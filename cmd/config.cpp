// Loading of etc/flashpoint.toml into Config, with diagnostics.
#include "config.hpp"

#include <arpa/inet.h>

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "flashpoint/adapters/decoder.hpp"

namespace flashpoint::cmd {
namespace {

std::string qt(std::string_view s) {
  std::string r;
  r.reserve(s.size() + 2);
  r += '\'';
  r += s;
  r += '\'';
  return r;
}

class Reader {
 public:
  Reader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  SourceLoc loc(const toml::source_region& r) const {
    return {file_, r.begin.line, r.begin.column};
  }
  SourceLoc loc_of(const toml::table& t, std::string_view key) const {
    const auto* n = t.get(key);
    return n != nullptr ? loc(n->source()) : loc(t.source());
  }

  void keys(const toml::table& t, const std::vector<std::string_view>& known,
            std::string_view what) {
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

  void boolean(const toml::table& t, std::string_view key, bool& out) {
    const auto* n = t.get(key);
    if (n == nullptr) return;
    if (const auto* b = n->as_boolean()) {
      out = b->get();
    } else {
      diags_.error("type", qt(key) + " must be true or false", loc(n->source()));
    }
  }

  template <typename T>
  void integer(const toml::table& t, std::string_view key, T& out, std::int64_t min,
               std::int64_t max = std::numeric_limits<std::int32_t>::max()) {
    const auto* n = t.get(key);
    if (n == nullptr) return;
    const auto* i = n->as_integer();
    std::int64_t top = max;
    if constexpr (sizeof(T) < sizeof(std::int64_t)) {
      top = std::min<std::int64_t>(max, static_cast<std::int64_t>(std::numeric_limits<T>::max()));
    }
    if (i == nullptr || i->get() < min || i->get() > top) {
      diags_.error("type",
                   qt(key) + " must be an integer from " + std::to_string(min) + " to " +
                       std::to_string(top),
                   loc(n->source()));
      return;
    }
    out = static_cast<T>(i->get());
  }

  void duration(const toml::table& t, std::string_view key, DurationUs& out, bool allow_zero) {
    const auto* n = t.get(key);
    if (n == nullptr) return;
    const auto* s = n->as_string();
    std::optional<DurationUs> d;
    if (s != nullptr) {
      d = (allow_zero && s->get() == "0") ? std::optional<DurationUs>(0) : parse_duration(s->get());
    }
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

 private:
  std::string file_;
  Diagnostics& diags_;
};

bool valid_ip(const std::string& host) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

void read_feed(Reader& r, const toml::table& t, Config& out, Diagnostics& diags) {
  FeedConfig fc;
  fc.loc = r.loc(t.source());
  r.keys(t,
         {"name", "adapter", "listen", "watch", "path", "done", "max_line", "poll_ms", "settle_ms",
          "max_clients", "idle_timeout_ms"},
         "[[feed]]");
  r.str(t, "name", fc.name);
  r.str(t, "adapter", fc.adapter);
  r.str(t, "listen", fc.listen);
  r.str(t, "watch", fc.watch);
  r.str(t, "path", fc.path);
  r.str(t, "done", fc.done);
  r.integer(t, "max_line", fc.max_line, 64, std::int64_t{1} << 30);
  r.integer(t, "poll_ms", fc.poll_ms, 10, 3'600'000);
  r.integer(t, "settle_ms", fc.settle_ms, 0, 86'400'000);
  r.integer(t, "max_clients", fc.max_clients, 1, 100'000);
  r.integer(t, "idle_timeout_ms", fc.idle_timeout_ms, 100, 86'400'000);
  const SourceLoc& at = fc.loc;
  if (fc.name.empty()) diags.error("missing-key", "a feed needs a 'name'", at);
  const int sources = static_cast<int>(!fc.listen.empty()) + static_cast<int>(!fc.watch.empty()) +
                      static_cast<int>(!fc.path.empty());
  if (sources != 1) {
    diags.error("feed", "a feed needs exactly one of listen, watch and path", at);
  }
  static const std::vector<std::string_view> adapters = {"jsonl", "gdelt", "sipri", "acled"};
  if (std::find(adapters.begin(), adapters.end(), fc.adapter) == adapters.end()) {
    std::string msg = "unknown adapter " + qt(fc.adapter) + " (jsonl, gdelt, sipri or acled)";
    auto near = near_miss(fc.adapter, adapters);
    if (!near.empty()) msg += " (did you mean " + qt(near) + "?)";
    diags.error("feed", msg, r.loc_of(t, "adapter"));
  } else if (!adapters::make_decoder(fc.adapter, {})) {
    diags.error("feed", "adapter " + qt(fc.adapter) + " is not available in this build",
                r.loc_of(t, "adapter"));
  } else if (!fc.listen.empty() && fc.adapter != "jsonl") {
    diags.error("feed", "socket feeds take JSON Lines: use adapter = \"jsonl\"",
                r.loc_of(t, "adapter"));
  }
  if (!fc.listen.empty()) {
    const std::string err = parse_listen(fc.listen, false, fc.address);
    if (!err.empty()) diags.error("value", "'listen': " + err, r.loc_of(t, "listen"));
  }
  if (t.get("done") != nullptr && fc.watch.empty()) {
    diags.error("feed", "'done' applies to watch feeds only", r.loc_of(t, "done"));
  }
  if (fc.done.empty()) diags.error("value", "'done' is \"leave\" or a folder", r.loc_of(t, "done"));
  for (const auto& other : out.feeds) {
    if (other.name == fc.name && !fc.name.empty()) {
      diags.error("feed", "feed name " + qt(fc.name) + " is used twice", at);
    }
  }
  out.feeds.push_back(std::move(fc));
}

}  // namespace

std::string parse_listen(std::string_view text, bool plain_host_port, ListenAddress& out) {
  constexpr std::string_view kTcp = "tcp://";
  constexpr std::string_view kUnix = "unix://";
  std::string_view rest;
  if (text.substr(0, kUnix.size()) == kUnix) {
    if (plain_host_port) return "expected HOST:PORT";
    out.kind = ListenAddress::Kind::unix_socket;
    out.path = std::string(text.substr(kUnix.size()));
    if (out.path.empty()) return "expected unix:///path/to/socket";
    if (out.path.size() > 100) return "a Unix socket path is limited to 100 bytes";
    return "";
  }
  if (text.substr(0, kTcp.size()) == kTcp) {
    rest = text.substr(kTcp.size());
  } else if (plain_host_port) {
    rest = text;
  } else {
    return "expected tcp://HOST:PORT or unix:///path";
  }
  out.kind = ListenAddress::Kind::tcp;
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return "expected HOST:PORT (the port is missing)";
  std::string host(rest.substr(0, colon));
  const std::string_view port = rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || host == "localhost") host = "127.0.0.1";
  if (!valid_ip(host)) return "host " + qt(host) + " is not an IP address";
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value > 65535) {
    return "port " + qt(port) + " is not a number from 0 to 65535";
  }
  out.host = std::move(host);
  out.port = static_cast<std::uint16_t>(value);
  return "";
}

bool valid_log_level(std::string_view level) {
  static const std::vector<std::string_view> levels = {"trace", "debug",    "info", "warn",
                                                       "error", "critical", "off"};
  return std::find(levels.begin(), levels.end(), level) != levels.end();
}

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
    r.keys(*d,
           {"database", "rules", "log_level", "commit_ms", "commit_events", "state_ms",
            "queue_events", "watch_rules", "reload_delay_ms", "shutdown_timeout_ms",
            "busy_timeout_ms", "clock_watermark"},
           "[daemon]");
    r.str(*d, "database", out.database);
    r.strings(*d, "rules", out.rules);
    r.str(*d, "log_level", out.log_level);
    if (!valid_log_level(out.log_level)) {
      diags.error("value", "'log_level' is one of trace, debug, info, warn, error, critical, off",
                  r.loc_of(*d, "log_level"));
    }
    r.integer(*d, "commit_ms", out.commit_ms, 1, 60'000);
    r.integer(*d, "commit_events", out.commit_events, 1, 10'000'000);
    r.integer(*d, "state_ms", out.state_ms, 1, 3'600'000);
    r.integer(*d, "queue_events", out.queue_events, 16, 100'000'000);
    r.boolean(*d, "watch_rules", out.watch_rules);
    r.integer(*d, "reload_delay_ms", out.reload_delay_ms, 0, 60'000);
    r.integer(*d, "shutdown_timeout_ms", out.shutdown_timeout_ms, 100, 3'600'000);
    r.integer(*d, "busy_timeout_ms", out.busy_timeout_ms, 10, 600'000);
    r.boolean(*d, "clock_watermark", out.clock_watermark);
    if (out.database.empty()) diags.error("value", "'database' is empty", r.loc_of(*d, "database"));
    if (out.rules.empty()) diags.error("value", "'rules' is empty", r.loc_of(*d, "rules"));
  }
  if (const auto* f = root.get("feed")) {
    const auto* arr = f->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      diags.error("type", "'feed' must be an array of tables ([[feed]])", r.loc(f->source()));
    } else {
      for (const auto& item : *arr) read_feed(r, *item.as_table(), out, diags);
    }
  }
  if (const auto* h = r.table(root, "http")) {
    r.keys(*h, {"listen", "token", "max_body", "feed", "max_connections", "timeout_ms"}, "[http]");
    r.str(*h, "listen", out.http.listen);
    r.str(*h, "token", out.http.token);
    r.integer(*h, "max_body", out.http.max_body, 1024, std::int64_t{1} << 30);
    r.str(*h, "feed", out.http.feed);
    r.integer(*h, "max_connections", out.http.max_connections, 1, 100'000);
    r.integer(*h, "timeout_ms", out.http.timeout_ms, 100, 3'600'000);
    if (!out.http.listen.empty()) {
      const std::string err = parse_listen(out.http.listen, true, out.http.address);
      if (!err.empty()) diags.error("value", "'listen': " + err, r.loc_of(*h, "listen"));
      if (out.http.address.kind != ListenAddress::Kind::tcp) {
        diags.error("value", "'listen': the HTTP server takes HOST:PORT", r.loc_of(*h, "listen"));
      }
    }
    if (out.http.feed.empty()) diags.error("value", "'feed' is empty", r.loc_of(*h, "feed"));
    for (const auto& fc : out.feeds) {
      if (fc.name == out.http.feed) {
        diags.error("value",
                    "the HTTP feed name " + qt(fc.name) +
                        " is also a [[feed]] name; set [http] "
                        "feed to another name",
                    r.loc_of(*h, "feed"));
      }
    }
  }
  if (const auto* t = r.table(root, "tension")) {
    r.keys(*t, {"half_life", "levels", "hysteresis", "floor"}, "[tension]");
    r.duration(*t, "half_life", out.engine.tension.half_life, false);
    if (const auto* lv = r.table(*t, "levels")) {
      out.engine.tension.levels.clear();
      for (auto&& [k, v] : *lv) {
        if (v.is_integer() || v.is_floating_point()) {
          out.engine.tension.levels[std::string(k.str())] =
              v.is_integer() ? static_cast<double>(v.as_integer()->get())
                             : v.as_floating_point()->get();
        } else {
          diags.error("type", "a tension level must be a number", r.loc(v.source()));
        }
      }
    }
    if (const auto* hy = t->get("hysteresis")) {
      if (const auto* fl = hy->as_floating_point();
          fl != nullptr && fl->get() >= 0 && fl->get() < 1) {
        out.engine.tension.hysteresis = fl->get();
      } else {
        diags.error("type", "'hysteresis' must be a number in [0, 1)", r.loc(hy->source()));
      }
    }
    if (const auto* fl = t->get("floor")) {
      if (fl->is_integer()) {
        out.engine.tension.floor = static_cast<double>(fl->as_integer()->get());
      } else if (const auto* f = fl->as_floating_point(); f != nullptr && !std::isnan(f->get())) {
        out.engine.tension.floor = f->get();
      } else {
        diags.error("type", "'floor' must be a number (-inf lets scores go negative)",
                    r.loc(fl->source()));
      }
    }
  }
  if (const auto* e = r.table(root, "engine")) {
    r.keys(*e, {"max_depth", "max_keys_per_rule", "dedup_capacity", "allowed_lateness"},
           "[engine]");
    r.integer(*e, "max_depth", out.engine.max_depth, 0, 255);
    r.integer(*e, "max_keys_per_rule", out.engine.max_keys_per_rule, 1,
              std::numeric_limits<std::int64_t>::max());
    r.integer(*e, "dedup_capacity", out.engine.dedup_capacity, 0,
              std::numeric_limits<std::int64_t>::max());
    r.duration(*e, "allowed_lateness", out.engine.allowed_lateness, true);
  }
  return !diags.has_errors();
}

}  // namespace flashpoint::cmd
