// `flashpoint alerts --db FILE [filters] [--format table|json|csv]`.
#include <chrono>
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/format.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::cmd {

int run_alerts(const AlertsOptions& o) {
  store::AlertFilter filter;
  if (!o.since.empty()) {
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto since = parse_since(o.since, now);
    if (!since) {
      std::fprintf(stderr, "flashpoint alerts: --since takes a duration (30d) or a time (2024-01-01)\n");
      return kExitUsage;
    }
    filter.since = since;
  }
  if (!o.severity.empty()) {
    auto sev = parse_severity(o.severity);
    if (!sev) {
      std::fprintf(stderr, "flashpoint alerts: --severity is one of info, low, medium, high, critical\n");
      return kExitUsage;
    }
    filter.min_severity = sev;
  }
  if (!o.status.empty() && o.status != "open" && o.status != "acked" && o.status != "resolved") {
    std::fprintf(stderr, "flashpoint alerts: --status is one of open, acked, resolved\n");
    return kExitUsage;
  }
  filter.rule_glob = o.rule;
  filter.status = o.status;
  filter.limit = o.limit;
  auto db = store::Database::open(o.db, store::OpenMode::read_only);
  if (!db.ok()) {
    std::fprintf(stderr, "flashpoint alerts: %s: %s\n", o.db.c_str(), db.status().to_string().c_str());
    return kExitUsage;
  }
  auto rows = store::query_alerts(*db, filter);
  if (!rows.ok()) {
    std::fprintf(stderr, "flashpoint alerts: %s\n", rows.status().to_string().c_str());
    return kExitUsage;
  }
  std::string out;
  if (o.format == "json") {
    out = store::format_alerts_json(*rows);
  } else if (o.format == "csv") {
    out = store::format_alerts_csv(*rows);
  } else {
    out = store::format_alerts_table(*rows);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!out.empty() && out.back() != '\n') std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace flashpoint::cmd
