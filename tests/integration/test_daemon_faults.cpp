// Database faults under the real daemon: a full disk (a file size limit,
// so SQLite's writes fail with EFBIG mid-ingest), a read-only database and
// a database locked by another connection. Each must give a clear error,
// lose nothing that was committed or acknowledged, and resume exactly.
#include <catch2/catch.hpp>
#include <thread>

#include "integration/daemon/folder_ingest.hpp"
#include "integration/daemon/launch.hpp"

using namespace fptest;
using namespace fptest::folder_ingest;

namespace {

// A folder of `files` files of `lines` lines, and the database's view of it.
struct Spool {
  const TempDir& dir;
  std::string inbox;
  std::string db;
  std::vector<std::string> names;
  std::vector<std::string> texts;

  Spool(const TempDir& d, int files, int lines) : dir(d), inbox(d / "inbox"), db(d / "fp.db") {
    std::filesystem::create_directories(inbox);
    for (int i = 0; i < files; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "batch-%02d.jsonl", i);
      names.emplace_back(name);
      texts.push_back(make_file(i, lines));
    }
  }

  [[nodiscard]] long long offset(std::size_t i) const {
    return sql_int(db, "SELECT \"offset\" FROM feed_offsets WHERE feed = 'spool' AND file = '" +
                           (std::filesystem::path(inbox) / names[i]).string() + "'");
  }

  [[nodiscard]] bool all_read() const {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (offset(i) != static_cast<long long>(texts[i].size())) return false;
    }
    return true;
  }

  // The database agrees with itself: exactly the alerts and dead letters of
  // the lines before the committed offsets, no alert twice. Returns the
  // exercises committed.
  long long check_consistent() const {
    Prefix expect;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const long long off = offset(i);
      if (off < 0) continue;
      const Prefix p = count_prefix(texts[i], off);
      expect.exercises += p.exercises;
      expect.bad += p.bad;
    }
    CHECK(sql_int(db,
                  "SELECT count(*) FROM alerts a JOIN alert_evidence e ON e.alert_id = a.id "
                  "WHERE a.rule_id = 'E' AND e.event_id LIKE 'f%'") == expect.exercises);
    CHECK(sql_int(db, "SELECT count(*) FROM dead_letters") == expect.bad);
    CHECK(sql_int(db,
                  "SELECT count(*) - count(DISTINCT a.rule_id || e.event_id) FROM alerts a "
                  "JOIN alert_evidence e ON e.alert_id = a.id WHERE a.rule_id = 'E'") == 0);
    return expect.exercises;
  }

  // The same files through one `flashpoint replay` give the same alerts.
  void check_equals_replay() const {
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
};

std::string spool_config(const TempDir& dir, const std::string& inbox,
                         const std::string& extra_daemon = "") {
  return write_config(dir, R"(
[[feed]]
name = "spool"
watch = ")" + inbox + R"("
poll_ms = 100
settle_ms = 100000
[http]
listen = "127.0.0.1:0"
)",
                      "commit_ms = 5\ncommit_events = 150\n" + extra_daemon);
}

}  // namespace

TEST_CASE("a full disk stops the daemon with status 1 and a restart resumes exactly",
          "[integration][daemon][faults]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  Spool spool(dir, 8, 1000);
  const auto config = spool_config(dir, spool.inbox);
  for (std::size_t i = 0; i < spool.names.size(); ++i) {
    write_file(std::filesystem::path(spool.inbox) / spool.names[i], spool.texts[i]);
  }

  // No file of the daemon may grow past 512 KiB: the database and its WAL
  // reach that mid-ingest (about 2 MB of alerts and evidence).
  {
    Launched d(dir.path(), {"run", "--config", config}, "daemon1.log",
               Launch{.max_file_bytes = 512 * 1024});
    const auto code = d.wait_exit(Millis(60000));
    INFO(d.log());
    REQUIRE(code.has_value());
    CHECK(*code == 1);  // not killed by SIGXFSZ (128 + 25)
    const std::string log = d.log();
    CHECK(log.find("database " + spool.db + ": a checkpoint failed to commit") !=
          std::string::npos);
    CHECK(log.find("File too large") != std::string::npos);
    CHECK(log.find("exiting with status 1 without a last checkpoint") != std::string::npos);
  }
  // What was committed agrees with itself, and ingest stopped midway.
  const long long before = spool.check_consistent();
  CHECK_FALSE(spool.all_read());
  INFO("exercises committed before the disk filled: " << before);

  // Room again: the restart resumes from the last good checkpoint.
  {
    Launched d(dir.path(), {"run", "--config", config}, "daemon2.log");
    REQUIRE(d.wait_ready());
    REQUIRE(eventually([&] { return spool.all_read(); }, Millis(60000)));
    d.signal(SIGTERM);
    REQUIRE(d.wait_exit() == 0);
  }
  CHECK(spool.check_consistent() > before);
  spool.check_equals_replay();
}

TEST_CASE("a read-only database: run, replay and ack refuse with a clear error",
          "[integration][daemon][faults]") {
  const bool root = ::geteuid() == 0;
  if (root && !can_drop_root()) {
    WARN("skipped: running as root without /usr/bin/setpriv");
    return;
  }
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  write_file(dir / "events.jsonl", event("r1", "exercise") + event("r2", "statement"));
  auto r = flashpoint("replay --quiet --rules rules --db fp.db events.jsonl", dir);
  REQUIRE(r.code == 0);
  const std::string db = dir / "fp.db";
  const std::string before = slurp(db);
  const std::string wal_before = slurp(db + "-wal");
  REQUIRE(sql_int(db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == 1);
  // As root, the unprivileged user may read (not write) the folder and
  // its files; otherwise the folder and the file lose their write bits.
  if (root) {
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  } else {
    std::filesystem::permissions(db, std::filesystem::perms(0444));
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0555));
  }
  const auto config = write_config(dir, R"(
[http]
listen = "127.0.0.1:0"
)");
  const Launch as_user{.unprivileged = true};
  {
    Launched d(dir.path(), {"run", "--config", config}, "run.log", as_user);
    const auto code = d.wait_exit();
    INFO(d.log());
    CHECK(code == 2);
    CHECK(d.log().find("database " + db + ": I/O error: cannot write " + db +
                       ": the file is read-only") != std::string::npos);
  }
  {
    Launched p(dir.path(), {"replay", "--quiet", "--rules", "rules", "--db", db, "events.jsonl"},
               "replay.log", as_user);
    const auto code = p.wait_exit();
    INFO(p.log());
    CHECK(code == 2);
    CHECK(p.log().find("flashpoint replay: " + db + ": I/O error: cannot write " + db) !=
          std::string::npos);
  }
  {
    Launched p(dir.path(), {"ack", "--db", db, "1", "--note", "x"}, "ack.log", as_user);
    const auto code = p.wait_exit();
    INFO(p.log());
    CHECK(code == 2);
    CHECK(p.log().find("flashpoint ack: " + db + ": I/O error: cannot write " + db) !=
          std::string::npos);
  }
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  std::filesystem::permissions(db, std::filesystem::perms(0644));
  CHECK(slurp(db) == before);  // nothing changed
  CHECK(slurp(db + "-wal") == wal_before);
}

TEST_CASE("a database locked for less than busy_timeout_ms delays commits and loses nothing",
          "[integration][daemon][faults]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  Spool spool(dir, 3, 1000);
  const auto config = spool_config(dir, spool.inbox);
  Launched d(dir.path(), {"run", "--config", config}, "daemon.log");
  REQUIRE(d.wait_ready());
  const int web = d.port("http");
  {
    Connection other(spool.db);
    REQUIRE(other.exec("BEGIN EXCLUSIVE"));
    drop_file(spool.inbox, spool.names[0], spool.texts[0]);
    std::string body;
    for (int i = 0; i < 50; ++i) body += event("h" + std::to_string(i), "exercise");
    // Catch2 assertions are not thread-safe: the poster only records the
    // reply; it is checked after the join (ThreadSanitizer, make test-tsan).
    HttpResponse reply;
    std::thread poster([&] { reply = http(web, "POST", "/events", body); });
    std::this_thread::sleep_for(Millis(1500));
    CHECK(sql_int(spool.db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == 0);
    REQUIRE(other.exec("COMMIT"));
    poster.join();
    CHECK(reply.status == 200);
    CHECK(reply.body.find(R"("events":50,"duplicates":0,"rejected":0)") != std::string::npos);
  }
  drop_file(spool.inbox, spool.names[1], spool.texts[1]);
  drop_file(spool.inbox, spool.names[2], spool.texts[2]);
  REQUIRE(eventually([&] { return spool.all_read(); }));
  d.signal(SIGTERM);
  REQUIRE(d.wait_exit() == 0);
  CHECK(d.log().find("[error]") == std::string::npos);
  CHECK(d.log().find("[critical]") == std::string::npos);
  const long long exercises = spool.check_consistent();
  CHECK(sql_int(spool.db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == exercises + 50);
}

TEST_CASE("a database locked for longer stops the daemon, nothing acknowledged is lost",
          "[integration][daemon][faults]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  Spool spool(dir, 2, 1000);
  const auto config = spool_config(dir, spool.inbox, "busy_timeout_ms = 200\n");
  std::string body;
  for (int i = 0; i < 50; ++i) body += event("h" + std::to_string(i), "exercise");

  drop_file(spool.inbox, spool.names[0], spool.texts[0]);
  {
    Launched d(dir.path(), {"run", "--config", config}, "daemon1.log");
    REQUIRE(d.wait_ready());
    const int web = d.port("http");
    REQUIRE(eventually(
        [&] { return spool.offset(0) == static_cast<long long>(spool.texts[0].size()); }));
    Connection other(spool.db);
    REQUIRE(other.exec("BEGIN EXCLUSIVE"));
    drop_file(spool.inbox, spool.names[1], spool.texts[1]);
    // Not committed, so not acknowledged: no 200 (the daemon stops).
    const auto reply = http(web, "POST", "/events", body);
    CHECK(reply.status != 200);
    const auto code = d.wait_exit(Millis(20000));
    INFO(d.log());
    CHECK(code == 1);
    const std::string log = d.log();
    CHECK(log.find("database " + spool.db + ": a checkpoint failed to commit") !=
          std::string::npos);
    CHECK(log.find("database is locked") != std::string::npos);
    REQUIRE(other.exec("COMMIT"));
  }
  // The first file, committed before the lock, is all there; the second
  // file and the body are not (nothing past the last good checkpoint).
  spool.check_consistent();
  CHECK(spool.offset(1) < static_cast<long long>(spool.texts[1].size()));
  CHECK(sql_int(spool.db,
                "SELECT count(*) FROM alerts a JOIN alert_evidence e ON e.alert_id = "
                "a.id WHERE e.event_id LIKE 'h%'") == 0);

  // A restart reads the rest; the client's retry of the body is taken once.
  {
    Launched d(dir.path(), {"run", "--config", config}, "daemon2.log");
    REQUIRE(d.wait_ready());
    const auto reply = http(d.port("http"), "POST", "/events", body);
    CHECK(reply.status == 200);
    CHECK(reply.body.find(R"("events":50,"duplicates":0,"rejected":0)") != std::string::npos);
    REQUIRE(eventually([&] { return spool.all_read(); }));
    d.signal(SIGTERM);
    REQUIRE(d.wait_exit() == 0);
  }
  const long long exercises = spool.check_consistent();
  CHECK(sql_int(spool.db, "SELECT count(*) FROM alerts WHERE rule_id = 'E'") == exercises + 50);
  CHECK(sql_int(spool.db,
                "SELECT count(DISTINCT event_id) FROM alert_evidence WHERE event_id "
                "LIKE 'h%'") == 50);
}

TEST_CASE("replay on a full disk reports the failure and saves no state past it",
          "[integration][faults]") {
  TempDir dir;
  write_file(dir / "rules/r.toml", kRules);
  std::string text;
  for (int i = 0; i < 8; ++i) text += make_file(i, 1000);
  write_file(dir / "events.jsonl", text);
  Launched p(dir.path(), {"replay", "--quiet", "--rules", "rules", "--db", "fp.db", "events.jsonl"},
             "replay.log", Launch{.max_file_bytes = 1024 * 1024});
  const auto code = p.wait_exit(Millis(60000));
  INFO(p.log());
  CHECK(code == 2);  // not killed by SIGXFSZ
  CHECK(p.log().find("flashpoint replay: writing fp.db failed: ") != std::string::npos);
  CHECK(p.log().find("File too large") != std::string::npos);
  // Nothing after the first failed transaction was written: no engine
  // state, so a second replay does not resume past lost alerts.
  CHECK(sql_int(dir / "fp.db", "SELECT count(*) FROM engine_state") == 0);
}
