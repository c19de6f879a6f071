// AlertWriter batches: multi-row inserts, id assignment, lock waits and
// failures.
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
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
  for (int i = 0; i < 40; ++i) events.push_back(make_event("wire", cat("e", i), kT0));
  const int n = 101;
  for (int i = 0; i < n; ++i) {
    std::vector<const Event*> evidence;
    for (int k = 0; k < i % 4; ++k) evidence.push_back(&events[(i + k) % events.size()]);
    w->on_alert(make_alert(cat("r/", i), Severity::low, kT0 + i), evidence);
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
    CHECK(r.rule_id == cat("r/", i));
    std::vector<std::string> expected;
    for (int k = 0; k < i % 4; ++k) expected.push_back(cat("e", (i + k) % 40));
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
  std::atomic<int> finished{0};
  options.after_commit = [&finished] { ++finished; };
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
  CHECK(finished == 2);  // the committed batch and the dropped one
  Database db = open_ro(path);
  CHECK(*alert_count(db) == 1);  // r/b was rolled back
}

TEST_CASE("checkpoint transactions: alerts commit with the next checkpoint", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  std::mutex mu;
  std::vector<std::string> mismatches;
  AlertWriterOptions options;
  options.checkpoint_transactions = true;
  options.batch_alerts = 2;  // does not split a checkpoint's transaction
  // After every commit, the stored offset equals the number of alerts.
  options.after_commit = [&] {
    Database db = open_ro(path);
    auto offset = feed_offset(db, "wire", "f");
    auto count = alert_count(db);
    std::lock_guard lock(mu);
    const std::int64_t committed = offset.ok() && offset->has_value() ? **offset : 0;
    if (!count.ok() || committed != *count) {
      mismatches.push_back(std::to_string(committed) + cat(" vs ", *count));
    }
  };
  auto w = make_writer(path, options);
  Database db = open_ro(path);
  Event e = make_event("wire", "e", kT0);
  std::int64_t fired = 0;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 10; ++i, ++fired) {
      fire(*w, make_alert("r/a", Severity::low, kT0 + fired), {&e});
    }
    w->write_dead_letter({0, "wire", fired, 0, "bad", "x", ""});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(*alert_count(db) == 10 * round);  // nothing commits on its own
    CHECK(*dead_letter_count(db) == round);
    const FeedOffset offsets[] = {{"wire", "f", fired, ""}};
    w->write_checkpoint("engine", cat("state ", round), offsets);
  }
  REQUIRE(w->flush().ok());
  CHECK(*alert_count(db) == 50);
  CHECK(*dead_letter_count(db) == 5);
  CHECK(**engine_state(db, "engine") == "state 4");
  CHECK(w->stats().batches_committed == 5);
  std::lock_guard lock(mu);
  CHECK(mismatches.empty());
}

TEST_CASE("checkpoint transactions: flush and the destructor commit the rest", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  AlertWriterOptions options;
  options.checkpoint_transactions = true;
  Event e = make_event("wire", "e", kT0);
  {
    auto w = make_writer(path, options);
    fire(*w, make_alert("r/a", Severity::low, kT0), {&e});
    w->write_feed_offset("wire", "f", 1);  // not a checkpoint: waits
    REQUIRE(w->flush().ok());
    Database db = open_ro(path);
    CHECK(*alert_count(db) == 1);
    CHECK(**feed_offset(db, "wire", "f") == 1);
    fire(*w, make_alert("r/a", Severity::low, kT0), {&e});
  }
  Database db = open_ro(path);
  CHECK(*alert_count(db) == 2);
}

TEST_CASE("the WAL is checkpointed into the database while the writer runs", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  auto w = make_writer(path);
  const std::string big(4000, 'x');
  for (int i = 0; i < 3000; ++i) {
    Event e = make_event("wire", cat("e", i), kT0 + i);
    e.raw = big;
    fire(*w, make_alert("r/a", Severity::low, kT0 + i), {&e});
  }
  REQUIRE(w->flush().ok());
  // ~12 MB went through the WAL; the checkpointer copies it into the file.
  std::uintmax_t size = 0;
  for (int tries = 0; tries < 100 && size < 8'000'000; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    size = std::filesystem::file_size(path);
  }
  CHECK(size >= 8'000'000);
  Database db = open_ro(path);
  CHECK(*event_count(db) == 3000);
}
