// The loopback load test (`make load`; hidden from the default run): the
// real daemon, 8 TCP clients sending paced JSON Lines for FP_LOAD_SECONDS
// (default 60) at FP_LOAD_RATE events/s each (default 4000), with
// duplicates and bad lines mixed in, while one HTTP client posts NDJSON
// bodies. Afterwards exact counts: the metrics, the database and a
// `flashpoint replay` of the same lines agree to the event.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "integration/daemon/harness.hpp"

using namespace fptest;

namespace {

const char* kRules = R"(
[[rule]]
id = "E"
title = "exercise"
when = 'kind == "exercise"'
)";

long env_or(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtol(v, nullptr, 10) : fallback;
}

// What a batch of lines holds.
struct Tally {
  long long valid = 0;       // events read (duplicates included)
  long long duplicates = 0;  // lines that repeat an earlier event
  long long bad = 0;         // dead letters
  long long exercises = 0;   // distinct exercise events: alerts of E
  void add(const Tally& o) {
    valid += o.valid;
    duplicates += o.duplicates;
    bad += o.bad;
    exercises += o.exercises;
  }
};

// Line i of TCP client c: an event, every 50th a repeat of the event 20
// lines back, every 1000th not JSON.
std::string tcp_line(int c, long i, Tally& t) {
  if (i % 1000 == 999) {
    ++t.bad;
    return R"({"id":"c)" + std::to_string(c) + "-" + std::to_string(i) + "\", \"time\": broken\n";
  }
  ++t.valid;
  long k = i;
  if (i % 50 == 49) {
    ++t.duplicates;
    k = i - 20;
  } else if (i % 10 == 0) {
    ++t.exercises;
  }
  return event("c" + std::to_string(c) + "-" + std::to_string(k),
               k % 10 == 0 ? "exercise" : (k % 10 < 5 ? "statement" : "deployment"));
}

// HTTP body b: 200 lines, line 100 bad, every 40th a repeat of the line 10
// before it.
std::string http_body(long b, Tally& t) {
  std::string body;
  for (int j = 0; j < 200; ++j) {
    if (j == 100) {
      ++t.bad;
      body += "not json\n";
      continue;
    }
    ++t.valid;
    int k = j;
    if (j % 40 == 39) {
      ++t.duplicates;
      k = j - 10;
    } else if (j % 10 == 0) {
      ++t.exercises;
    }
    body += event("h" + std::to_string(b) + "-" + std::to_string(k),
                  k % 10 == 0 ? "exercise" : "statement");
  }
  return body;
}

const char* kAlertsQuery =
    "SELECT a.rule_id || '|' || e.event_id FROM alerts a JOIN alert_evidence e "
    "ON e.alert_id = a.id ORDER BY 1";

}  // namespace

TEST_CASE("load: 8 TCP clients and HTTP posts, then exact counts", "[integration][.load]") {
  const long seconds = env_or("FP_LOAD_SECONDS", 60);
  const long rate = env_or("FP_LOAD_RATE", 4000);
  constexpr int kClients = 8;
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const auto config = write_config(dir, R"(
[[feed]]
name = "wire"
listen = "tcp://127.0.0.1:0"
[http]
listen = "127.0.0.1:0"
)");
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int wire = d.port("wire");
  const int web = d.port("http");

  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::seconds(seconds);
  std::vector<long> sent(kClients, 0);
  std::vector<Tally> tallies(kClients);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      const int fd = connect_tcp(wire);
      if (fd < 0) {
        ++failures;
        return;
      }
      std::string chunk;
      long i = 0;
      for (auto now = std::chrono::steady_clock::now(); now < end;
           now = std::chrono::steady_clock::now()) {
        const double elapsed = std::chrono::duration<double>(now - start).count();
        const long target = static_cast<long>(elapsed * static_cast<double>(rate));
        chunk.clear();
        for (; i < target; ++i) chunk += tcp_line(c, i, tallies[c]);
        if (!chunk.empty() && !send_all(fd, chunk)) {
          ++failures;
          break;
        }
        std::this_thread::sleep_for(Millis(5));
      }
      sent[c] = i;
      ::close(fd);
    });
  }
  Tally http_tally;
  long bodies = 0;
  std::string http_lines;
  threads.emplace_back([&] {
    while (std::chrono::steady_clock::now() < end) {
      Tally t;
      const std::string body = http_body(bodies, t);
      const auto r = http(web, "POST", "/events", body);
      const std::string expect = "\"events\":" + std::to_string(t.valid) +
                                 ",\"duplicates\":" + std::to_string(t.duplicates) +
                                 ",\"rejected\":" + std::to_string(t.bad);
      if (r.status != 200 || r.body.find(expect) == std::string::npos) {
        ++failures;
        break;
      }
      http_tally.add(t);
      http_lines += body;
      ++bodies;
      std::this_thread::sleep_for(Millis(100));
    }
  });
  for (auto& t : threads) t.join();
  REQUIRE(failures == 0);

  Tally tcp;
  for (const auto& t : tallies) tcp.add(t);
  const auto sent_at = std::chrono::steady_clock::now();
  REQUIRE(eventually(
      [&] {
        return metric_of(web, "flashpoint_events_total{feed=\"wire\",") == tcp.valid &&
               metric_of(web, "flashpoint_dead_letters_total{feed=\"wire\",") == tcp.bad &&
               metric_of(web, "flashpoint_queue_depth ") == 0;
      },
      Millis(120000)));
  const double drain =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sent_at).count();
  const std::string metrics = http(web, "GET", "/metrics").body;
  CHECK(metric(metrics, "flashpoint_duplicates_total{feed=\"wire\",") == tcp.duplicates);
  CHECK(metric(metrics, "flashpoint_events_total{feed=\"http\",") == http_tally.valid);
  CHECK(metric(metrics, "flashpoint_duplicates_total{feed=\"http\",") == http_tally.duplicates);
  CHECK(metric(metrics, "flashpoint_dead_letters_total{feed=\"http\",") == http_tally.bad);
  CHECK(metric(metrics, "flashpoint_connections_total{feed=\"wire\",") == kClients);
  CHECK(metric(metrics, "flashpoint_commit_failures_total ") == 0);
  const double pauses = metric(metrics, "flashpoint_backpressure_pauses_total ");
  d.signal(SIGTERM);
  REQUIRE(d.wait_exit(Millis(60000)) == 0);

  const std::string db = dir / "fp.db";
  const long long exercises = tcp.exercises + http_tally.exercises;
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == exercises);
  CHECK(sql_int(db, "SELECT count(DISTINCT event_id) FROM alert_evidence") == exercises);
  CHECK(sql_int(db, "SELECT count(*) FROM dead_letters") == tcp.bad + http_tally.bad);
  CHECK(sql_int(db, "SELECT events FROM runs ORDER BY id DESC LIMIT 1") ==
        tcp.valid + http_tally.valid);
  CHECK(sql_int(db, "SELECT duplicates FROM runs ORDER BY id DESC LIMIT 1") ==
        tcp.duplicates + http_tally.duplicates);

  // The same lines through `flashpoint replay`, one file per client (the
  // duplicate filter works per source: a client's own repeats).
  std::string inputs;
  for (int c = 0; c < kClients; ++c) {
    Tally ignored;
    std::string text;
    for (long i = 0; i < sent[c]; ++i) text += tcp_line(c, i, ignored);
    const std::string name = "wire-" + std::to_string(c) + ".jsonl";
    write_file(dir / name, text);
    inputs += " " + name;
  }
  write_file(dir / "http.jsonl", http_lines);
  auto r = flashpoint("replay --quiet --rules rules --db ref.db" + inputs + " http.jsonl", dir);
  REQUIRE(r.code == 0);
  const auto ours = sql_rows(db, kAlertsQuery);
  const auto ref = sql_rows(dir / "ref.db", kAlertsQuery);
  CHECK(ours.size() == ref.size());
  CHECK(ours == ref);
  CHECK(sql_int(dir / "ref.db", "SELECT count(*) FROM dead_letters") == tcp.bad + http_tally.bad);

  const long long lines = tcp.valid + tcp.bad + http_tally.valid + http_tally.bad;
  std::printf(
      "load: %ld s, %d TCP clients at %ld events/s each + %ld HTTP bodies: %lld lines "
      "(%lld events, %lld duplicates, %lld dead letters), %.0f lines/s; %lld alerts committed; "
      "drained %.2f s after the last send; %.0f backpressure pauses; exact: metrics, database "
      "and replay agree\n",
      seconds, kClients, rate, bodies, lines, tcp.valid + http_tally.valid,
      tcp.duplicates + http_tally.duplicates, tcp.bad + http_tally.bad,
      static_cast<double>(lines) / static_cast<double>(seconds), exercises, drain, pauses);
  std::fflush(stdout);
}
