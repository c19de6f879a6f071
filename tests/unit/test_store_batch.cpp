// AlertWriter batches: multi-row inserts, id assignment, lock waits and
// failures.
#include <catch2/catch.hpp>

#include <thread>

#include "test_store_util.hpp"

using namespace flashpoint;
using namespace flashpoint::store;
using namespace fp_store_test;

TEST_CASE("a large batch keeps alert ids, evidence order and events straight", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  auto w = make_writer(path);
  // Hold the write lock so the alerts below pile up in one batch.
  Database other = open_rw(path);
  REQUIRE(other.exec("BEGIN EXCLUSIVE").ok());
  std::vector<Event> events;
  for (int i = 0; i < 40; ++i) events.push_back(make_event("wire", "e" + std::to_string(i), kT0));
  const int n = 101;
  for (int i = 0; i < n; ++i) {
    std::vector<const Event*> evidence;
    for (int k = 0; k < i % 4; ++k) evidence.push_back(&events[(i + k) % events.size()]);
    w->on_alert(make_alert("r/" + std::to_string(i), Severity::low, kT0 + i), evidence);
  }
  REQUIRE(other.exec("COMMIT").ok());
  REQUIRE(w->flush().ok());
  CHECK(w->stats().committed_alerts == n);

  Database db = open_ro(path);
  auto rows = query_alerts(db, {});
  REQUIRE(rows->size() == n);
  for (int i = 0; i < n; ++i) {
    const AlertRow& r = (*rows)[static_cast<std::size_t>(i)];
    INFO("alert " << i);
    CHECK(r.id == i + 1);
    CHECK(r.rule_id == "r/" + std::to_string(i));
    std::vector<std::string> expected;
    for (int k = 0; k < i % 4; ++k) expected.push_back("e" + std::to_string((i + k) % 40));
    CHECK(r.evidence == expected);
  }
  CHECK(*event_count(db) == 40);
}

TEST_CASE("the writer waits for a lock another connection holds briefly", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  auto w = make_writer(path);
  Database other = open_rw(path);
  REQUIRE(other.exec("BEGIN EXCLUSIVE").ok());
  Event e = make_event("wire", "e", kT0);
  fire(*w, make_alert("r/a", Severity::low, kT0), {&e});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(other.exec("COMMIT").ok());
  REQUIRE(w->flush().ok());
  CHECK(w->stats().committed_alerts == 1);
  CHECK(w->stats().failed_batches == 0);
}

TEST_CASE("a failing batch is rolled back, dropped, counted and reported once", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  AlertWriterOptions options;
  options.max_attempts = 2;
  auto w = make_writer(path, options);
  Event e = make_event("wire", "e", kT0);
  fire(*w, make_alert("r/a", Severity::low, kT0), {&e});
  REQUIRE(w->flush().ok());
  {
    Database other = open_rw(path);
    REQUIRE(other.exec("DROP TABLE alert_evidence").ok());
  }
  fire(*w, make_alert("r/b", Severity::low, kT0), {&e});
  Status st = w->flush();
  CHECK(st.code() == StatusCode::sqlite_error);
  CHECK_THAT(st.message(), Catch::Contains("alert_evidence"));
  CHECK(w->flush().ok());  // reported once
  const AlertWriterStats s = w->stats();
  CHECK(s.failed_batches == 1);
  CHECK(s.dropped_alerts == 1);
  CHECK(s.retries == 1);
  CHECK(s.committed_alerts == 1);
  Database db = open_ro(path);
  CHECK(*alert_count(db) == 1);  // r/b was rolled back
}

