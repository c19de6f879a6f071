// The store's Database: opening, WAL, the versioned schema, read-only access.
#include <catch2/catch.hpp>
#include <filesystem>

#include "test_store_util.hpp"

using namespace flashpoint;
using namespace flashpoint::store;
using namespace fp_store_test;

TEST_CASE("read_write open creates the file, its folder and the schema", "[store]") {
  TempDir dir;
  const std::string path = dir.file("nested/deeper/fp.db");
  auto db = Database::open(path, OpenMode::read_write);
  REQUIRE(db.ok());
  CHECK(std::filesystem::exists(path));
  CHECK(db->schema_version() == kSchemaVersion);
  CHECK(query_int(*db, "PRAGMA user_version") == kSchemaVersion);
  CHECK(query_text(*db, "PRAGMA journal_mode") == "wal");
  CHECK(query_int(*db, "PRAGMA foreign_keys") == 1);
  CHECK(query_int(*db, "PRAGMA synchronous") == 1);  // NORMAL
  CHECK(query_int(*db, "PRAGMA busy_timeout") == 5000);
  for (std::string_view table : table_names()) {
    CHECK(query_int(*db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                             std::string(table) + "'") == 1);
  }
  for (const char* index :
       {"alerts_by_time", "alerts_by_rule", "alerts_severe", "alerts_closed", "alert_log_by_alert",
        "tension_by_cause", "v_alerts", "v_open_alerts", "v_tension_latest"}) {
    CHECK(query_int(*db, std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + index +
                             "'") == 1);
  }
}

TEST_CASE("migrations are ordered and end at kSchemaVersion", "[store]") {
  int previous = 0;
  for (const Migration& m : migrations()) {
    CHECK(m.version > previous);
    previous = m.version;
  }
  CHECK(previous == kSchemaVersion);
}

TEST_CASE("reopening keeps data and does not migrate again", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  {
    auto w = make_writer(path);
    Event e = make_event("wire", "e1", kT0);
    fire(*w, make_alert("r/one", Severity::high, kT0), {&e});
    REQUIRE(w->flush().ok());
  }
  Database db = open_rw(path);
  CHECK(db.schema_version() == kSchemaVersion);
  CHECK(*alert_count(db) == 1);
  CHECK(*event_count(db) == 1);
  Database ro = open_ro(path);
  CHECK(*alert_count(ro) == 1);
}

TEST_CASE("a database with a newer schema version is refused", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  {
    Database db = open_rw(path);
    REQUIRE(db.exec(cat("PRAGMA user_version = ", kSchemaVersion + 1)).ok());
  }
  for (OpenMode mode : {OpenMode::read_write, OpenMode::read_only}) {
    auto db = Database::open(path, mode);
    REQUIRE_FALSE(db.ok());
    CHECK(db.status().code() == StatusCode::schema_too_new);
    CHECK_THAT(db.status().message(), Catch::Contains("newer"));
  }
}

TEST_CASE("a foreign SQLite file is not migrated", "[store]") {
  TempDir dir;
  const std::string path = dir.file("other.db");
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "CREATE TABLE notes (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto rw = Database::open(path, OpenMode::read_write);
  REQUIRE_FALSE(rw.ok());
  CHECK(rw.status().code() == StatusCode::schema_mismatch);
  auto ro = Database::open(path, OpenMode::read_only);
  REQUIRE_FALSE(ro.ok());
  CHECK(ro.status().code() == StatusCode::schema_mismatch);
}

TEST_CASE("a file that is not SQLite is an error, not a crash", "[store]") {
  TempDir dir;
  const std::string path = dir.file("junk.db");
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fputs("this is not a database, just some text long enough to look like a header.....", f);
    std::fclose(f);
  }
  auto db = Database::open(path, OpenMode::read_write);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == StatusCode::sqlite_error);
}

TEST_CASE("read_only open of a missing file fails and creates nothing", "[store]") {
  TempDir dir;
  const std::string path = dir.file("missing/fp.db");
  auto db = Database::open(path, OpenMode::read_only);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == StatusCode::not_found);
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(dir.file("missing")));
}

TEST_CASE("a read-only database refuses writes", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  { Database db = open_rw(path); }
  Database ro = open_ro(path);
  CHECK(ro.mode() == OpenMode::read_only);
  CHECK_FALSE(ro.exec("DELETE FROM alerts").ok());
  CHECK(set_alert_status(ro, 1, "acked", std::nullopt, "ana").code() ==
        StatusCode::invalid_argument);
  CHECK(AlertWriter::create(std::move(ro)).status().code() == StatusCode::invalid_argument);
}

TEST_CASE("readers see committed data while the writer holds a transaction", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  Database writer = open_rw(path);
  REQUIRE(writer
              .exec("INSERT INTO alerts (rule_id, severity, severity_rank, title, message, "
                    "event_time, event_time_us, fired_at) VALUES ('r/a', 'low', 1, 't', 'm', "
                    "'2024-01-01T00:00:00Z', 0, '2024-01-01T00:00:00Z')")
              .ok());
  // The writer opens a write transaction and leaves it open.
  REQUIRE(writer
              .exec("BEGIN IMMEDIATE; INSERT INTO alerts (rule_id, severity, severity_rank, "
                    "title, message, event_time, event_time_us, fired_at) VALUES ('r/b', 'low', "
                    "1, 't', 'm', '2024-01-01T00:00:00Z', 1, '2024-01-01T00:00:00Z')")
              .ok());
  DatabaseOptions no_wait;
  no_wait.busy_timeout_ms = 0;  // any lock wait would fail at once
  auto reader = Database::open(path, OpenMode::read_only, no_wait);
  REQUIRE(reader.ok());
  auto rows = query_alerts(*reader, {});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().rule_id == "r/a");

  // A reader inside a read transaction does not block the commit.
  REQUIRE(reader->exec("BEGIN; SELECT count(*) FROM alerts;").ok());
  REQUIRE(writer.exec("COMMIT").ok());
  CHECK(query_int(*reader, "SELECT count(*) FROM alerts") == 1);  // its snapshot
  REQUIRE(reader->exec("COMMIT").ok());
  CHECK(*alert_count(*reader) == 2);
}

TEST_CASE("Status and Result carry codes and messages", "[store]") {
  Status ok;
  CHECK(ok.ok());
  CHECK(ok.to_string() == "ok");
  Status bad(StatusCode::not_found, "no alert with id 3");
  CHECK_FALSE(bad.ok());
  CHECK(bad.to_string() == "not found: no alert with id 3");
  Result<int> r = 5;
  CHECK(r.ok());
  CHECK(*r == 5);
  Result<int> e = bad;
  CHECK_FALSE(e.ok());
  CHECK(e.status().code() == StatusCode::not_found);
  Result<int> odd = Status{};
  CHECK_FALSE(odd.ok());
}

TEST_CASE("row_count accepts only the schema's tables", "[store]") {
  TempDir dir;
  Database db = open_rw(dir.file("fp.db"));
  CHECK(*row_count(db, "runs") == 0);
  auto bad = row_count(db, "alerts; DROP TABLE alerts");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::invalid_argument);
}

TEST_CASE("a version 1 database is migrated to the current schema, keeping its alerts", "[store]") {
  TempDir dir;
  const std::string path = dir.file("v1.db");
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  const std::string v1(migrations()[0].sql);
  REQUIRE(sqlite3_exec(raw, v1.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw,
                       "INSERT INTO alerts (rule_id, severity, severity_rank, title, message, "
                       "event_time, event_time_us, fired_at) VALUES ('r/one', 'high', 3, 't', "
                       "'m', '2024-01-01T00:00:00Z', 1704067200000000, '2024-01-01T00:00:00Z');"
                       "INSERT INTO tension (pair, time_us, time, score) VALUES ('CHN-JPN', 1, "
                       "'1970-01-01T00:00:00.000001Z', 2.5);"
                       "PRAGMA user_version = 1;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  {
    auto ro = Database::open(path, OpenMode::read_only);  // a reader does not migrate
    REQUIRE_FALSE(ro.ok());
  }
  Database db = open_rw(path);
  CHECK(db.schema_version() == kSchemaVersion);
  CHECK(*alert_count(db) == 1);
  CHECK(query_int(db, "SELECT count(*) FROM v_open_alerts") == 1);
  CHECK(query_text(db, "SELECT rule_id || weight FROM tension") == "0.0");
  REQUIRE(set_alert_status(db, 1, "acked", std::nullopt, "ana").ok());
  CHECK(*row_count(db, "alert_log") == 1);
}
