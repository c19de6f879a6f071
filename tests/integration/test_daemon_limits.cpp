// The daemon's input limits, each with a test that fails if the limit
// breaks: a line over [[feed]] max_line is a dead letter (feed, line, byte
// offset, reason) and the lines after it are processed, over TCP and in a
// folder file; a body over [http] max_body gets 413 and the server goes on;
// a rule pack of 10,000 rules loads and replays exactly.
#include <catch2/catch.hpp>

#include "integration/daemon/harness.hpp"

using namespace fptest;

namespace {

const char* kRules = R"(
[[rule]]
id = "E"
title = "exercise"
when = 'kind == "exercise"'
)";

// A valid exercise event padded (attrs.pad) to about `bytes` bytes.
std::string long_event(const std::string& id, std::size_t bytes) {
  std::string line = event(id, "exercise");
  line.pop_back();  // '}' and '\n'
  line.pop_back();
  line += R"(,"attrs":{"pad":")";
  while (line.size() + 4 < bytes) line += 'x';
  line += "\"}}\n";
  return line;
}

}  // namespace

TEST_CASE("a line over max_line is a dead letter and the next lines are processed",
          "[integration][daemon][limits]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const std::string inbox = dir / "inbox";
  const auto config = write_config(dir, R"(
[[feed]]
name = "wire"
listen = "tcp://127.0.0.1:0"
max_line = 1024
[[feed]]
name = "spool"
watch = ")" + inbox + R"("
max_line = 1024
poll_ms = 100
settle_ms = 200
[http]
listen = "127.0.0.1:0"
)");
  // Line 2 is too long (even split across reads), line 3 is just under the
  // limit, line 5 is too long again and is the last, without a line feed.
  const std::string l1 = event("a1", "exercise");
  const std::string l2 = long_event("a2", 5000);
  const std::string l3 = long_event("a3", 1024);  // 1023 bytes and its '\n'
  const std::string l4 = event("a4", "exercise");
  std::string l5 = long_event("a5", 3000);
  l5.pop_back();
  REQUIRE(l3.size() == 1024);
  const std::string data = l1 + l2 + l3 + l4 + l5;

  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int web = d.port("http");
  const int fd = connect_tcp(d.port("wire"));
  REQUIRE(fd >= 0);
  for (std::size_t pos = 0; pos < data.size(); pos += 700) {
    REQUIRE(send_all(fd, std::string_view(data).substr(pos, 700)));
  }
  ::close(fd);
  drop_file(inbox, "big.jsonl", data);

  auto done = [&](const std::string& feed) {
    return metric_of(web, "flashpoint_events_total{feed=\"" + feed + "\",") == 3 &&
           metric_of(web, "flashpoint_dead_letters_total{feed=\"" + feed + "\",") == 2;
  };
  REQUIRE(eventually([&] { return done("wire") && done("spool"); }));
  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);

  const std::string db = dir / "fp.db";
  for (const std::string feed : {"wire", "spool"}) {
    INFO(feed);
    const auto rows = sql_rows(db,
                               "SELECT line, byte_offset, reason, length(raw) FROM dead_letters "
                               "WHERE feed = '" +
                                   feed + "' ORDER BY line");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == "2|" + std::to_string(l1.size()) + "|line exceeds 1024 bytes|1024");
    CHECK(rows[1] == "5|" + std::to_string(l1.size() + l2.size() + l3.size() + l4.size()) +
                         "|line exceeds 1024 bytes|1024");
  }
  CHECK(sql_rows(db,
                 "SELECT group_concat(event_id, ',') FROM (SELECT event_id FROM alerts a "
                 "JOIN alert_evidence e ON e.alert_id = a.id ORDER BY event_id)") ==
        std::vector<std::string>{"a1,a1,a3,a3,a4,a4"});
}

TEST_CASE("a body over max_body gets 413 and the server goes on", "[integration][daemon][limits]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const auto config = write_config(dir, R"(
[http]
listen = "127.0.0.1:0"
max_body = 4096
)");
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int web = d.port("http");

  // Exactly max_body bytes: accepted.
  std::string exact;
  int n = 0;
  while (exact.size() + 200 < 4096) exact += event("x" + std::to_string(n++), "exercise");
  exact += long_event("x" + std::to_string(n++), 4096 - exact.size());
  REQUIRE(exact.size() == 4096);
  auto r = http(web, "POST", "/events", exact);
  CHECK(r.status == 200);
  CHECK(r.body.find("\"events\":" + std::to_string(n) + ",") != std::string::npos);

  // One byte more: 413 with the reason; nothing of it is processed.
  std::string over = event("over", "exercise");
  while (over.size() < 4097) over += event("o" + std::to_string(over.size()), "statement");
  r = http(web, "POST", "/events", over);
  CHECK(r.status == 413);
  CHECK(r.body.find("the body exceeds [http] max_body (4096 bytes)") != std::string::npos);
  r = http(web, "POST", "/events", std::string(1 << 20, 'x'));
  CHECK(r.status == 413);

  // The server goes on: the next requests are served.
  r = http(web, "POST", "/events", event("after", "exercise"));
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("events":1,"duplicates":0,"rejected":0)") != std::string::npos);
  CHECK(http(web, "GET", "/healthz").status == 200);
  CHECK(metric_of(web, "flashpoint_http_requests_total{code=\"413\"}") == 2);
  CHECK(metric_of(web, "flashpoint_events_total{feed=\"http\",") == n + 1);

  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
  const std::string db = dir / "fp.db";
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == n + 1);
  CHECK(sql_int(db, "SELECT count(*) FROM alert_evidence WHERE event_id = 'over'") == 0);
}

TEST_CASE("a pack of 10,000 rules loads and replays exactly", "[integration][limits]") {
  TempDir dir;
  constexpr int kRulesCount = 10000;
  constexpr int kFiles = 10;
  for (int f = 0; f < kFiles; ++f) {
    std::string text;
    for (int i = f * (kRulesCount / kFiles); i < (f + 1) * (kRulesCount / kFiles); ++i) {
      const std::string n = std::to_string(i);
      text += "[[rule]]\nid = \"gen/r" + n + "\"\ntitle = \"generated " + n +
              "\"\nwhen = 'kind == \"k" + n + "\" and region == \"taiwan_strait\"'\n";
      if (i % 10 == 0) {
        text += "[rule.threshold]\nwithin = \"1d\"\nby = [\"region\"]\ncount = 2\n";
      }
      text += "\n";
    }
    write_file(dir / ("rules/gen-" + std::to_string(f) + ".toml"), text);
  }
  auto r = flashpoint("check rules", dir);
  INFO(r.err);
  REQUIRE(r.code == 0);

  // Every rule's kind once (threshold rules twice), and events no rule
  // matches (another region, another kind).
  std::string events;
  for (int i = 0; i < kRulesCount; ++i) {
    const std::string n = std::to_string(i);
    events += event("e" + n, "k" + n);
    if (i % 10 == 0) events += event("f" + n, "k" + n);
    if (i % 100 == 0) events += event("g" + n, "k" + n, "yellow_sea");
  }
  for (int i = 0; i < 100; ++i) events += event("u" + std::to_string(i), "unmatched");
  write_file(dir / "events.jsonl", events);
  r = flashpoint("replay --quiet --rules rules --db fp.db events.jsonl", dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string db = dir / "fp.db";
  CHECK(sql_int(db, "SELECT count(*) FROM rules WHERE rule_id LIKE 'gen/%'") == kRulesCount);
  CHECK(sql_int(db, "SELECT count(*) FROM alerts") == kRulesCount);
  CHECK(sql_int(db, "SELECT count(DISTINCT rule_id) FROM alerts") == kRulesCount);
  // Each alert's last evidence event is its rule's own.
  CHECK(sql_int(db,
                "SELECT count(*) FROM alerts a JOIN alert_evidence e ON e.alert_id = a.id "
                "WHERE e.seq = (SELECT max(seq) FROM alert_evidence WHERE alert_id = a.id) "
                "AND a.rule_id = 'gen/r' || substr(e.event_id, 2)") == kRulesCount);
}
