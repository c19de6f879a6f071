// Shared helpers of the subcommands.
#include "common.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

namespace flashpoint::cmd {

void print_diagnostics(const Diagnostics& diags) {
  const auto text = render(diags);
  std::fputs(text.c_str(), stderr);
}

std::shared_ptr<const RuleSet> load_rules(const std::vector<std::string>& paths) {
  Diagnostics diags;
  auto rules = RuleSet::load(paths, diags);
  print_diagnostics(diags);
  return rules;
}

bool read_chunks(const std::string& path, std::size_t chunk_size,
                 const std::function<void(std::string_view)>& chunk, std::string& error) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  std::vector<char> buf(chunk_size);
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n > 0) chunk(std::string_view(buf.data(), n));
    if (n < buf.size()) break;
  }
  const bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed) {
    error = path + ": read error";
    return false;
  }
  return true;
}

std::string read_head(const std::string& path, std::size_t n) {
  if (path == "-") return "";
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

bool stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

std::optional<TimeUs> parse_since(const std::string& text, TimeUs now) {
  if (auto d = parse_duration(text)) return now - *d;
  return parse_time(text);
}

std::optional<std::string> set_alert_filter(store::AlertFilter& filter, std::string_view key,
                                            const std::string& value, TimeUs now) {
  if (key == "since" || key == "until") {
    auto t = parse_since(value, now);
    if (!t) return std::string(key) + " takes a duration (30d) or a time (2024-01-01)";
    (key == "since" ? filter.since : filter.until) = t;
  } else if (key == "severity") {
    auto sev = parse_severity(value);
    if (!sev) return "severity is one of info, low, medium, high, critical";
    filter.min_severity = sev;
  } else if (key == "status") {
    if (value != "open" && value != "acked" && value != "resolved") {
      return "status is one of open, acked, resolved";
    }
    filter.status = value;
  } else if (key == "rule") {
    filter.rule_glob = value;
  } else if (key == "claim") {
    filter.claim = value;
  } else if (key == "tag") {
    filter.tag = value;
  } else if (key == "actor") {
    filter.actor = value;
  } else if (key == "region") {
    filter.region = value;
  } else {
    return std::nullopt;
  }
  return "";
}

}  // namespace flashpoint::cmd
