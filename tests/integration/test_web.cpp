// The web page and its API end to end: the real `flashpoint serve` (and the
// daemon) on a loopback port the system picks, over plain HTTP, on a
// database replayed from examples/demo.jsonl with the shipped rules.
#include <catch2/catch.hpp>
#include <regex>

#include "integration/daemon/harness.hpp"

using namespace fptest;

namespace {

// `flashpoint serve ARGS`; killed (SIGKILL) at scope exit.
class Serve : public Launched {
 public:
  Serve(const TempDir& dir, std::vector<std::string> args)
      : Launched(dir.path(), with_command(std::move(args)), "serve.log") {}

  // The port of the "flashpoint serve: http://127.0.0.1:PORT/" line, or -1.
  int port() {
    int found = -1;
    eventually([&] {
      const std::string text = log();
      std::smatch m;
      if (std::regex_search(text, m, std::regex(R"(flashpoint serve: http://[^\s]*:(\d+)/)"))) {
        found = std::stoi(m[1].str());
        return true;
      }
      return wait_exit(Millis(0)).has_value();
    });
    return found;
  }

 private:
  static std::vector<std::string> with_command(std::vector<std::string> args) {
    args.insert(args.begin(), "serve");
    return args;
  }
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// The demo database: the shipped rules over examples/demo.jsonl.
std::string demo_db(const TempDir& dir) {
  const std::string src = FP_SOURCE_DIR;
  const auto r = flashpoint(
      "replay -q --rules '" + src + "/rules' --db demo.db '" + src + "/examples/demo.jsonl'", dir);
  REQUIRE(r.code == 0);
  return dir / "demo.db";
}

std::string header(const HttpResponse& r, const std::string& name) {
  std::smatch m;
  const std::regex re("\r\n" + name + ": ([^\r]*)", std::regex::icase);
  return std::regex_search(r.headers, m, re) ? m[1].str() : "";
}

}  // namespace

TEST_CASE("serve: the page, the alert filters, an alert, ack with a note", "[web]") {
  TempDir dir;
  const std::string db = demo_db(dir);
  Serve s(dir, {"--db", db, "--listen", "127.0.0.1:0"});
  const int port = s.port();
  REQUIRE(port > 0);

  // The page and its files, embedded in the binary.
  auto r = http(port, "GET", "/");
  CHECK(r.status == 200);
  CHECK(header(r, "Content-Type") == "text/html; charset=utf-8");
  CHECK(r.body.find("<title>flashpoint</title>") != std::string::npos);
  CHECK(r.body.find(R"(<script src="/app.js")") != std::string::npos);
  r = http(port, "GET", "/app.js");
  CHECK(r.status == 200);
  CHECK(header(r, "Content-Type").rfind("text/javascript", 0) == 0);
  CHECK(r.body.find("textContent") != std::string::npos);
  CHECK(http(port, "GET", "/style.css").status == 200);
  CHECK(http(port, "POST", "/").status == 405);
  CHECK(http(port, "GET", "/healthz").body == "ok\n");

  // Filters: the same rows as the CLI.
  const auto cli =
      flashpoint("alerts --db demo.db --severity high --status open --format json", dir);
  REQUIRE(cli.code == 0);
  const std::size_t high = count(cli.out, R"("id":)");
  REQUIRE(high > 0);
  r = http(port, "GET", "/alerts?severity=high&status=open");
  CHECK(r.status == 200);
  CHECK(count(r.body, R"("id":)") == high);
  const std::size_t all = count(http(port, "GET", "/alerts").body, R"("id":)");
  CHECK(all > high);
  CHECK(count(http(port, "GET", "/alerts?limit=3").body, R"("id":)") == 3);

  r = http(port, "GET", "/alerts?claim=C10");
  CHECK(r.status == 200);
  CHECK(count(r.body, R"("id":)") > 0);
  CHECK(count(r.body, R"("id":)") == count(r.body, R"("C10")"));

  r = http(port, "GET", "/alerts?until=2022-01-01");
  CHECK(r.status == 200);
  const std::size_t early = count(r.body, R"("id":)");
  CHECK(early > 0);
  CHECK(early < all);
  CHECK(count(r.body, R"("event_time":"2021-)") == early);
  CHECK(count(http(port, "GET", "/alerts?since=2022-01-01").body, R"("id":)") == all - early);

  r = http(port, "GET", "/alerts?actor=PRK");
  CHECK(r.status == 200);
  CHECK(count(r.body, R"("id":)") > 0);
  CHECK(count(r.body, R"("id":)") < all);
  r = http(port, "GET", "/alerts?region=nowhere_at_all");
  CHECK(r.status == 200);
  CHECK(count(r.body, R"("id":)") == 0);

  r = http(port, "GET", "/alerts?severity=high&status=open&format=csv");
  CHECK(r.status == 200);
  CHECK(header(r, "Content-Type").rfind("text/csv", 0) == 0);
  CHECK(header(r, "Content-Disposition").find("alerts.csv") != std::string::npos);
  CHECK(r.body.rfind("id,event_time,", 0) == 0);
  CHECK(count(r.body, "\r\n") == high + 1);
  r = http(port, "GET", "/alerts?severity=high&status=open&format=ndjson");
  CHECK(r.status == 200);
  CHECK(count(r.body, "\n") == high);
  CHECK(r.body.front() == '{');

  CHECK(http(port, "GET", "/alerts?severity=bogus").status == 400);
  CHECK(http(port, "GET", "/alerts?until=yesterday-ish").status == 400);
  CHECK(http(port, "GET", "/alerts?format=xml").status == 400);
  r = http(port, "GET", "/alerts?colour=red");
  CHECK(r.status == 400);
  CHECK(r.body.find("unknown parameter 'colour'") != std::string::npos);

  // One alert, with why it fired.
  r = http(port, "GET", "/alerts/1");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("alert":{"id":1,)") != std::string::npos);
  CHECK(r.body.find(R"("events":[)") != std::string::npos);
  CHECK(r.body.find("demo-0001") != std::string::npos);
  CHECK(http(port, "GET", "/alerts/999999").status == 404);
  CHECK(http(port, "GET", "/alerts/abc").status == 404);
  CHECK(http(port, "GET", "/alerts/1/frobnicate").status == 404);

  // Ack with a note: the database has the status, the note and the log row.
  r = http(port, "POST", "/alerts/1/ack", R"({"note":"seen, \"routine\" <b>","by":"tester"})");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("status":"acked")") != std::string::npos);
  auto show = flashpoint("show --db demo.db 1 --format json", dir);
  CHECK(show.code == 0);
  CHECK(show.out.find(R"("status":"acked")") != std::string::npos);
  CHECK(show.out.find(R"(seen, \"routine\" <b>)") != std::string::npos);
  CHECK(sql_int(db,
                "SELECT count(*) FROM alert_log WHERE alert_id = 1 AND who = 'tester' AND "
                "from_status = 'open' AND to_status = 'acked'") == 1);
  CHECK(count(http(port, "GET", "/alerts?severity=high&status=open").body, R"("id":)") ==
        (cli.out.find(R"("id":1,)") != std::string::npos ? high - 1 : high));

  // Resolve without a body: by defaults to "web"; reopen.
  CHECK(http(port, "POST", "/alerts/1/resolve").status == 200);
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE id = 1 AND status = 'resolved'") == 1);
  CHECK(sql_int(db, "SELECT count(*) FROM alert_log WHERE alert_id = 1 AND who = 'web'") == 1);
  CHECK(http(port, "POST", "/alerts/1/reopen", "{}").status == 200);
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE id = 1 AND status = 'open'") == 1);

  CHECK(http(port, "POST", "/alerts/1/ack", "not json").status == 400);
  CHECK(http(port, "POST", "/alerts/1/ack", R"(["note"])").status == 400);
  CHECK(http(port, "POST", "/alerts/1/ack", R"({"note":5})").status == 400);
  CHECK(http(port, "POST", "/alerts/1/ack", R"({"colour":"red"})").status == 400);
  CHECK(http(port, "GET", "/alerts/1/ack").status == 405);
  CHECK(http(port, "POST", "/alerts/999999/ack", "{}").status == 404);
  CHECK(sql_int(db, "SELECT count(*) FROM alert_log") == 3);

  // Tension: the pairs and the chart.
  r = http(port, "GET", "/tension");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"({"pair":"CHN-RUS",)") != std::string::npos);
  CHECK(r.body.find(R"("levels":[{"name":"elevated","score":10},)") != std::string::npos);
  r = http(port, "GET", "/tension.svg?pair=RUS-CHN");
  CHECK(r.status == 200);
  CHECK(header(r, "Content-Type") == "image/svg+xml");
  CHECK(r.body.rfind("<svg", 0) == 0);
  CHECK(r.body.find(R"(data-pair="CHN-RUS")") != std::string::npos);
  CHECK(r.body.find(R"(data-pair="KOR-RUS")") == std::string::npos);
  CHECK(r.body.find(R"(class="band")") != std::string::npos);
  CHECK(http(port, "GET", "/tension.svg").body.find(R"(data-pair="KOR-RUS")") != std::string::npos);
  CHECK(http(port, "GET", "/tension.svg?pair=AAA-BBB").status == 404);
  CHECK(http(port, "GET", "/tension.svg?colour=red").status == 400);

  // No pipeline here.
  r = http(port, "POST", "/events", "{}\n");
  CHECK(r.status == 404);
  CHECK(r.body.find("flashpoint run") != std::string::npos);
  CHECK(http(port, "GET", "/metrics").status == 404);
  CHECK(http(port, "GET", "/nowhere").status == 404);

  s.signal(SIGTERM);
  CHECK(s.wait_exit() == 0);
}

TEST_CASE("serve: the API needs the token, the page does not", "[web]") {
  TempDir dir;
  const std::string db = demo_db(dir);
  Serve s(dir, {"--db", db, "--listen", "127.0.0.1:0", "--token", "s3cret"});
  const int port = s.port();
  REQUIRE(port > 0);
  const std::string auth = "Authorization: Bearer s3cret\r\n";

  CHECK(http(port, "GET", "/").status == 200);
  CHECK(http(port, "GET", "/app.js").status == 200);
  CHECK(http(port, "GET", "/healthz").status == 200);
  auto r = http(port, "GET", "/alerts");
  CHECK(r.status == 401);
  CHECK(header(r, "WWW-Authenticate").rfind("Bearer", 0) == 0);
  CHECK(http(port, "GET", "/alerts", "", "Authorization: Bearer nope\r\n").status == 401);
  CHECK(http(port, "GET", "/alerts", "", auth).status == 200);
  CHECK(http(port, "GET", "/alerts/1").status == 401);
  CHECK(http(port, "GET", "/tension.svg").status == 401);
  CHECK(http(port, "POST", "/alerts/1/ack", "{}").status == 401);
  CHECK(sql_int(db, "SELECT count(*) FROM alert_log") == 0);
  CHECK(http(port, "POST", "/alerts/1/ack", "{}", auth).status == 200);
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE id = 1 AND status = 'acked'") == 1);

  s.signal(SIGINT);
  CHECK(s.wait_exit() == 0);
}

TEST_CASE("serve: a missing database or a bad address is a usage error", "[web]") {
  TempDir dir;
  auto r = flashpoint("serve --db missing.db --listen 127.0.0.1:0", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("missing.db") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "missing.db"));
  demo_db(dir);
  r = flashpoint("serve --db demo.db --listen 999.1.1.1:80", dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("--listen") != std::string::npos);
}

TEST_CASE("serve --config: GET /tension uses the config's half-life and levels", "[web]") {
  TempDir dir;
  const std::string db = demo_db(dir);
  write_file(dir / "fp.toml",
             "[tension]\nhalf_life = \"30d\"\nlevels = { watch = 5.0, alarm = 40.0 }\n");
  Serve s(dir, {"--db", db, "--listen", "127.0.0.1:0", "--config", "fp.toml"});
  const int port = s.port();
  REQUIRE(port > 0);
  const auto r = http(port, "GET", "/tension");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("half_life_days":30,)") != std::string::npos);
  CHECK(r.body.find(R"("levels":[{"name":"watch","score":5},{"name":"alarm","score":40}])") !=
        std::string::npos);
  s.signal(SIGINT);
  CHECK(s.wait_exit() == 0);
  // A config with an error is a usage error, named by file and line.
  write_file(dir / "bad.toml", "[tension]\nhalf_life = \"soon\"\n");
  auto bad = flashpoint("serve --db demo.db --listen 127.0.0.1:0 --config bad.toml", dir);
  CHECK(bad.code == 2);
  CHECK(bad.err.find("bad.toml:2") != std::string::npos);
}

TEST_CASE("run: the daemon serves the page and the alert API beside its writer", "[web]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", R"(
[[rule]]
id = "E"
title = "exercise"
when = 'kind == "exercise"'
severity = "high"
)");
  const auto config = write_config(dir, R"(
[http]
listen = "127.0.0.1:0"
token = "t0k"
)");
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int web = d.port("http");
  REQUIRE(web > 0);
  const std::string auth = "Authorization: Bearer t0k\r\n";
  CHECK(http(web, "GET", "/").body.find("<title>flashpoint</title>") != std::string::npos);
  REQUIRE(http(web, "POST", "/events", event("w1", "exercise") + event("w2", "exercise"), auth)
              .status == 200);
  auto r = http(web, "GET", "/alerts?status=open&actor=CHN", "", auth);
  CHECK(count(r.body, R"("rule":"E")") == 2);
  r = http(web, "GET", "/alerts/1", "", auth);
  CHECK(r.status == 200);
  CHECK(r.body.find("w1") != std::string::npos);
  r = http(web, "POST", "/alerts/1/resolve", R"({"note":"done"})", auth);
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("status":"resolved")") != std::string::npos);
  // The daemon keeps writing beside the web's update.
  REQUIRE(http(web, "POST", "/events", event("w3", "exercise"), auth).status == 200);
  CHECK(count(http(web, "GET", "/alerts?status=open", "", auth).body, R"("rule":"E")") == 2);
  CHECK(http(web, "GET", "/tension", "", auth).status == 200);
  CHECK(http(web, "GET", "/metrics", "", auth).status == 200);

  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
  const std::string db = dir / "fp.db";
  CHECK(sql_int(db,
                "SELECT count(*) FROM alerts WHERE id = 1 AND status = 'resolved' AND "
                "note = 'done'") == 1);
  CHECK(sql_int(db, "SELECT count(*) FROM alert_log WHERE alert_id = 1 AND who = 'web'") == 1);
}

TEST_CASE("serve: cross-site changes and rebound host names are refused", "[web]") {
  TempDir dir;
  const std::string db = demo_db(dir);
  Serve s(dir, {"--db", db, "--listen", "127.0.0.1:0"});
  const int port = s.port();
  REQUIRE(port > 0);
  // The raw request, with our own Host header.
  auto raw = [&](const std::string& head, const std::string& body = "") {
    const int fd = connect_tcp(port);
    REQUIRE(fd >= 0);
    send_all(fd, head + "Content-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n\r\n" + body);
    std::string in;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return in.size() >= 12 ? std::stoi(in.substr(9, 3)) : 0;
  };
  const std::string host = "127.0.0.1:" + std::to_string(port);
  // A page on another site posting to the loopback server.
  CHECK(raw("POST /alerts/1/ack HTTP/1.1\r\nHost: " + host + "\r\nOrigin: https://evil.example\r\n",
            "{}") == 403);
  CHECK(raw("POST /alerts/1/ack HTTP/1.1\r\nHost: " + host + "\r\nSec-Fetch-Site: cross-site\r\n",
            "{}") == 403);
  CHECK(sql_int(db, "SELECT count(*) FROM alert_log") == 0);
  // A name rebound to 127.0.0.1: refused even for reads without a token.
  CHECK(raw("GET /alerts HTTP/1.1\r\nHost: evil.example:" + std::to_string(port) + "\r\n") == 403);
  // The page's own requests, curl, IPv4 and localhost are served.
  CHECK(raw("POST /alerts/1/ack HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host +
                "\r\nSec-Fetch-Site: same-origin\r\n",
            "{}") == 200);
  CHECK(raw("GET /alerts?limit=1 HTTP/1.1\r\nHost: localhost:" + std::to_string(port) + "\r\n") ==
        200);
  CHECK(sql_int(db, "SELECT count(*) FROM alert_log") == 1);
}
