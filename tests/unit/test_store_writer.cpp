// AlertWriter: alerts, evidence and events, ordering, flush, the records
// written beside alerts.
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "test_store_util.hpp"

using namespace flashpoint;
using namespace flashpoint::store;
using namespace fp_store_test;

TEST_CASE("an alert is stored with its evidence and the evidence events", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  FakeClock clock;
  AlertWriterOptions options;
  options.clock = clock.fn();
  auto w = make_writer(path, options);
  Event a = make_event("wire", "e1", kT0);
  Event b = make_event("wire", "e2", kT0 + kDay);
  Event c = make_event("gdelt", "e1", kT0 + 2 * kDay, "statement");
  Alert alert = make_alert("seq/one", Severity::critical, kT0 + 2 * kDay, "it fired", "CHN|JPN");
  alert.depth = 2;
  fire(*w, alert, {&a, &b, &c});
  REQUIRE(w->flush().ok());

  Database db = open_ro(path);
  auto rows = query_alerts(db, {});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  const AlertRow& r = rows->front();
  CHECK(r.id == 1);
  CHECK(r.rule_id == "seq/one");
  CHECK(r.severity == "critical");
  CHECK(r.title == "Title of seq/one");
  CHECK(r.message == "it fired");
  CHECK(r.key == "CHN|JPN");
  CHECK(r.event_time == "2024-01-03T00:00:00Z");
  CHECK(r.event_time_us == kT0 + 2 * kDay);
  CHECK(r.fired_at == format_time(clock.now.load()));
  CHECK(r.status == "open");
  CHECK_FALSE(r.note.has_value());
  CHECK(r.depth == 2);
  CHECK(r.evidence == std::vector<std::string>{"e1", "e2", "e1"});
  CHECK(r.evidence_sources == std::vector<std::string>{"wire", "wire", "gdelt"});
  CHECK(query_int(db, "SELECT severity_rank FROM alerts") == 4);
  CHECK(query_text(db, "SELECT group_concat(seq) FROM alert_evidence") == "0,1,2");
  CHECK(*event_count(db) == 3);
  CHECK(query_text(db, "SELECT raw FROM events WHERE source = 'gdelt' AND event_id = 'e1'") ==
        c.raw);
  CHECK(query_text(db, "SELECT kind FROM events WHERE source = 'gdelt'") == "statement");
  CHECK(query_int(db, "SELECT time_us FROM events WHERE event_id = 'e2'") == kT0 + kDay);
}

TEST_CASE("an event that is evidence of two alerts is stored once", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  auto w = make_writer(path);
  Event shared = make_event("wire", "s1", kT0);
  Event other = make_event("wire", "s2", kT0 + 1);
  fire(*w, make_alert("r/a", Severity::low, kT0), {&shared});
  REQUIRE(w->flush().ok());  // and across transactions
  fire(*w, make_alert("r/b", Severity::low, kT0 + 1), {&shared, &other});
  fire(*w, make_alert("r/c", Severity::low, kT0 + 1), {&other});
  REQUIRE(w->flush().ok());
  Database db = open_ro(path);
  CHECK(*alert_count(db) == 3);
  CHECK(*event_count(db) == 2);
  CHECK(*row_count(db, "alert_evidence") == 4);
}

TEST_CASE("an evidence event without raw text is stored rendered", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  auto w = make_writer(path);
  Event e = make_event("engine", "alert-1", kT0, "alert");
  e.raw.clear();
  fire(*w, make_alert("r/a", Severity::low, kT0), {&e});
  REQUIRE(w->flush().ok());
  Database db = open_ro(path);
  CHECK(query_text(db, "SELECT raw FROM events") == e.to_json());
}

TEST_CASE("record_rules stores versions and alerts carry their rule's hash", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  auto w = make_writer(path);
  std::vector<RuleInfo> v1 = {make_rule("r/a", "h1", {"C1", "C6"}, {"china"}),
                              make_rule("r/b", "hb", {}, {})};
  w->record_rules(v1);
  Alert a = make_alert("r/a", Severity::high, kT0);
  a.rule_index = 0;
  Event e = make_event("wire", "e1", kT0);
  fire(*w, a, {&e});
  // A reload changes r/a; recording the same versions again is harmless.
  std::vector<RuleInfo> v2 = {make_rule("r/a", "h2", {"C2"}, {"korea"}),
                              make_rule("r/b", "hb", {}, {})};
  w->record_rules(v2);
  w->record_rules(v2);
  a.rule_index = 5;  // a stale index falls back to the id
  fire(*w, a, {&e});
  fire(*w, make_alert("tension/high", Severity::high, kT0), {&e});
  REQUIRE(w->flush().ok());

  Database db = open_ro(path);
  CHECK(*row_count(db, "rules") == 3);
  auto rows = query_alerts(db, {});
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0].rule_hash == "h1");
  CHECK((*rows)[0].claims == std::vector<std::string>{"C1", "C6"});
  CHECK((*rows)[0].tags == std::vector<std::string>{"china"});
  CHECK((*rows)[1].rule_hash == "h2");
  CHECK((*rows)[1].claims == std::vector<std::string>{"C2"});
  CHECK((*rows)[2].rule_hash.empty());
  CHECK((*rows)[2].claims.empty());

  auto rule = get_rule(db, "r/a", "h1");
  REQUIRE(rule.ok());
  REQUIRE(rule->has_value());
  const RuleVersion& rv = **rule;
  CHECK(rv.title == "Title of r/a");
  CHECK(rv.severity == "high");
  CHECK(rv.rationale == "C6: because");
  CHECK(rv.message == "{actors} did it");
  CHECK(rv.file == "rules/test.toml");
  CHECK(rv.line == 7);
  CHECK(rv.definition == "when = 'kind == \"exercise\"' # h1");
  CHECK_FALSE(rv.first_seen.empty());
  CHECK(query_text(db, "SELECT claims FROM rules WHERE hash = 'h1'") == R"(["C1","C6"])");
  auto newest = get_rule(db, "r/a", "");
  REQUIRE(newest->has_value());
  CHECK((*newest)->hash == "h2");
  CHECK_FALSE(get_rule(db, "r/a", "nope")->has_value());
}

TEST_CASE("flush waits for every queued write and reports counters", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  AlertWriterOptions options;
  options.batch_alerts = 7;
  options.max_queued_batches = 2;
  auto w = make_writer(path, options);
  Database reader = open_ro(path);
  Event e = make_event("wire", "e", kT0);
  for (int round = 1; round <= 3; ++round) {
    for (int i = 0; i < 100; ++i) fire(*w, make_alert("r/a", Severity::low, kT0 + i), {&e});
    REQUIRE(w->flush().ok());
    CHECK(*alert_count(reader) == 100 * round);
  }
  const AlertWriterStats s = w->stats();
  CHECK(s.queued_alerts == 300);
  CHECK(s.committed_alerts == 300);
  CHECK(s.batches_committed >= 300 / 7);
  CHECK(s.failed_batches == 0);
  CHECK(s.dropped_alerts == 0);
  CHECK(s.max_depth >= 1);
  CHECK(s.max_depth <= 300);
  REQUIRE(w->flush().ok());  // nothing queued: returns at once
  CHECK(w->stats().batches_committed == s.batches_committed);
}

TEST_CASE("the destructor flushes", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  {
    AlertWriterOptions options;
    options.batch_alerts = 16;
    auto w = make_writer(path, options);
    Event e = make_event("wire", "e", kT0);
    for (int i = 0; i < 1000; ++i) fire(*w, make_alert("r/a", Severity::low, kT0 + i), {&e});
    w->write_feed_offset("wire", "wire.jsonl", 4242);
  }
  Database db = open_ro(path);
  CHECK(*alert_count(db) == 1000);
  CHECK(**feed_offset(db, "wire", "wire.jsonl") == 4242);
}

TEST_CASE("producers on several threads lose nothing", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  AlertWriterOptions options;
  options.batch_alerts = 5;
  options.max_queued_batches = 1;  // forces producers to wait
  auto w = make_writer(path, options);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        const std::string name = std::to_string(t);
        Event e = make_event(name, std::to_string(i), kT0 + i);
        fire(*w, make_alert(name, Severity::low, kT0 + i), {&e});
      }
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE(w->flush().ok());
  Database db = open_ro(path);
  CHECK(*alert_count(db) == 1000);
  CHECK(*event_count(db) == 1000);
  CHECK(w->stats().committed_alerts == 1000);
}

TEST_CASE("a feed offset is never committed before the alerts queued before it", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  std::mutex mu;
  std::vector<std::string> violations;
  int checks = 0;
  AlertWriterOptions options;
  options.batch_alerts = 3;
  // After each commit, every committed offset N must have its N alerts.
  options.after_commit = [&] {
    Database db = open_ro(path);
    auto offset = feed_offset(db, "wire", "f");
    auto count = alert_count(db);
    std::lock_guard lock(mu);
    ++checks;
    if (offset.ok() && offset->has_value() && count.ok() && **offset > *count) {
      violations.push_back(std::to_string(**offset) + cat(" > ", *count));
    }
  };
  {
    auto w = make_writer(path, options);
    Event e = make_event("wire", "e", kT0);
    for (int i = 1; i <= 200; ++i) {
      fire(*w, make_alert("r/a", Severity::low, kT0 + i), {&e});
      w->write_feed_offset("wire", "f", i);
    }
    REQUIRE(w->flush().ok());
  }
  CHECK(checks > 1);
  CHECK(violations.empty());
  Database db = open_ro(path);
  CHECK(**feed_offset(db, "wire", "f") == 200);
  auto offsets = feed_offsets(db);
  REQUIRE(offsets->size() == 1);
  CHECK(offsets->front().feed == "wire");
  CHECK(offsets->front().file == "f");
  CHECK_FALSE(offsets->front().updated_at.empty());
}

TEST_CASE("engine state round-trips, binary and replaced", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  const char raw_blob[] = "state\0with\xff\x01 bytes";
  const std::string blob(raw_blob, sizeof raw_blob - 1);
  {
    auto w = make_writer(path);
    w->write_engine_state("engine", "old");
    w->write_engine_state("engine", blob);
    const FeedOffset offsets[] = {{"wire", "a.jsonl", 10, ""}, {"gdelt", "", 99, ""}};
    w->write_checkpoint("other", "x", offsets);
  }
  Database db = open_ro(path);
  auto state = engine_state(db, "engine");
  REQUIRE(state.ok());
  REQUIRE(state->has_value());
  CHECK(**state == blob);
  CHECK(**engine_state(db, "other") == "x");
  CHECK_FALSE(engine_state(db, "missing")->has_value());
  CHECK(**feed_offset(db, "gdelt", "") == 99);
  CHECK(**feed_offset(db, "wire", "a.jsonl") == 10);
  CHECK_FALSE(feed_offset(db, "wire", "b.jsonl")->has_value());
}

TEST_CASE("dead letters are stored in order, long lines truncated", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  FakeClock clock;
  {
    AlertWriterOptions options;
    options.clock = clock.fn();
    options.max_dead_letter_raw = 16;
    auto w = make_writer(path, options);
    w->write_dead_letter({0, "wire", 3, 120, "not JSON", "{oops", ""});
    w->write_dead_letter({0, "wire", 9, 400, "missing 'id'", std::string(100, 'x'), ""});
  }
  Database db = open_ro(path);
  CHECK(*dead_letter_count(db) == 2);
  auto letters = dead_letters(db);
  REQUIRE(letters->size() == 2);
  const DeadLetter& first = (*letters)[0];
  CHECK(first.id == 1);
  CHECK(first.feed == "wire");
  CHECK(first.line == 3);
  CHECK(first.byte_offset == 120);
  CHECK(first.reason == "not JSON");
  CHECK(first.raw == "{oops");
  CHECK(first.received_at == format_time(clock.now.load()));
  CHECK((*letters)[1].raw == std::string(16, 'x'));
  CHECK(dead_letters(db, 1)->size() == 1);
}

TEST_CASE("run summaries and tension points are stored", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  {
    auto w = make_writer(path);
    w->write_run({0, kT0, kT0 + kHour, "replay --rules rules x.jsonl", 1000, 12, 3, 4});
    w->write_tension({"CHN-JPN", kT0 + kDay, 12.5, "elevated"});
    w->write_tension({"CHN-JPN", kT0, 3.0, ""});
    w->write_tension({"CHN-AUS", kT0, 1.0, ""});
    AlertSink& sink = *w;  // the engine reports tension through its sink
    TensionChange change;
    change.pair = "CHN-KOR";
    change.time = kT0 + kDay;
    change.score = 2.5;
    sink.on_tension(change);
  }
  Database db = open_ro(path);
  auto rs = runs(db);
  REQUIRE(rs->size() == 1);
  const RunSummary& r = rs->front();
  CHECK(r.id == 1);
  CHECK(r.started_at == kT0);
  CHECK(r.finished_at == kT0 + kHour);
  CHECK(r.command == "replay --rules rules x.jsonl");
  CHECK(r.events == 1000);
  CHECK(r.alerts == 12);
  CHECK(r.dead_letters == 3);
  CHECK(r.duplicates == 4);
  auto jpn = tension_points(db, "CHN-JPN");
  REQUIRE(jpn->size() == 2);
  CHECK((*jpn)[0].time == kT0);
  CHECK((*jpn)[1].score == 12.5);
  CHECK((*jpn)[1].level == "elevated");
  CHECK(tension_points(db, "")->size() == 4);
  auto kor = tension_points(db, "CHN-KOR");
  REQUIRE(kor->size() == 1);
  CHECK(kor->front().score == 2.5);
  CHECK(kor->front().time == kT0 + kDay);
  CHECK(query_text(db, "SELECT time FROM tension WHERE level = 'elevated'") ==
        "2024-01-02T00:00:00Z");
}

TEST_CASE("the store's time text matches the engine's format_time", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  const TimeUs times[] = {0,
                          kT0,
                          kT0 + 1,
                          kT0 + 59 * kSecond + 999'999,
                          951'782'400LL * kSecond + 12 * kHour,  // 2000-02-29T12:00:00Z
                          253'402'300'799LL * kSecond};          // 9999-12-31T23:59:59Z
  {
    auto w = make_writer(path);
    for (TimeUs t : times) w->write_tension({"P", t, 0, ""});
  }
  Database db = open_ro(path);
  auto points = tension_points(db, "P");
  REQUIRE(points->size() == std::size(times));
  for (std::size_t i = 0; i < std::size(times); ++i) {
    INFO("t = " << times[i]);
    CHECK(query_text(db, cat("SELECT time FROM tension WHERE id = ", i + 1)) ==
          format_time(times[i]));
  }
}
