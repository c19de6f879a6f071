// End-to-end tests of the real binary: check, replay, alerts, test.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "integration/process.hpp"

using fptest::flashpoint;
using fptest::TempDir;
using fptest::write_file;

namespace {

const char* kRules = R"(
[lists]
european_nato = ["GBR", "FRA", "DEU", "ITA", "NLD", { value = "FIN", from = "2023-04-04" }]
china_periphery = ["taiwan_strait", "east_china_sea", "south_china_sea"]

[macros]
euro_near_china = '''
  kind in ["exercise", "deployment"]
  and actors any_in european_nato
  and region in china_periphery
'''

[[rule]]
id = "nato-asia/euro-presence"
title = "European military activity near China"
when = "euro_near_china"
severity = "low"
message = "{actors} {kind} in {region}"
claims = ["C6"]
tags = ["china"]

[[rule]]
id = "korea/direct-arms"
title = "South Korean arms straight to Ukraine"
when = 'kind == "arms_transfer" and supplier == "KOR" and recipient == "UKR" and direct'
severity = "critical"
claims = ["C8"]
)";

const char* kEvents =
    R"({"id":"e1","time":"2024-07-10T00:00:00Z","kind":"exercise","actors":["GBR","JPN"],"region":"south_china_sea"}
{"id":"e2","time":"2024-07-11T00:00:00Z","kind":"arms_transfer","supplier":"KOR","recipient":"UKR","direct":true}
this is not json
{"id":"e3","time":"2024-07-12T00:00:00Z"}
{"id":"e1","time":"2024-07-10T00:00:00Z","kind":"exercise","actors":["GBR","JPN"],"region":"south_china_sea"}
{"id":"e4","time":"2024-07-13T00:00:00Z","kind":"arms_transfer","supplier":"KOR","recipient":"UKR","direct":false}
{"id":"e5","time":"2024-07-14T00:00:00+09:00","kind":"deployment","actors":["FRA"],"region":"taiwan_strait"}
)";

long long count_rows(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const long long n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

// Every row of `sql`, one line each, columns separated by '|'.
std::string dump(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      const auto* text = sqlite3_column_text(st, c);
      if (c > 0) out += '|';
      if (text != nullptr) out += reinterpret_cast<const char*>(text);
    }
    out += '\n';
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

}  // namespace

TEST_CASE("check: a clean rule file exits 0", "[integration][cli]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  auto r = flashpoint("check r.toml", d);
  CHECK(r.code == 0);
  CHECK(r.out.find("ok: 2 rules") != std::string::npos);
}

TEST_CASE("check: a typo gives file:line:col, the near miss, and exit 1", "[integration][cli]") {
  TempDir d;
  write_file(d / "rules/korea.toml", std::string(kRules) + R"(
[[rule]]
id = "korea/typo"
title = "typo"
when = 'kind == "exercise" and regoin == "korean_peninsula"'
)");
  auto r = flashpoint("check rules", d);
  CHECK(r.code == 1);
  CHECK(r.err.find(
            "rules/korea.toml:32:32: error: unknown field 'regoin' (did you mean 'region'?)") !=
        std::string::npos);
  CHECK(r.err.find("^") != std::string::npos);
}

TEST_CASE("replay: bad lines become dead letters and nothing else is lost", "[integration][cli]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  write_file(d / "events.jsonl", kEvents);
  auto r = flashpoint("replay --rules r.toml --db out.db events.jsonl", d);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("5 events read") != std::string::npos);
  CHECK(r.err.find("2 dead letters") != std::string::npos);
  CHECK(r.err.find("1 duplicates") != std::string::npos);
  CHECK(r.err.find("3 alerts") != std::string::npos);
  CHECK(count_rows(d / "out.db", "SELECT count(*) FROM alerts") == 3);
  CHECK(count_rows(d / "out.db", "SELECT count(*) FROM dead_letters") == 2);
  CHECK(count_rows(d / "out.db",
                   "SELECT count(*) FROM dead_letters WHERE line = 3 AND feed = 'events.jsonl'") ==
        1);
  CHECK(count_rows(
            d / "out.db",
            "SELECT count(*) FROM dead_letters WHERE line = 4 AND reason LIKE '%''kind''%'") == 1);
  CHECK(count_rows(d / "out.db", "SELECT count(*) FROM events") == 3);
  CHECK(count_rows(d / "out.db", "PRAGMA user_version") >= 1);
}

TEST_CASE("replay --decode-thread gives the alerts and dead letters of a plain replay",
          "[integration][cli][threads]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  // Two inputs of many batches each, with bad lines and duplicates among
  // the events, so dead letters must keep their place between events.
  for (int f = 0; f < 2; ++f) {
    std::string text;
    for (int i = 0; i < 1500; ++i) {
      const std::string id = "f" + std::to_string(f) + "e" + std::to_string(i % 1400);
      const std::string day = std::to_string(10 + (i % 18));
      if (i % 97 == 5) {
        text += "not json " + std::to_string(i) + "\n";
      } else if (i % 3 == 0) {
        text += R"({"id":")" + id + R"(","time":"2024-07-)" + day +
                R"(T00:00:00Z","kind":"exercise","actors":["GBR"],"region":"south_china_sea"})" +
                "\n";
      } else {
        text +=
            R"({"id":")" + id + R"(","time":"2024-07-)" + day +
            R"(T00:00:00Z","kind":"arms_transfer","supplier":"KOR","recipient":"UKR","direct":true})" +
            "\n";
      }
    }
    write_file(d / ("in" + std::to_string(f) + ".jsonl"), text);
  }
  auto plain = flashpoint("replay --rules r.toml --db plain.db in0.jsonl in1.jsonl", d);
  REQUIRE(plain.code == 0);
  auto threaded =
      flashpoint("replay --decode-thread --rules r.toml --db threaded.db in0.jsonl in1.jsonl", d);
  REQUIRE(threaded.code == 0);
  // The same dead-letter lines and summary counts (the timing aside).
  auto counts = [](const std::string& err) { return err.substr(0, err.rfind(" alerts in ")); };
  CHECK(counts(threaded.err) == counts(plain.err));
  CHECK(plain.err.find("32 dead letters, 196 duplicates") != std::string::npos);
  const char* queries[] = {
      "SELECT id, rule_id, event_time_us, message FROM alerts ORDER BY id",
      "SELECT alert_id, seq, source, event_id FROM alert_evidence ORDER BY alert_id, seq",
      "SELECT id, feed, line, byte_offset, reason, raw FROM dead_letters ORDER BY id"};
  for (const char* q : queries) {
    INFO(q);
    const std::string a = dump(d / "plain.db", q);
    CHECK(a.size() > 100);
    CHECK(dump(d / "threaded.db", q) == a);
  }
  // A missing input is the same usage error either way.
  auto missing = flashpoint("replay --decode-thread --rules r.toml --db m.db in0.jsonl nope", d);
  CHECK(missing.code == 2);
  CHECK(missing.err.find("nope") != std::string::npos);
}

TEST_CASE("alerts: json output carries the documented fields, evidence in order",
          "[integration][cli]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  write_file(d / "events.jsonl", kEvents);
  REQUIRE(flashpoint("replay -q --rules r.toml --db out.db events.jsonl", d).code == 0);
  auto r = flashpoint("alerts --db out.db --format json", d);
  REQUIRE(r.code == 0);
  for (const char* field :
       {"\"id\":", "\"rule\":", "\"severity\":", "\"title\":", "\"message\":", "\"key\":",
        "\"event_time\":", "\"fired_at\":", "\"status\":", "\"claims\":", "\"evidence\":"}) {
    CHECK(r.out.find(field) != std::string::npos);
  }
  CHECK(r.out.find(R"("rule":"korea/direct-arms","severity":"critical")") != std::string::npos);
  CHECK(r.out.find(R"("message":"GBR, JPN exercise in south_china_sea")") != std::string::npos);
  CHECK(r.out.find(R"("claims":["C6"])") != std::string::npos);
  CHECK(r.out.find(R"("evidence":["e2"])") != std::string::npos);
  // The offset event is stored in UTC.
  CHECK(r.out.find(R"("event_time":"2024-07-13T15:00:00Z")") != std::string::npos);
}

TEST_CASE("alerts: filters by severity, rule glob and format", "[integration][cli]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  write_file(d / "events.jsonl", kEvents);
  REQUIRE(flashpoint("replay -q --rules r.toml --db out.db events.jsonl", d).code == 0);
  auto high = flashpoint("alerts --db out.db --severity high --format csv", d);
  REQUIRE(high.code == 0);
  CHECK(high.out.find("korea/direct-arms") != std::string::npos);
  CHECK(high.out.find("nato-asia/euro-presence") == std::string::npos);
  auto glob = flashpoint("alerts --db out.db --rule 'nato-asia/*'", d);
  CHECK(glob.out.find("2 alerts") != std::string::npos);
  auto since = flashpoint("alerts --db out.db --since 2024-07-12 --format json", d);
  CHECK(since.out.find("e1") == std::string::npos);
  CHECK(since.out.find("e5") != std::string::npos);
  auto open = flashpoint("alerts --db out.db --status resolved", d);
  CHECK(open.out.find("0 alerts") != std::string::npos);
}

TEST_CASE("replay reads standard input with '-'", "[integration][cli]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  write_file(d / "events.jsonl", kEvents);
  auto r = flashpoint("replay --rules r.toml --db out.db -", d, d / "events.jsonl");
  REQUIRE(r.code == 0);
  CHECK(count_rows(d / "out.db", "SELECT count(*) FROM alerts") == 3);
  CHECK(count_rows(d / "out.db", "SELECT count(*) FROM dead_letters WHERE feed = 'stdin'") == 2);
}

TEST_CASE("usage and I/O errors exit 2, rule errors exit 1", "[integration][cli]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  CHECK(flashpoint("alerts --db missing.db", d).code == 2);
  CHECK(flashpoint("replay --rules r.toml --db out.db nothing.jsonl", d).code == 2);
  CHECK(flashpoint("alerts --db x.db --format yaml", d).code == 2);
  CHECK(flashpoint("frobnicate", d).code == 2);
  write_file(d / "bad.toml", "[[rule]]\nid = 1\n");
  write_file(d / "e.jsonl", "");
  CHECK(flashpoint("replay --rules bad.toml --db out.db e.jsonl", d).code == 1);
}

TEST_CASE("test: passing and failing rule tests, with the summary line", "[integration][cli]") {
  TempDir d;
  write_file(d / "rules/r.toml", kRules);
  write_file(d / "tests/t.toml", R"(
rules = ["../rules"]

[[case]]
name = "direct transfer is critical"
events = [
  { id = "1", time = "2024-06-01T00:00:00Z", kind = "arms_transfer", supplier = "KOR", recipient = "UKR", direct = true },
]
[[case.expect]]
rule = "korea/direct-arms"
count = 1
severity = "critical"
evidence = ["1"]
at = "2024-06-01T00:00:00Z"

[[case]]
name = "indirect transfer is not"
only = true
events = [
  { id = "1", time = "2024-06-01T00:00:00Z", kind = "arms_transfer", supplier = "KOR", recipient = "UKR", direct = false },
]
[[case.expect]]
rule = "korea/direct-arms"
count = 0

[[case]]
name = "pre-accession Finland is not NATO"
events = [
  { id = "1", time = "2023-01-01T00:00:00Z", kind = "exercise", actors = ["FIN"], region = "taiwan_strait" },
]
[[case.expect]]
rule = "nato-asia/euro-presence"
count = 0
)");
  auto ok = flashpoint("test tests", d);
  CHECK(ok.code == 0);
  CHECK(ok.out.find("3 passed, 0 failed\n") != std::string::npos);
  write_file(d / "tests/fail.toml", R"(
rules = ["../rules/r.toml"]
[[case]]
name = "wrong expectation"
events = [ { id = "1", time = "2024-06-01T00:00:00Z", kind = "exercise", actors = ["GBR"], region = "taiwan_strait" } ]
[[case.expect]]
rule = "nato-asia/euro-presence"
severity = "high"
)");
  auto bad = flashpoint("test tests", d);
  CHECK(bad.code == 1);
  CHECK(bad.out.find("FAIL") != std::string::npos);
  CHECK(bad.out.find("expected severity high, got low") != std::string::npos);
  CHECK(bad.out.find("3 passed, 1 failed\n") != std::string::npos);
}
