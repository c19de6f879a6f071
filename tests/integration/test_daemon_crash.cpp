// kill -9 at random moments: file feeds resume exactly. After every kill the
// database must agree with itself (the alerts and dead letters committed are
// exactly those of the lines before the committed offsets), and at the end
// the alerts equal those of one `flashpoint replay` over the same files.
#include <catch2/catch.hpp>
#include <random>

#include "integration/daemon/folder_ingest.hpp"
#include "integration/daemon/harness.hpp"

using namespace fptest;
using namespace fptest::folder_ingest;

TEST_CASE("folder ingest survives kill -9 at random moments exactly", "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const std::string inbox = dir / "inbox";
  std::filesystem::create_directories(inbox);
  const auto config = write_config(dir, R"(
[[feed]]
name = "spool"
watch = ")" + inbox + R"("
poll_ms = 200
settle_ms = 100000
)",
                                   "commit_ms = 5\ncommit_events = 150\n");
  const std::string db = dir / "fp.db";
  constexpr int kFiles = 20;
  constexpr int kLines = 1000;
  std::vector<std::string> names;
  std::vector<std::string> texts;
  for (int i = 0; i < kFiles; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "batch-%02d.jsonl", i);
    names.emplace_back(name);
    texts.push_back(make_file(i, kLines));
  }

  // The database must agree with itself whenever the daemon dies.
  auto check_consistent = [&](int dropped) {
    Prefix expect;
    for (int i = 0; i < dropped; ++i) {
      const long long off =
          sql_int(db, "SELECT \"offset\" FROM feed_offsets WHERE feed = 'spool' AND file = '" +
                          (std::filesystem::path(inbox) / names[i]).string() + "'");
      if (off < 0) continue;  // not reached yet
      const Prefix p = count_prefix(texts[i], off);
      expect.exercises += p.exercises;
      expect.bad += p.bad;
    }
    CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == expect.exercises);
    CHECK(sql_int(db, "SELECT count(*) FROM dead_letters") == expect.bad);
    CHECK(sql_int(db,
                  "SELECT count(*) - count(DISTINCT a.rule_id || e.event_id) FROM alerts a "
                  "JOIN alert_evidence e ON e.alert_id = a.id WHERE a.rule_id = 'E'") == 0);
    return expect.exercises;
  };

  std::mt19937 rng(20240301);
  std::uniform_int_distribution<int> delay(0, 40);
  std::uniform_int_distribution<int> coin(0, 4);
  long long progress = 0;
  int killed_mid_ingest = 0;  // kills that left dropped files unread
  for (int i = 0; i < kFiles; ++i) {
    drop_file(inbox, names[i], texts[i]);
    Daemon d(dir.path(), config, "daemon.log");
    if (coin(rng) == 0) {
      std::this_thread::sleep_for(Millis(delay(rng) / 2));  // during startup
    } else {
      REQUIRE(d.wait_ready());
      std::this_thread::sleep_for(Millis(delay(rng)));
    }
    d.signal(SIGKILL);
    REQUIRE(d.wait_exit() == 128 + SIGKILL);
    const long long now = check_consistent(i + 1);
    const long long all = sql_int(db, "SELECT count(*) FROM feed_offsets WHERE feed = 'spool'");
    if (all < i + 1 || now < static_cast<long long>(i + 1) * kLines / 4 - 1000) {
      ++killed_mid_ingest;
    }
    CHECK(now >= progress);
    progress = now;
  }
  INFO("kills that left work undone: " << killed_mid_ingest);

  // A last run to the end, then a clean stop.
  {
    Daemon d(dir.path(), config, "daemon.log");
    REQUIRE(d.wait_ready());
    REQUIRE(eventually(
        [&] {
          for (int i = 0; i < kFiles; ++i) {
            const long long off = sql_int(
                db, "SELECT \"offset\" FROM feed_offsets WHERE feed = 'spool' AND file = '" +
                        (std::filesystem::path(inbox) / names[i]).string() + "'");
            if (off != static_cast<long long>(texts[i].size())) return false;
          }
          return true;
        },
        Millis(60000)));
    d.signal(SIGTERM);
    REQUIRE(d.wait_exit() == 0);
  }
  check_consistent(kFiles);

  // The same files replayed in one go give the same alerts, in order.
  std::string inputs;
  for (const auto& n : names) inputs += " 'inbox/" + n + "'";
  auto r = flashpoint("replay --quiet --rules rules --db ref.db" + inputs, dir);
  REQUIRE(r.code == 0);
  const auto ours = sql_rows(db, kAlertsQuery);
  const auto ref = sql_rows(dir / "ref.db", kAlertsQuery);
  CHECK(ours.size() == ref.size());
  CHECK(ours == ref);
  CHECK(sql_int(db, "SELECT count(*) FROM dead_letters") ==
        sql_int(dir / "ref.db", "SELECT count(*) FROM dead_letters"));
}

TEST_CASE("a tailed file is followed across rotation and kill -9", "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const std::string logdir = dir / "log";
  const std::string path = logdir + "/wire.jsonl";
  const auto config = write_config(dir, R"(
[[feed]]
name = "tail"
path = ")" + path + R"("
poll_ms = 100
[http]
listen = "127.0.0.1:0"
)",
                                   "commit_ms = 5\n");
  const std::string db = dir / "fp.db";
  long long next_id = 0;
  auto lines = [&](int n) {
    std::string text;
    for (int i = 0; i < n; ++i) text += event("t" + std::to_string(next_id++), "exercise");
    return text;
  };
  auto append = [&](const std::string& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::app) << text;
  };
  auto alerts = [&] { return sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'"); };

  write_file(path, lines(300));
  {
    Daemon d(dir.path(), config, "daemon1.log");
    REQUIRE(d.wait_ready());
    REQUIRE(eventually([&] { return alerts() == 300; }));
    append(path, lines(40));
    std::this_thread::sleep_for(Millis(30));
    d.signal(SIGKILL);
    REQUIRE(d.wait_exit() == 128 + SIGKILL);
  }
  // While it is down: more lines, then a rotation and a new file.
  append(path, lines(60));
  std::filesystem::rename(path, path + ".1");
  write_file(path, lines(200));
  {
    Daemon d(dir.path(), config, "daemon2.log");
    REQUIRE(d.wait_ready());
    REQUIRE(eventually([&] { return alerts() == 600; }));
    CHECK(d.log().find("rotated to") != std::string::npos);
    // A rotation while it runs.
    append(path, lines(50));
    std::filesystem::rename(path, path + ".2");
    write_file(path, lines(50));
    REQUIRE(eventually([&] { return alerts() == 700; }));
    d.signal(SIGKILL);
    REQUIRE(d.wait_exit() == 128 + SIGKILL);
  }
  {
    Daemon d(dir.path(), config, "daemon3.log");
    REQUIRE(d.wait_ready());
    append(path, lines(25));
    REQUIRE(eventually([&] { return alerts() == 725; }));
    d.signal(SIGTERM);
    REQUIRE(d.wait_exit() == 0);
  }
  CHECK(alerts() == 725);
  CHECK(sql_int(db,
                "SELECT count(DISTINCT e.event_id) FROM alerts a JOIN alert_evidence e ON "
                "e.alert_id = a.id WHERE a.rule_id = 'E'") == 725);
}

TEST_CASE("socket feeds: the engine state follows the alerts within state_ms",
          "[integration][daemon]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  const auto config = write_config(dir, R"(
[[feed]]
name = "wire"
listen = "tcp://127.0.0.1:0"
[http]
listen = "127.0.0.1:0"
)",
                                   "state_ms = 200\n");
  std::string data;
  for (int i = 0; i < 1000; ++i) data += event("s" + std::to_string(i), "exercise");
  const std::string db = dir / "fp.db";
  {
    Daemon d(dir.path(), config, "daemon.log");
    REQUIRE(d.wait_ready());
    const int web = d.port("http");
    REQUIRE(send_tcp(d.port("wire"), data));
    REQUIRE(eventually([&] {
      return metric_of(web, "flashpoint_events_total{feed=\"wire\",") == 1000 &&
             metric_of(web, "flashpoint_queue_depth ") == 0;
    }));
    CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == 1000);
    // Light checkpoints carried the alerts; a full one follows.
    REQUIRE(
        eventually([&] { return metric_of(web, "flashpoint_checkpoint_seconds_count ") >= 1; }));
    d.signal(SIGKILL);
    REQUIRE(d.wait_exit() == 128 + SIGKILL);
  }
  Daemon d(dir.path(), config, "daemon.log");
  REQUIRE(d.wait_ready());
  const int web = d.port("http");
  REQUIRE(send_tcp(d.port("wire"), data));
  CHECK(eventually(
      [&] { return metric_of(web, "flashpoint_duplicates_total{feed=\"wire\",") == 1000; }));
  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
  CHECK(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == 1000);
}
