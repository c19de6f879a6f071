// `flashpoint test PATH...`: rule tests in the manner of `promtool test
// rules`. A test file names rule files, gives events per case (inline or an
// events file) and the alerts expected; see docs/rules.md "Rule tests".
#include <toml++/toml.h>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/engine.hpp"

namespace flashpoint::cmd {
namespace {

namespace fs = std::filesystem;

struct Fired {
  std::string rule;
  Severity severity;
  TimeUs at;
  std::string key;
  std::string message;
  std::vector<std::string> evidence;
};

class Collect final : public AlertSink {
 public:
  void on_alert(const Alert& a, std::span<const Event* const> ev) override {
    Fired f{a.rule_id, a.severity, a.event_time, a.key, a.message, {}};
    for (const auto* e : ev) f.evidence.emplace_back(e->str(StrField::id));
    fired.push_back(std::move(f));
  }
  std::vector<Fired> fired;
};

class EventSink final : public adapters::DecodeSink {
 public:
  void on_event(const Event& e, const adapters::Position&) override { events.push_back(e); }
  void on_dead_letter(const adapters::DeadLetter& dl) override {
    errors.push_back("line " + std::to_string(dl.pos.line) + ": " + std::string(dl.reason));
  }
  std::vector<Event> events;
  std::vector<std::string> errors;
};

std::string loc(const std::string& file, const toml::node& n) {
  return file + ":" + std::to_string(n.source().begin.line);
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return "[" + s + "]";
}

struct FileResult {
  int passed = 0;
  int failed = 0;
};

FileResult run_file(const std::string& file, bool verbose, bool from_folder) {
  FileResult res;
  toml::table root;
  try {
    root = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    std::printf("FAIL %s:%u:%u: %s\n", file.c_str(), e.source().begin.line, e.source().begin.column,
                std::string(e.description()).c_str());
    ++res.failed;
    return res;
  }
  // Rule files found while walking a folder of tests are not tests.
  if (from_folder && !root.contains("case") &&
      (root.contains("rule") || root.contains("lists") || root.contains("macros"))) {
    return res;
  }
  const fs::path base = fs::path(file).parent_path();
  std::vector<std::string> rule_paths;
  if (const auto* r = root.get("rules"); r != nullptr && r->is_array()) {
    for (const auto& p : *r->as_array()) {
      if (const auto* s = p.as_string())
        rule_paths.push_back((base / s->get()).lexically_normal().string());
    }
  }
  if (rule_paths.empty()) {
    std::printf("FAIL %s: no 'rules = [...]' to test\n", file.c_str());
    ++res.failed;
    return res;
  }
  Diagnostics diags;
  auto rules = RuleSet::load(rule_paths, diags);
  if (!rules) {
    print_diagnostics(diags);
    std::printf("FAIL %s: the rules do not load\n", file.c_str());
    ++res.failed;
    return res;
  }
  const auto* cases = root.get("case");
  if (cases == nullptr || !cases->is_array_of_tables()) {
    std::printf("FAIL %s: no [[case]] tables\n", file.c_str());
    ++res.failed;
    return res;
  }
  for (const auto& c : *cases->as_array()) {
    const auto& t = *c.as_table();
    const std::string name = t["name"].value_or<std::string>(loc(file, t));
    std::vector<std::string> problems;
    // Events: inline tables rendered as JSON, or a JSON Lines file.
    EventSink events;
    adapters::DecoderOptions dopt;
    dopt.feed = "test";
    auto dec = adapters::make_decoder("jsonl", dopt);
    if (const auto* evs = t.get("events"); evs != nullptr && evs->is_array()) {
      for (const auto& e : *evs->as_array()) {
        if (!e.is_table()) {
          problems.push_back(loc(file, e) + ": an event must be an inline table");
          continue;
        }
        std::ostringstream js;
        js << toml::json_formatter{*e.as_table(), toml::format_flags::none};
        std::string line = js.str();
        line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
        dec->feed(line + "\n", events);
      }
    }
    if (const auto* ef = t.get("events_file"); ef != nullptr && ef->is_string()) {
      std::ifstream in(base / ef->as_string()->get(), std::ios::binary);
      if (!in) problems.push_back("cannot read events_file " + ef->as_string()->get());
      std::ostringstream ss;
      ss << in.rdbuf();
      dec->feed(ss.str(), events);
    }
    dec->finish(events);
    for (const auto& e : events.errors) problems.push_back("bad event: " + e);
    Collect sink;
    Engine engine(rules, EngineOptions{});
    for (const auto& e : events.events) engine.process(e, sink);

    std::set<std::string> expected_rules;
    if (const auto* ex = t.get("expect"); ex != nullptr && ex->is_array_of_tables()) {
      for (const auto& x : *ex->as_array()) {
        const auto& xt = *x.as_table();
        const std::string rule = xt["rule"].value_or<std::string>("");
        expected_rules.insert(rule);
        std::vector<const Fired*> got;
        for (const auto& f : sink.fired) {
          if (f.rule == rule) got.push_back(&f);
        }
        const auto count = xt["count"].value<std::int64_t>();
        if (count ? static_cast<std::int64_t>(got.size()) != *count : got.empty()) {
          problems.push_back("rule " + rule + ": expected " +
                             (count ? std::to_string(*count) : std::string("at least 1")) +
                             " alert(s), got " + std::to_string(got.size()));
        }
        if (auto sev = xt["severity"].value<std::string>()) {
          for (const auto* f : got) {
            if (to_string(f->severity) != *sev) {
              problems.push_back("rule " + rule + ": expected severity " + *sev + ", got " +
                                 std::string(to_string(f->severity)));
              break;
            }
          }
        }
        if (const auto* ev = xt.get("evidence"); ev != nullptr && ev->is_array()) {
          std::vector<std::string> want;
          for (const auto& e : *ev->as_array()) want.push_back(e.value_or<std::string>(""));
          const bool any = std::any_of(got.begin(), got.end(),
                                       [&](const Fired* f) { return f->evidence == want; });
          if (!any) {
            std::string seen;
            for (const auto* f : got) seen += " " + join(f->evidence);
            problems.push_back("rule " + rule + ": no alert with evidence " + join(want) +
                               (seen.empty() ? "" : "; got" + seen));
          }
        }
        if (auto at = xt["at"].value<std::string>()) {
          auto when = parse_time(*at);
          const bool any = when && std::any_of(got.begin(), got.end(),
                                               [&](const Fired* f) { return f->at == *when; });
          if (!any) {
            std::string seen;
            for (const auto* f : got) seen += " " + format_time(f->at);
            problems.push_back("rule " + rule + ": no alert at " + *at +
                               (seen.empty() ? "" : "; got" + seen));
          }
        }
        if (auto key = xt["key"].value<std::string>()) {
          const bool any =
              std::any_of(got.begin(), got.end(), [&](const Fired* f) { return f->key == *key; });
          if (!any) problems.push_back("rule " + rule + ": no alert with key '" + *key + "'");
        }
      }
    }
    // `only = true`: no rule fires that the case does not expect.
    if (t["only"].value_or(false)) {
      for (const auto& f : sink.fired) {
        if (expected_rules.count(f.rule) == 0) {
          problems.push_back("unexpected alert from rule " + f.rule + " at " + format_time(f.at));
        }
      }
    }
    if (problems.empty()) {
      ++res.passed;
      if (verbose) std::printf("ok   %s: %s\n", file.c_str(), name.c_str());
    } else {
      ++res.failed;
      std::printf("FAIL %s: %s\n", file.c_str(), name.c_str());
      for (const auto& p : problems) std::printf("       %s\n", p.c_str());
      std::printf("       fired:");
      if (sink.fired.empty()) std::printf(" nothing");
      std::printf("\n");
      for (const auto& f : sink.fired) {
        std::printf("         %s %s at %s evidence %s\n", f.rule.c_str(),
                    std::string(to_string(f.severity)).c_str(), format_time(f.at).c_str(),
                    join(f.evidence).c_str());
      }
    }
  }
  return res;
}

}  // namespace

int run_test(const std::vector<std::string>& paths, bool verbose) {
  std::vector<std::pair<std::string, bool>> files;  // path, found in a folder
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file() && e.path().extension() == ".toml")
          found.push_back(e.path().string());
      }
      std::sort(found.begin(), found.end());
      for (auto& f : found) files.emplace_back(std::move(f), true);
    } else if (fs::exists(p, ec)) {
      files.emplace_back(p, false);
    } else {
      std::fprintf(stderr, "flashpoint test: %s: no such file or folder\n", p.c_str());
      return kExitUsage;
    }
  }
  int passed = 0;
  int failed = 0;
  for (const auto& [f, in_folder] : files) {
    auto r = run_file(f, verbose, in_folder);
    passed += r.passed;
    failed += r.failed;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? kExitOk : kExitFinding;
}

}  // namespace flashpoint::cmd
