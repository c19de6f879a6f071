// `flashpoint rules list [--format table|md|json] [PATH...]`: the rule
// catalogue: id, claims, severity, kind of rule and title.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "common.hpp"

namespace flashpoint::cmd {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string json_str(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string kind_of(const RuleInfo& r) {
  std::string k(to_string(r.type));
  if (r.has_tension) k += "+tension";
  return k;
}

std::string md_cell(std::string s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

int run_rules_list(const std::vector<std::string>& paths, const std::string& format) {
  auto rules = load_rules(paths.empty() ? std::vector<std::string>{"rules"} : paths);
  if (!rules) return kExitFinding;
  std::string out;
  if (format == "json") {
    out += "[\n";
    bool first = true;
    for (const auto& r : rules->rules()) {
      if (!first) out += ",\n";
      first = false;
      out += "{\"id\":" + json_str(r.id) + ",\"title\":" + json_str(r.title) +
             ",\"severity\":" + json_str(to_string(r.severity)) +
             ",\"kind\":" + json_str(kind_of(r)) + ",\"claims\":[";
      for (std::size_t i = 0; i < r.claims.size(); ++i)
        out += (i ? "," : "") + json_str(r.claims[i]);
      out += "],\"tags\":[";
      for (std::size_t i = 0; i < r.tags.size(); ++i) out += (i ? "," : "") + json_str(r.tags[i]);
      out += "],\"enabled\":" + std::string(r.enabled ? "true" : "false") +
             ",\"file\":" + json_str(r.loc.file) + ",\"line\":" + std::to_string(r.loc.line) +
             ",\"hash\":" + json_str(r.hash) + "}";
    }
    out += "\n]\n";
  } else if (format == "md") {
    out += "| id | claims | severity | kind | title |\n|---|---|---|---|---|\n";
    for (const auto& r : rules->rules()) {
      out += "| `" + r.id + "` | " + join(r.claims, ", ") + " | " +
             std::string(to_string(r.severity)) + " | " + kind_of(r) + " | " + md_cell(r.title) +
             " |\n";
    }
  } else {
    std::size_t w = 4;
    for (const auto& r : rules->rules()) w = std::max(w, r.id.size());
    char line[512];
    std::snprintf(line, sizeof line, "%-*s  %-12s %-9s %-18s %s\n", static_cast<int>(w), "ID",
                  "CLAIMS", "SEVERITY", "KIND", "TITLE");
    out += line;
    for (const auto& r : rules->rules()) {
      std::snprintf(line, sizeof line, "%-*s  %-12s %-9s %-18s %s\n", static_cast<int>(w),
                    r.id.c_str(), join(r.claims, ",").c_str(),
                    std::string(to_string(r.severity)).c_str(), kind_of(r).c_str(),
                    r.title.c_str());
      out += line;
    }
    out += std::to_string(rules->rules().size()) + " rules\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace flashpoint::cmd
