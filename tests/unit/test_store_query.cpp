// Read-side queries: alert filters, ordering, lifecycle, `show` details.
#include <catch2/catch.hpp>

#include "test_store_util.hpp"

using namespace flashpoint;
using namespace flashpoint::store;
using namespace fp_store_test;

namespace {

std::vector<std::int64_t> ids(const Database& db, const AlertFilter& filter) {
  auto rows = query_alerts(db, filter);
  if (!rows.ok()) throw std::runtime_error(rows.status().to_string());
  std::vector<std::int64_t> out;
  for (const AlertRow& r : *rows) out.push_back(r.id);
  return out;
}

// Five alerts; ids 3 and 4 share an event time.
void fill(const std::string& path) {
  auto w = make_writer(path);
  w->record_rules({make_rule("nato-asia/summit", "hs", {"C1", "C3"}, {"nato-asia"})});
  Event e1 = make_event("wire", "e1", kT0 + kDay);
  Event e2 = make_event("wire", "e2", kT0 + 2 * kDay);
  Event e3 = make_event("wire", "e3", kT0 + 3 * kDay);
  fire(*w, make_alert("korea/arms", Severity::high, kT0 + kDay), {&e1});
  fire(*w, make_alert("nato-asia/presence", Severity::low, kT0 + 3 * kDay), {&e3});
  fire(*w, make_alert("nato-asia/summit", Severity::critical, kT0 + 2 * kDay), {&e1, &e2});
  fire(*w, make_alert("korea/dprk", Severity::medium, kT0 + 2 * kDay), {&e2});
  fire(*w, make_alert("tension/high", Severity::info, kT0 + 5 * kDay), {&e3});
  REQUIRE(w->flush().ok());
}

}  // namespace

TEST_CASE("alerts are ordered by event time, then id", "[store]") {
  TempDir dir;
  fill(dir.file("fp.db"));
  Database db = open_ro(dir.file("fp.db"));
  CHECK(ids(db, {}) == std::vector<std::int64_t>{1, 3, 4, 2, 5});
  CHECK(**newest_alert_time(db) == kT0 + 5 * kDay);
}

TEST_CASE("alert filters: since, severity, rule glob, id, limit", "[store]") {
  TempDir dir;
  fill(dir.file("fp.db"));
  Database db = open_ro(dir.file("fp.db"));
  AlertFilter f;
  f.since = kT0 + 2 * kDay;  // inclusive
  CHECK(ids(db, f) == std::vector<std::int64_t>{3, 4, 2, 5});
  f = {};
  f.min_severity = Severity::high;
  CHECK(ids(db, f) == std::vector<std::int64_t>{1, 3});
  f.since = kT0 + 2 * kDay;
  CHECK(ids(db, f) == std::vector<std::int64_t>{3});
  f = {};
  f.rule_glob = "nato-asia/*";
  CHECK(ids(db, f) == std::vector<std::int64_t>{3, 2});
  f.rule_glob = "korea/[ad]*";
  CHECK(ids(db, f) == std::vector<std::int64_t>{1, 4});
  f.rule_glob = "*/high";
  CHECK(ids(db, f) == std::vector<std::int64_t>{5});
  f.rule_glob = "NATO-ASIA/*";  // GLOB is case-sensitive
  CHECK(ids(db, f).empty());
  f = {};
  f.id = 2;
  CHECK(ids(db, f) == std::vector<std::int64_t>{2});
  f.id = 42;
  CHECK(ids(db, f).empty());
  f = {};
  f.limit = 2;  // the newest two, still ascending
  CHECK(ids(db, f) == std::vector<std::int64_t>{2, 5});
  f.min_severity = Severity::medium;
  CHECK(ids(db, f) == std::vector<std::int64_t>{3, 4});
}

TEST_CASE("alert lifecycle: ack, resolve, notes and the status filter", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  fill(path);
  {
    Database rw = open_rw(path);
    REQUIRE(set_alert_status(rw, 3, "acked", std::string("looking into it")).ok());
    REQUIRE(set_alert_status(rw, 1, "resolved", std::nullopt).ok());
    CHECK(set_alert_status(rw, 99, "acked", std::nullopt).code() == StatusCode::not_found);
    CHECK(set_alert_status(rw, 2, "closed", std::nullopt).code() == StatusCode::invalid_argument);
  }
  Database db = open_ro(path);
  AlertFilter f;
  f.status = "open";
  CHECK(ids(db, f) == std::vector<std::int64_t>{4, 2, 5});
  f.status = "acked";
  auto acked = query_alerts(db, f);
  REQUIRE(acked->size() == 1);
  CHECK(acked->front().id == 3);
  CHECK(acked->front().note == std::optional<std::string>("looking into it"));
  f.status = "resolved";
  CHECK(ids(db, f) == std::vector<std::int64_t>{1});
  f.status = "bogus";
  CHECK(query_alerts(db, f).status().code() == StatusCode::invalid_argument);
  {
    Database rw = open_rw(path);
    REQUIRE(set_alert_status(rw, 3, "resolved", std::nullopt).ok());  // keeps the note
  }
  auto three = get_alert(db, 3);
  REQUIRE(three.ok());
  CHECK(three->alert.status == "resolved");
  CHECK(three->alert.note == std::optional<std::string>("looking into it"));
}

TEST_CASE("get_alert returns the rule version and the evidence events", "[store]") {
  TempDir dir;
  fill(dir.file("fp.db"));
  Database db = open_ro(dir.file("fp.db"));
  auto d = get_alert(db, 3);
  REQUIRE(d.ok());
  CHECK(d->alert.rule_id == "nato-asia/summit");
  CHECK(d->alert.claims == std::vector<std::string>{"C1", "C3"});
  CHECK(d->alert.tags == std::vector<std::string>{"nato-asia"});
  REQUIRE(d->rule.has_value());
  CHECK(d->rule->hash == "hs");
  CHECK(d->rule->rationale == "C6: because");
  REQUIRE(d->events.size() == 2);
  CHECK(d->events[0].seq == 0);
  CHECK(d->events[0].event_id == "e1");
  CHECK(d->events[0].source == "wire");
  CHECK(d->events[0].time_us == kT0 + kDay);
  CHECK(d->events[0].kind == "exercise");
  CHECK(d->events[0].raw == make_event("wire", "e1", kT0 + kDay).raw);
  CHECK(d->events[1].event_id == "e2");

  auto no_rule = get_alert(db, 5);
  REQUIRE(no_rule.ok());
  CHECK_FALSE(no_rule->rule.has_value());
  CHECK(no_rule->alert.claims.empty());

  auto missing = get_alert(db, 99);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::not_found);
}

TEST_CASE("queries on an empty database", "[store]") {
  TempDir dir;
  { Database rw = open_rw(dir.file("fp.db")); }
  Database db = open_ro(dir.file("fp.db"));
  CHECK(query_alerts(db, {})->empty());
  CHECK(*alert_count(db) == 0);
  CHECK(*dead_letter_count(db) == 0);
  CHECK_FALSE(newest_alert_time(db)->has_value());
  CHECK(feed_offsets(db)->empty());
  CHECK(runs(db)->empty());
  CHECK(tension_points(db, "")->empty());
}
