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
    REQUIRE(set_alert_status(rw, 3, "acked", std::string("looking into it"), "ana").ok());
    REQUIRE(set_alert_status(rw, 1, "resolved", std::nullopt, "ana").ok());
    CHECK(set_alert_status(rw, 99, "acked", std::nullopt, "ana").code() == StatusCode::not_found);
    CHECK(set_alert_status(rw, 2, "closed", std::nullopt, "ana").code() ==
          StatusCode::invalid_argument);
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
    REQUIRE(set_alert_status(rw, 3, "resolved", std::nullopt, "ana").ok());  // keeps the note
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

namespace {

// Alerts about different actors and regions, with the raw JSON the filters read.
void fill_about(const std::string& path) {
  auto w = make_writer(path);
  w->record_rules({make_rule("axis/arms", "h1", {"C2"}, {"axis", "russia"}),
                   make_rule("nato-asia/presence", "h2", {"C6", "C1"}, {"nato-asia"})});
  Event arms = make_event("wire", "a1", kT0, "arms_transfer");
  arms.raw = R"({"id":"a1","kind":"arms_transfer","supplier":"PRK","recipient":"RUS","actors":[]})";
  Event ex = make_event("wire", "x1", kT0 + kDay);
  ex.raw = R"({"id":"x1","kind":"exercise","actors":["GBR","JPN"],"region":"east_china_sea"})";
  Event broken = make_event("wire", "b1", kT0 + 2 * kDay);
  broken.raw = "not json";  // must not break the filters
  fire(*w, make_alert("axis/arms", Severity::high, kT0), {&arms});
  fire(*w, make_alert("nato-asia/presence", Severity::low, kT0 + kDay), {&ex});
  fire(*w, make_alert("nato-asia/presence", Severity::low, kT0 + 2 * kDay), {&broken});
  fire(*w, make_alert("tension/high", Severity::high, kT0 + 3 * kDay, "m", "CHN-JPN"), {&ex});
  REQUIRE(w->flush().ok());
}

}  // namespace

TEST_CASE("alert filters: claim, tag, actor, region, until", "[store]") {
  TempDir dir;
  fill_about(dir.file("fp.db"));
  Database db = open_ro(dir.file("fp.db"));
  AlertFilter f;
  f.claim = "C6";
  CHECK(ids(db, f) == std::vector<std::int64_t>{2, 3});
  f.claim = "C2";
  CHECK(ids(db, f) == std::vector<std::int64_t>{1});
  f.claim = "C9";
  CHECK(ids(db, f).empty());
  f = {};
  f.tag = "russia";
  CHECK(ids(db, f) == std::vector<std::int64_t>{1});
  f = {};
  f.actor = "PRK";  // a role field (supplier)
  CHECK(ids(db, f) == std::vector<std::int64_t>{1});
  f.actor = "RUS";  // recipient
  CHECK(ids(db, f) == std::vector<std::int64_t>{1});
  f.actor = "GBR";  // in actors
  CHECK(ids(db, f) == std::vector<std::int64_t>{2, 4});
  f.actor = "CHN";  // the tension alert's pair
  CHECK(ids(db, f) == std::vector<std::int64_t>{4});
  f.actor = "HN";  // no partial matches
  CHECK(ids(db, f).empty());
  f = {};
  f.region = "east_china_sea";
  CHECK(ids(db, f) == std::vector<std::int64_t>{2, 4});
  f.region = "black_sea";
  CHECK(ids(db, f).empty());
  f = {};
  f.since = kT0 + kDay;
  f.until = kT0 + 3 * kDay;  // exclusive
  CHECK(ids(db, f) == std::vector<std::int64_t>{2, 3});
  f.actor = "JPN";
  f.claim = "C1";
  CHECK(ids(db, f) == std::vector<std::int64_t>{2});
}

TEST_CASE("alert lifecycle history: who, when, from, to and note", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  fill(path);
  {
    Database rw = open_rw(path);
    REQUIRE(set_alert_status(rw, 2, "acked", std::string("checking"), "ana").ok());
    REQUIRE(set_alert_status(rw, 2, "resolved", std::nullopt, "ben").ok());
    REQUIRE(set_alert_status(rw, 2, "open", std::string("reopened: new report"), "ana").ok());
    // A failed change leaves no history.
    REQUIRE(set_alert_status(rw, 99, "acked", std::nullopt, "ana").code() == StatusCode::not_found);
  }
  Database db = open_ro(path);
  auto log = alert_log(db, 2);
  REQUIRE(log.ok());
  REQUIRE(log->size() == 3);
  CHECK((*log)[0].by == "ana");
  CHECK((*log)[0].from_status == "open");
  CHECK((*log)[0].to_status == "acked");
  CHECK((*log)[0].note == std::optional<std::string>("checking"));
  CHECK((*log)[1].by == "ben");
  CHECK((*log)[1].from_status == "acked");
  CHECK((*log)[1].to_status == "resolved");
  CHECK_FALSE((*log)[1].note.has_value());
  CHECK((*log)[2].to_status == "open");
  CHECK((*log)[0].at.size() >= 20);  // RFC 3339, wall clock
  CHECK(*row_count(db, "alert_log") == 3);
  auto d = get_alert(db, 2);
  REQUIRE(d.ok());
  CHECK(d->log.size() == 3);
  CHECK(d->alert.status == "open");
  CHECK(d->alert.note == std::optional<std::string>("reopened: new report"));
  CHECK(alert_log(db, 1)->empty());
}

TEST_CASE("get_alert reports the tension its rule added", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  {
    auto w = make_writer(path);
    Event e = make_event("wire", "e1", kT0);
    fire(*w, make_alert("axis/arms", Severity::high, kT0), {&e});
    AlertSink& sink = *w;
    TensionChange c;
    c.pair = "PRK-RUS";
    c.time = kT0;
    c.score = 14.5;
    c.level = "elevated";
    c.weight = 4.0;
    c.rule_id = "axis/arms";
    c.trigger = &e;
    sink.on_tension(c);
    c.pair = "KOR-PRK";
    c.score = 4.0;
    c.level = "";
    sink.on_tension(c);
    c.rule_id = "other/rule";  // another rule on the same event: not this alert's
    c.pair = "CHN-PRK";
    sink.on_tension(c);
    TensionChange decay;  // a decay-only check names no rule
    decay.pair = "PRK-RUS";
    decay.time = kT0;
    decay.score = 14.0;
    sink.on_tension(decay);
    REQUIRE(w->flush().ok());
  }
  Database db = open_ro(path);
  auto d = get_alert(db, 1);
  REQUIRE(d.ok());
  REQUIRE(d->tension.size() == 2);
  CHECK(d->tension[0].pair == "KOR-PRK");
  CHECK(d->tension[0].weight == 4.0);
  CHECK(d->tension[0].level.empty());
  CHECK(d->tension[1].pair == "PRK-RUS");
  CHECK(d->tension[1].score == 14.5);
  CHECK(d->tension[1].level == "elevated");
  auto points = tension_points(db, "PRK-RUS");
  REQUIRE(points->size() == 2);
  CHECK(points->front().rule_id == "axis/arms");
  CHECK(points->front().event_id == "e1");
  CHECK(points->back().weight == 0.0);
}

TEST_CASE("the SQL views give sqlite3 users the CLI's picture", "[store]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  fill(path);
  {
    auto w = make_writer(path);
    w->write_tension({"CHN-JPN", kT0, 12.0, "elevated"});
    w->write_tension({"CHN-JPN", kT0 + kDay, 30.0, "high"});
    w->write_tension({"CHN-JPN", kT0 + 2 * kDay, 20.0, "high"});
    w->write_tension({"CHN-KOR", kT0, 3.0, ""});
    REQUIRE(w->flush().ok());
    Database rw = open_rw(path);
    REQUIRE(set_alert_status(rw, 1, "acked", std::nullopt, "ana").ok());
  }
  Database db = open_ro(path);
  CHECK(query_text(db, "SELECT claims FROM v_alerts WHERE id = 3") == R"(["C1","C3"])");
  CHECK(query_text(db, "SELECT evidence FROM v_alerts WHERE id = 3") == R"(["e1","e2"])");
  CHECK(query_text(db, "SELECT rule FROM v_alerts WHERE id = 3") == "nato-asia/summit");
  CHECK(query_text(db, "SELECT claims FROM v_alerts WHERE id = 5") == "[]");
  CHECK(query_int(db, "SELECT count(*) FROM v_alerts") == 5);
  CHECK(query_int(db, "SELECT count(*) FROM v_open_alerts") == 4);
  CHECK(query_int(db, "SELECT count(*) FROM v_open_alerts WHERE id = 1") == 0);
  CHECK(query_int(db, "SELECT count(*) FROM v_tension_latest") == 2);
  CHECK(query_text(db,
                   "SELECT score || ' ' || level || ' ' || peak || ' ' || updates "
                   "FROM v_tension_latest WHERE pair = 'CHN-JPN'") == "20.0 high 30.0 3");
}
