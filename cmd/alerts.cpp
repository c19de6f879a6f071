// `flashpoint alerts` and `flashpoint export`: alerts matching filters, as a
// table, CSV, JSON or NDJSON.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "commands.hpp"
#include "common.hpp"
#include "flashpoint/store/alert_writer.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/format.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::cmd {
namespace {

// The store filter of the options; prints the problem and returns nullopt
// on a bad value.
std::optional<store::AlertFilter> make_filter(const AlertsOptions& o, const char* command) {
  store::AlertFilter filter;
  const TimeUs now = store::system_clock_now();
  const std::pair<const char*, const std::string*> fields[] = {
      {"since", &o.since}, {"severity", &o.severity}, {"status", &o.status}, {"rule", &o.rule},
      {"claim", &o.claim}, {"tag", &o.tag},           {"actor", &o.actor},   {"region", &o.region}};
  for (const auto& [key, value] : fields) {
    if (value->empty()) continue;
    if (const auto err = set_alert_filter(filter, key, *value, now); err && !err->empty()) {
      std::fprintf(stderr, "flashpoint %s: --%s\n", command, err->c_str());
      return std::nullopt;
    }
  }
  if (!o.between.empty()) {
    auto from = o.between.size() == 2 ? parse_since(o.between[0], now) : std::nullopt;
    auto to = o.between.size() == 2 ? parse_since(o.between[1], now) : std::nullopt;
    if (!from || !to) {
      std::fprintf(
          stderr, "flashpoint %s: --between takes two times or durations (2024-01-01 2024-03-31)\n",
          command);
      return std::nullopt;
    }
    // A bare date as the end means the end of that day.
    if (o.between[1].size() == 10) *to += kDay;
    filter.since = filter.since ? std::max(*filter.since, *from) : *from;
    filter.until = to;
  }
  filter.limit = o.limit;
  return filter;
}

// The matching alerts, or nullopt after printing the error.
std::optional<std::vector<store::AlertRow>> find(const AlertsOptions& o, const char* command) {
  auto filter = make_filter(o, command);
  if (!filter) return std::nullopt;
  auto db = store::Database::open(o.db, store::OpenMode::read_only);
  if (!db.ok()) {
    std::fprintf(stderr, "flashpoint %s: %s: %s\n", command, o.db.c_str(),
                 db.status().to_string().c_str());
    return std::nullopt;
  }
  auto rows = store::query_alerts(*db, *filter);
  if (!rows.ok()) {
    std::fprintf(stderr, "flashpoint %s: %s\n", command, rows.status().to_string().c_str());
    return std::nullopt;
  }
  return std::move(rows).value();
}

}  // namespace

int run_alerts(const AlertsOptions& o) {
  auto rows = find(o, "alerts");
  if (!rows) return kExitUsage;
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

int run_export(const AlertsOptions& o) {
  auto rows = find(o, "export");
  if (!rows) return kExitUsage;
  std::string out;
  if (o.format == "json") {
    out = store::format_alerts_json(*rows);
  } else if (o.format == "ndjson") {
    out = store::format_alerts_ndjson(*rows);
  } else {
    out = store::format_alerts_csv(*rows);
  }
  if (o.output.empty() || o.output == "-") {
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
  }
  // Written beside the target and renamed in: a reader never sees half a file.
  const std::string tmp = o.output + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file.write(out.data(), static_cast<std::streamsize>(out.size()));
    file.close();
    if (!file) {
      std::fprintf(stderr, "flashpoint export: cannot write %s: %s\n", tmp.c_str(),
                   std::strerror(errno));
      std::remove(tmp.c_str());
      return kExitUsage;
    }
  }
  if (std::rename(tmp.c_str(), o.output.c_str()) != 0) {
    std::fprintf(stderr, "flashpoint export: cannot write %s: %s\n", o.output.c_str(),
                 std::strerror(errno));
    std::remove(tmp.c_str());
    return kExitUsage;
  }
  std::fprintf(stderr, "export: %zu alerts written to %s\n", rows->size(), o.output.c_str());
  return kExitOk;
}

}  // namespace flashpoint::cmd
