// `flashpoint run` end to end: the real binary on loopback ports (picked by
// the system, read from its log) and temporary folders. Config errors, many
// TCP clients and a Unix socket, the HTTP API, reload on rule changes, and
// the SIGTERM drain.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <thread>

#include "integration/daemon/harness.hpp"

using namespace fptest;

namespace {

const char* kRules = R"(
[[rule]]
id = "E"
title = "exercise"
when = 'kind == "exercise"'
severity = "high"

[[rule]]
id = "T"
title = "three deployments in a region"
when = 'kind == "deployment"'
[rule.threshold]
within = "30d"
by = ["region"]
count = 3
)";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("run refuses a config with unknown keys or bad values", "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "bad.toml", R"([daemon]
databse = "x.db"
commit_ms = -5

[[feed]]
name = "a"
listen = "tcp://999.1.1.1:7400"

[[feed]]
name = "b"
adapter = "jsnl"
watch = "in"
)");
  auto r = flashpoint("run --config bad.toml", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("bad.toml:2:1: error: unknown [daemon] key 'databse' (did you mean "
                   "'database'?)") != std::string::npos);
  CHECK(r.err.find("bad.toml:3:13: error: 'commit_ms' must be an integer") != std::string::npos);
  CHECK(r.err.find("bad.toml:7:10: error: 'listen': host '999.1.1.1' is not an IP address") !=
        std::string::npos);
  CHECK(r.err.find("bad.toml:11:11: error: unknown adapter 'jsnl'") != std::string::npos);

  write_file(dir / "ok.toml", "[daemon]\nrules = [\"rules\"]\n");
  r = flashpoint("run --config ok.toml --log-level loud", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("--log-level") != std::string::npos);

  // Rules with errors: the daemon does not start either.
  write_file(dir / "rules/bad.toml", "[[rule]]\nid = \"x\"\ntitle = \"x\"\nwhen = 'kind =='\n");
  r = flashpoint("run --config ok.toml", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("rules/bad.toml:4:") != std::string::npos);
}

TEST_CASE("run takes JSON Lines from many TCP clients and a Unix socket", "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const std::string sock = dir / "fp.sock";
  const auto config = write_config(dir, R"(
[[feed]]
name = "wire"
listen = "tcp://127.0.0.1:0"
[[feed]]
name = "sock"
listen = "unix://)" + sock + R"("
[http]
listen = "127.0.0.1:0"
)");
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int wire = d.port("wire");
  const int web = d.port("http");
  REQUIRE(wire > 0);
  REQUIRE(web > 0);

  struct stat st {};
  REQUIRE(::stat(sock.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0660);

  constexpr int kClients = 16;
  constexpr int kPerClient = 500;
  std::vector<std::thread> clients;
  std::atomic<int> sent_ok{0};
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::string data;
      for (int i = 0; i < kPerClient; ++i) {
        data += event("c" + std::to_string(c) + "-" + std::to_string(i),
                      i % 2 == 0 ? "exercise" : "statement");
      }
      // Split writes, so lines cross read boundaries.
      const int fd = connect_tcp(wire);
      if (fd < 0) return;
      bool ok = true;
      for (std::size_t pos = 0; pos < data.size() && ok; pos += 777) {
        ok = send_all(fd, std::string_view(data).substr(pos, 777));
      }
      ::close(fd);
      if (ok) ++sent_ok;
    });
  }
  for (auto& t : clients) t.join();
  REQUIRE(sent_ok == kClients);

  std::string unix_data;
  for (int i = 0; i < 200; ++i) unix_data += event("u" + std::to_string(i), "exercise");
  unix_data += "not json\n";
  const int ufd = connect_unix(sock);
  REQUIRE(ufd >= 0);
  REQUIRE(send_all(ufd, unix_data));
  ::close(ufd);

  CHECK(eventually([&] {
    return metric_of(web, "flashpoint_events_total{feed=\"wire\",") == kClients * kPerClient &&
           metric_of(web, "flashpoint_events_total{feed=\"sock\",") == 200;
  }));
  CHECK(metric_of(web, "flashpoint_connections_total{feed=\"wire\",") == kClients);
  CHECK(metric_of(web, "flashpoint_dead_letters_total{feed=\"sock\",") == 1);

  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
  CHECK(!std::filesystem::exists(sock));
  const std::string db = dir / "fp.db";
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") ==
        kClients * kPerClient / 2 + 200);
  CHECK(sql_int(db, "SELECT count(DISTINCT event_id) FROM alert_evidence") ==
        kClients * kPerClient / 2 + 200);
  CHECK(sql_int(db, "SELECT count(*) FROM dead_letters WHERE feed = 'sock' AND line = 201") == 1);
}

TEST_CASE("run serves the HTTP API with a bearer token", "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const auto config = write_config(dir, R"(
[http]
listen = "127.0.0.1:0"
token = "s3cret"
max_body = 4096
)");
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int web = d.port("http");
  REQUIRE(web > 0);
  const std::string auth = "Authorization: Bearer s3cret\r\n";

  auto r = http(web, "GET", "/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == "ok\n");
  CHECK(http(web, "GET", "/metrics").status == 401);
  CHECK(http(web, "GET", "/metrics", "", "Authorization: Bearer nope\r\n").status == 401);
  r = http(web, "GET", "/metrics", "", auth);
  CHECK(r.status == 200);
  CHECK(r.body.find("# TYPE flashpoint_events_total counter") != std::string::npos);
  CHECK(r.body.find("# HELP flashpoint_eval_seconds") != std::string::npos);

  const std::string body = event("h1", "exercise") + "not json\n" + event("h2", "statement") +
                           R"({"id":"h3","kind":"exercise"})" + "\n" + event("h4", "exercise");
  r = http(web, "POST", "/events", body, auth);
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("events":3,"duplicates":0,"rejected":2)") != std::string::npos);
  CHECK(r.body.find(R"({"line":2,"reason":"invalid JSON)") != std::string::npos);
  CHECK(r.body.find(R"({"line":4,"reason":"missing required field 'time'"})") != std::string::npos);

  // The reply came after the commit: the alerts are there already.
  r = http(web, "GET", "/alerts?rule=E", "", auth);
  CHECK(r.status == 200);
  CHECK(count(r.body, R"("rule":"E")") == 2);
  CHECK(r.body.find(R"("evidence":["h1"])") != std::string::npos);
  r = http(web, "GET", "/alerts?limit=1&severity=high", "", auth);
  CHECK(count(r.body, R"("rule":"E")") == 1);
  CHECK(r.body.find(R"("evidence":["h4"])") != std::string::npos);
  CHECK(http(web, "GET", "/alerts?severity=bogus", "", auth).status == 400);
  CHECK(http(web, "GET", "/alerts?colour=red", "", auth).status == 400);
  CHECK(http(web, "GET", "/alerts").status == 401);

  // The same body again: duplicates are ignored, bad lines rejected again.
  r = http(web, "POST", "/events", body, auth);
  CHECK(r.body.find(R"("events":3,"duplicates":3,"rejected":2)") != std::string::npos);

  CHECK(http(web, "POST", "/events", std::string(5000, 'x'), auth).status == 413);
  CHECK(http(web, "GET", "/events", "", auth).status == 405);
  CHECK(http(web, "GET", "/nowhere", "", auth).status == 404);
  CHECK(http(web, "GET", "/", "", auth).body.find("<title>flashpoint</title>") !=
        std::string::npos);

  const std::string metrics = http(web, "GET", "/metrics", "", auth).body;
  CHECK(metric(metrics, "flashpoint_events_total{feed=\"http\",") == 6);
  CHECK(metric(metrics, "flashpoint_duplicates_total{feed=\"http\",") == 3);
  CHECK(metric(metrics, "flashpoint_dead_letters_total{feed=\"http\",") == 4);
  CHECK(metric(metrics, "flashpoint_alerts_total{rule=\"E\",severity=\"high\"}") == 2);
  CHECK(metric(metrics, "flashpoint_http_requests_total{code=\"413\"}") == 1);

  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
  const std::string db = dir / "fp.db";
  CHECK(sql_int(db, "SELECT count(*) FROM dead_letters WHERE feed = 'http' AND line = 2") == 2);
  CHECK(sql_int(db, "SELECT count(*) FROM dead_letters WHERE feed = 'http' AND line = 4") == 2);
}

TEST_CASE("run reloads rules when files change and rejects a broken set whole",
          "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/base.toml", kRules);
  const auto config = write_config(dir, R"(
[http]
listen = "127.0.0.1:0"
)",
                                   "reload_delay_ms = 100\n");
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int web = d.port("http");
  REQUIRE(web > 0);
  auto post = [&](const std::string& body) { return http(web, "POST", "/events", body).status; };

  const std::string db = dir / "fp.db";
  auto alerts = [&](const std::string& rule) {
    return sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = '" + rule + "'");
  };

  // Two deployments before the reload; the third after it completes the
  // threshold: an unchanged rule keeps its state.
  REQUIRE(post(event("d1", "deployment", "yellow_sea", "2024-03-01T00:00:00Z") +
               event("d2", "deployment", "yellow_sea", "2024-03-02T00:00:00Z")) == 200);
  CHECK(alerts("T") == 0);

  auto reloads = [&](const char* result) {
    return metric_of(web, std::string("flashpoint_reloads_total{result=\"") + result + "\"}");
  };
  drop_file(dir.path() / "rules", "extra.toml",
            "[[rule]]\nid = \"S\"\ntitle = \"statement\"\nwhen = 'kind == \"statement\"'\n");
  REQUIRE(eventually([&] { return reloads("ok") >= 1; }));
  REQUIRE(post(event("s1", "statement") +
               event("d3", "deployment", "yellow_sea", "2024-03-03T00:00:00Z")) == 200);
  CHECK(alerts("S") == 1);
  CHECK(alerts("T") == 1);

  // A broken file: the whole new set is rejected, the running set stays.
  write_file(
      dir.path() / "rules/broken.toml",
      "[[rule]]\nid = \"B\"\ntitle = \"broken\"\nwhen = 'kind == \"x\" and regoin == \"y\"'\n");
  REQUIRE(eventually([&] { return reloads("failed") >= 1; }));
  REQUIRE(post(event("s2", "statement") + event("e1", "exercise")) == 200);
  CHECK(alerts("S") == 2);
  CHECK(alerts("E") == 1);
  CHECK(alerts("engine/reload-failed") >= 1);
  CHECK(sql_int(db,
                "SELECT count(*) FROM alerts WHERE rule_id = 'engine/reload-failed' AND "
                "message LIKE '%broken.toml:4:%regoin%'") >= 1);
  CHECK(d.log().find("did you mean 'region'?") != std::string::npos);

  // SIGHUP reloads too (still broken: rejected again).
  const double failed = reloads("failed");
  d.signal(SIGHUP);
  REQUIRE(eventually([&] { return reloads("failed") >= failed + 1; }));

  const double ok = reloads("ok");
  std::filesystem::remove(dir.path() / "rules/broken.toml");
  REQUIRE(eventually([&] { return reloads("ok") >= ok + 1; }));
  CHECK(metric_of(web, "flashpoint_rules ") == 3);

  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
}

TEST_CASE("run drains on SIGTERM, commits, and resumes its state", "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const auto config = write_config(dir, R"(
[[feed]]
name = "wire"
listen = "tcp://127.0.0.1:0"
[http]
listen = "127.0.0.1:0"
)");
  constexpr int kEvents = 20000;
  std::string data;
  for (int i = 0; i < kEvents; ++i) {
    data += event("e" + std::to_string(i), i % 2 == 0 ? "exercise" : "statement");
  }
  const std::string db = dir / "fp.db";
  {
    Daemon d(dir.path(), config, "daemon1.log");
    REQUIRE(d.wait_ready());
    const int wire = d.port("wire");
    const int web = d.port("http");
    const int fd = connect_tcp(wire);
    REQUIRE(fd >= 0);
    // Accepted: from here on the daemon drains this client before it exits.
    REQUIRE(eventually(
        [&] { return metric_of(web, "flashpoint_connections_total{feed=\"wire\",") == 1; }));
    std::thread sender([&] {
      send_all(fd, data);
      ::close(fd);
    });
    sender.join();
    d.signal(SIGTERM);
    REQUIRE(d.wait_exit() == 0);
    CHECK(d.log().find("SIGTERM: stopping") != std::string::npos);
  }
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == kEvents / 2);
  CHECK(sql_int(db, "SELECT count(*) FROM engine_state WHERE name = 'engine'") == 1);
  CHECK(sql_int(db, "SELECT events FROM runs ORDER BY id DESC LIMIT 1") == kEvents);

  // A restart restores the state: the same events again are all duplicates.
  {
    Daemon d(dir.path(), config, "daemon2.log");
    REQUIRE(d.wait_ready());
    CHECK(d.log().find("resumed from the engine state") != std::string::npos);
    const int web = d.port("http");
    REQUIRE(send_tcp(d.port("wire"), data));
    CHECK(eventually(
        [&] { return metric_of(web, "flashpoint_duplicates_total{feed=\"wire\",") == kEvents; }));
    d.signal(SIGINT);
    REQUIRE(d.wait_exit() == 0);
  }
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == kEvents / 2);
}

TEST_CASE("run drops idle and slow clients and refuses clients over the limit",
          "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const auto config = write_config(dir, R"(
[[feed]]
name = "wire"
listen = "tcp://127.0.0.1:0"
max_clients = 2
idle_timeout_ms = 300
[http]
listen = "127.0.0.1:0"
timeout_ms = 300
)");
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int wire = d.port("wire");
  const int web = d.port("http");
  // Reads until the server closes; the time it took.
  auto closed_after = [](int fd) {
    const auto t0 = std::chrono::steady_clock::now();
    char buf[256];
    while (::recv(fd, buf, sizeof buf, 0) > 0) {
    }
    ::close(fd);
    return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - t0);
  };

  // A slow HTTP client: half a request line, then nothing.
  int fd = connect_tcp(web);
  REQUIRE(fd >= 0);
  REQUIRE(send_all(fd, "GET /metrics HT"));
  CHECK(closed_after(fd) < Millis(20000));

  // Two silent TCP clients fill max_clients; a third is refused at once.
  const int a = connect_tcp(wire);
  const int b = connect_tcp(wire);
  REQUIRE(eventually([&] { return metric_of(web, "flashpoint_connections{feed=\"wire\",") == 2; }));
  const int c = connect_tcp(wire);
  REQUIRE(c >= 0);
  CHECK(closed_after(c) < Millis(20000));
  CHECK(metric_of(web, "flashpoint_connections_refused_total{feed=\"wire\",") == 1);
  // The silent ones are dropped after idle_timeout_ms.
  CHECK(closed_after(a) < Millis(20000));
  CHECK(closed_after(b) < Millis(20000));
  CHECK(eventually([&] { return metric_of(web, "flashpoint_connections{feed=\"wire\",") == 0; }));

  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
}
