// A folder-feed workload shared by the crash and fault tests: three rules
// (stateless, threshold, sequence), files of generated events with a bad
// line every 97, what a committed offset covers, and the query that lists
// the alerts for comparison with a replay.
#pragma once

#include <cstdio>
#include <string>

#include "integration/daemon/harness.hpp"

namespace fptest::folder_ingest {

inline const char* const kRules = R"(
[[rule]]
id = "E"
title = "exercise"
when = 'kind == "exercise"'

[[rule]]
id = "T"
title = "three deployments in a region"
when = 'kind == "deployment"'
[rule.threshold]
within = "30d"
by = ["region"]
count = 3

[[rule]]
id = "Q"
title = "deployment then statement"
key = ["region"]
[[rule.steps]]
as = "first"
when = 'kind == "deployment"'
[[rule.steps]]
as = "second"
when = 'kind == "statement" and region == first.region'
within = "2d"
)";

// 2024-03-01T00:00:00Z plus `sec` seconds (within March).
inline std::string iso(long sec) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "2024-03-%02ldT%02ld:%02ld:%02ldZ", 1 + sec / 86400,
                sec / 3600 % 24, sec / 60 % 60, sec % 60);
  return buf;
}

// A file of `n` lines for a folder feed; every 97th line is bad.
inline std::string make_file(int index, int n) {
  static const char* kinds[] = {"exercise", "deployment", "statement", "summit"};
  static const char* regions[] = {"taiwan_strait", "yellow_sea", "baltic_sea", "arctic",
                                  "south_china_sea"};
  std::string text;
  for (int i = 0; i < n; ++i) {
    const long k = static_cast<long>(index) * n + i;
    if (k % 97 == 50) {
      text += "{\"id\": \"broken-" + std::to_string(k) + "\", \"time\": \n";
      continue;
    }
    text += event("f" + std::to_string(k), kinds[(k * 7) % 4], regions[(k / 3) % 5], iso(k * 20));
  }
  return text;
}

struct Prefix {
  long long exercises = 0;
  long long bad = 0;
};

// What the first `offset` bytes of a file hold.
inline Prefix count_prefix(const std::string& text, long long offset) {
  Prefix p;
  std::size_t pos = 0;
  while (pos < text.size() && static_cast<long long>(pos) < offset) {
    const auto end = text.find('\n', pos);
    const std::string line = text.substr(pos, end - pos);
    REQUIRE(static_cast<long long>(end + 1) <= offset);  // offsets fall on line ends
    if (line.find("broken-") != std::string::npos) {
      ++p.bad;
    } else if (line.find("\"kind\":\"exercise\"") != std::string::npos) {
      ++p.exercises;
    }
    pos = end + 1;
  }
  return p;
}

inline const char* const kAlertsQuery =
    "SELECT a.rule_id || '|' || a.key || '|' || a.event_time || '|' || "
    "(SELECT group_concat(event_id, ',') FROM (SELECT event_id FROM alert_evidence e "
    "WHERE e.alert_id = a.id ORDER BY seq)) FROM alerts a "
    "WHERE a.rule_id IN ('E', 'T', 'Q') ORDER BY a.id";

}  // namespace fptest::folder_ingest
