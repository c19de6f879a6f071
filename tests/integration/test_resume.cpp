// Replaying January then February in two runs gives the alerts of one run
// over both: engine state is saved in the database and resumed.
#include <catch2/catch.hpp>

#include "integration/process.hpp"

using fptest::flashpoint;
using fptest::TempDir;
using fptest::write_file;

namespace {

const char* kRules = R"(
[[rule]]
id = "T1"
title = "three exercises in a region"
when = 'kind == "exercise"'
throttle = "30d"
[rule.threshold]
within = "30d"
by = ["region"]
count = 3

[[rule]]
id = "P1"
title = "transfer then statement"
[[rule.steps]]
as = "first"
when = 'kind == "arms_transfer" and direct and supplier == "USA"'
[[rule.steps]]
as = "second"
when = 'kind == "statement" and actors any_in ["RUS", "CHN"]'
within = "14d"

[[rule]]
id = "A1"
title = "talks without agreement"
[rule.absence]
after = { as = "talks", when = 'kind == "summit" and actors contains "CHN"' }
expect = 'kind == "agreement" and actors contains "CHN"'
within = "20d"

[[rule]]
id = "X1"
title = "tension"
when = 'kind == "exercise" and region == "taiwan_strait"'
[rule.tension]
pair = ["CHN", "USA"]
weight = 4
)";

const char* kJanuary =
    R"({"id":"1","time":"2024-01-20T00:00:00Z","kind":"exercise","region":"taiwan_strait"}
{"id":"2","time":"2024-01-25T00:00:00Z","kind":"exercise","region":"taiwan_strait"}
{"id":"3","time":"2024-01-28T00:00:00Z","kind":"arms_transfer","supplier":"USA","direct":true}
{"id":"4","time":"2024-01-30T00:00:00Z","kind":"summit","actors":["CHN","USA"]}
)";

const char* kFebruary =
    R"({"id":"5","time":"2024-02-02T00:00:00Z","kind":"exercise","region":"taiwan_strait"}
{"id":"6","time":"2024-02-05T00:00:00Z","kind":"statement","actors":["CHN"]}
{"id":"7","time":"2024-02-25T00:00:00Z","kind":"statement","actors":["RUS"]}
)";

std::string alert_lines(const TempDir& d, const std::string& db) {
  auto r = flashpoint("alerts --db " + db + " --format csv", d);
  REQUIRE(r.code == 0);
  // Keep event_time, rule, key and evidence: the rest holds wall-clock times.
  std::string out;
  std::size_t pos = r.out.find('\n') + 1;
  while (pos < r.out.size()) {
    const auto end = r.out.find('\n', pos);
    std::vector<std::string> f(1);
    for (char c : r.out.substr(pos, end - pos)) {
      if (c == ',') {
        f.emplace_back();
      } else {
        f.back() += c;
      }
    }
    REQUIRE(f.size() >= 13);
    out += f[4] + "," + f[1] + "," + f[7] + "," + f[12] + "\n";
    pos = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("two replays into one database equal one replay over both", "[integration][resume]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  write_file(d / "jan.jsonl", kJanuary);
  write_file(d / "feb.jsonl", kFebruary);
  REQUIRE(flashpoint("replay -q --rules r.toml --db split.db jan.jsonl", d).code == 0);
  auto second = flashpoint("replay --rules r.toml --db split.db feb.jsonl", d);
  REQUIRE(second.code == 0);
  CHECK(second.err.find("resuming") != std::string::npos);
  REQUIRE(flashpoint("replay -q --rules r.toml --db whole.db jan.jsonl feb.jsonl", d).code == 0);
  const auto split = alert_lines(d, "split.db");
  const auto whole = alert_lines(d, "whole.db");
  CHECK(split == whole);
  // T1 (1,2,5), P1 (3,6), A1 (4 unanswered), tension/elevated (3 x 4.0 > 10).
  CHECK(split.find("T1,") != std::string::npos);
  CHECK(split.find("P1,") != std::string::npos);
  CHECK(split.find("A1,") != std::string::npos);
  CHECK(split.find("tension/elevated,") != std::string::npos);
  // Replaying January again adds nothing: its events are duplicates.
  auto again = flashpoint("replay --rules r.toml --db split.db jan.jsonl", d);
  CHECK(again.err.find("4 duplicates") != std::string::npos);
  CHECK(alert_lines(d, "split.db") == split);
}

TEST_CASE("a changed rule starts fresh on resume, --fresh ignores saved state",
          "[integration][resume]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  write_file(d / "jan.jsonl", kJanuary);
  write_file(d / "feb.jsonl", kFebruary);
  REQUIRE(flashpoint("replay -q --rules r.toml --db a.db jan.jsonl", d).code == 0);
  std::string changed = kRules;
  changed.replace(changed.find("count = 3"), 9, "count = 4");
  write_file(d / "r.toml", changed);
  REQUIRE(flashpoint("replay -q --rules r.toml --db a.db feb.jsonl", d).code == 0);
  const auto lines = alert_lines(d, "a.db");
  CHECK(lines.find("T1,") == std::string::npos);  // the window of 1,2 was dropped
  CHECK(lines.find("P1,") != std::string::npos);  // P1 unchanged: its partial match was kept
  write_file(d / "r.toml", kRules);
  REQUIRE(flashpoint("replay -q --fresh --rules r.toml --db b.db jan.jsonl", d).code == 0);
  REQUIRE(flashpoint("replay -q --fresh --rules r.toml --db b.db feb.jsonl", d).code == 0);
  CHECK(alert_lines(d, "b.db").find("P1,") == std::string::npos);
}
