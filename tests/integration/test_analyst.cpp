// End-to-end tests of the analyst commands on a database made by a real
// replay: show, ack / resolve / reopen, the alert filters and export.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "integration/process.hpp"

using fptest::flashpoint;
using fptest::TempDir;
using fptest::write_file;

namespace {

const char* kRules = R"(
[[rule]]
id = "nato-asia/euro-presence"
title = "European military activity near China"
when = 'kind == "exercise" and actors any_in ["GBR", "FRA"] and region in ["south_china_sea", "taiwan_strait"]'
severity = "low"
message = "{actors} {kind} in {region}"
rationale = "C6: European navies in Asia tie NATO to the Pacific."
claims = ["C6"]
tags = ["china", "europe"]
[rule.tension]
pair = ["CHN", "{actors}"]
weight = 3.0

[[rule]]
id = "korea/direct-arms"
title = "South Korean arms straight to Ukraine"
when = 'kind == "arms_transfer" and supplier == "KOR" and recipient == "UKR"'
severity = "critical"
claims = ["C8"]
tags = ["korea"]
)";

const char* kEvents =
    R"({"id":"e1","time":"2024-07-10T00:00:00Z","kind":"exercise","actors":["GBR","JPN"],"region":"south_china_sea"}
{"id":"e2","time":"2024-07-11T00:00:00Z","kind":"arms_transfer","supplier":"KOR","recipient":"UKR"}
{"id":"e3","time":"2024-08-14T00:00:00Z","kind":"exercise","actors":["FRA"],"region":"taiwan_strait"}
)";

// A replayed database with alerts 1 (e1, GBR), 2 (e2, KOR) and 3 (e3, FRA).
void make_db(const TempDir& d) {
  write_file(d / "r.toml", kRules);
  write_file(d / "events.jsonl", kEvents);
  auto r = flashpoint("replay -q --rules r.toml --db a.db events.jsonl", d);
  REQUIRE(r.code == 0);
}

std::string ids_of(const std::string& json) {
  std::string out;
  for (std::size_t at = json.find("{\"id\":"); at != std::string::npos;
       at = json.find("{\"id\":", at + 1)) {
    const std::size_t start = at + 6;
    out += json.substr(start, json.find(',', start) - start) + " ";
  }
  return out;
}

}  // namespace

TEST_CASE("show: the alert, its rule, rationale, evidence and the tension it added",
          "[integration][cli][analyst]") {
  TempDir d;
  make_db(d);
  auto text = flashpoint("show --db a.db 1", d);
  REQUIRE(text.code == 0);
  CHECK(text.out.find("Alert 1  low  open") != std::string::npos);
  CHECK(text.out.find("European military activity near China") != std::string::npos);
  CHECK(text.out.find("defined  r.toml:2") != std::string::npos);  // file:line of the rule
  CHECK(text.out.find("C6: European navies in Asia") != std::string::npos);
  CHECK(text.out.find(R"("region":"south_china_sea")") != std::string::npos);  // the event in full
  CHECK(text.out.find("CHN-GBR  +3.0 -> 3.0") != std::string::npos);
  CHECK(text.out.find("CHN-JPN  +3.0 -> 3.0") != std::string::npos);

  auto json = flashpoint("show --db a.db 3 --format json", d);
  REQUIRE(json.code == 0);
  CHECK(json.out.find(R"("alert":{"id":3,"rule":"nato-asia/euro-presence")") != std::string::npos);
  CHECK(json.out.find(R"("rationale":"C6: European navies)") != std::string::npos);
  CHECK(json.out.find(R"("file":")") != std::string::npos);
  CHECK(json.out.find(R"("event":{"id":"e3")") != std::string::npos);
  CHECK(json.out.find(R"("pair":"CHN-FRA","weight":3,"score":3)") != std::string::npos);
  // The rule hash of the replayed alert joins the stored rule version.
  CHECK(json.out.find(R"("hash":"")") == std::string::npos);

  auto missing = flashpoint("show --db a.db 99", d);
  CHECK(missing.code == 1);
  CHECK(missing.err.find("no alert with id 99") != std::string::npos);
  CHECK(flashpoint("show --db nowhere.db 1", d).code == 2);
}

TEST_CASE("ack, resolve and reopen keep a history, alerts --status filters",
          "[integration][cli][analyst]") {
  TempDir d;
  make_db(d);
  auto ack = flashpoint("ack --db a.db 1 3 --note 'seen on the wire' --by ana", d);
  REQUIRE(ack.code == 0);
  CHECK(ack.out == "1 acked\n3 acked\n");
  REQUIRE(flashpoint("resolve --db a.db 3 --by ben", d).code == 0);
  CHECK(ids_of(flashpoint("alerts --db a.db --status open --format json", d).out) == "2 ");
  CHECK(ids_of(flashpoint("alerts --db a.db --status acked --format json", d).out) == "1 ");
  CHECK(ids_of(flashpoint("alerts --db a.db --status resolved --format json", d).out) == "3 ");

  auto show = flashpoint("show --db a.db 3 --format json", d);
  CHECK(show.out.find(R"("status":"resolved","note":"seen on the wire")") != std::string::npos);
  CHECK(show.out.find(R"("by":"ana","from":"open","to":"acked","note":"seen on the wire")") !=
        std::string::npos);
  CHECK(show.out.find(R"("by":"ben","from":"acked","to":"resolved","note":null)") !=
        std::string::npos);
  auto text = flashpoint("show --db a.db 3", d);
  CHECK(text.out.find("History") != std::string::npos);
  CHECK(text.out.find("ben  acked -> resolved") != std::string::npos);

  // $USER is who by default.
  REQUIRE(flashpoint("reopen --db a.db 3", d).code == 0);  // env USER as set by the test runner
  CHECK(ids_of(flashpoint("alerts --db a.db --status open --format json", d).out) == "2 3 ");

  // An unknown id is a finding (exit 1), the others are still changed.
  auto partial = flashpoint("ack --db a.db 99 2", d);
  CHECK(partial.code == 1);
  CHECK(partial.err.find("no alert with id 99") != std::string::npos);
  CHECK(partial.out == "2 acked\n");
  // A missing database is not created.
  CHECK(flashpoint("ack --db typo.db 1", d).code == 2);
  CHECK_FALSE(std::filesystem::exists(d / "typo.db"));
}

TEST_CASE("alerts filters: claim, tag, actor, region, between", "[integration][cli][analyst]") {
  TempDir d;
  make_db(d);
  auto q = [&](const std::string& args) {
    auto r = flashpoint("alerts --db a.db --format json " + args, d);
    REQUIRE(r.code == 0);
    return ids_of(r.out);
  };
  CHECK(q("--claim C6") == "1 3 ");
  CHECK(q("--claim C8") == "2 ");
  CHECK(q("--tag korea") == "2 ");
  CHECK(q("--actor GBR") == "1 ");
  CHECK(q("--actor KOR") == "2 ");  // as supplier
  CHECK(q("--actor UKR") == "2 ");  // as recipient
  CHECK(q("--region taiwan_strait") == "3 ");
  CHECK(q("--between 2024-07-10 2024-07-11") == "1 2 ");  // a bare end date: to its end
  CHECK(q("--between 2024-07-10T12:00:00Z 2024-08-14T00:00:00Z") == "2 ");  // [A, B)
  CHECK(q("--claim C6 --actor FRA") == "3 ");
  CHECK(flashpoint("alerts --db a.db --between 2024-07-10 soon", d).code == 2);
}

TEST_CASE("export: csv, json and ndjson with the alerts filters", "[integration][cli][analyst]") {
  TempDir d;
  make_db(d);
  auto csv = flashpoint("export --db a.db --claim C6", d);
  REQUIRE(csv.code == 0);
  CHECK(csv.out.rfind("id,event_time,fired_at,severity,rule,", 0) == 0);
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 3);  // header + 2 alerts
  auto nd = flashpoint("export --db a.db --format ndjson", d);
  REQUIRE(nd.code == 0);
  CHECK(std::count(nd.out.begin(), nd.out.end(), '\n') == 3);
  CHECK(nd.out.rfind(R"({"id":1,"rule":"nato-asia/euro-presence")", 0) == 0);
  CHECK(nd.out.find("[") != 0);
  auto file = flashpoint("export --db a.db --format json --severity critical -o out/x.json", d);
  CHECK(file.code == 2);  // the folder does not exist: an error, not a crash
  std::filesystem::create_directories(d.path() / "out");
  file = flashpoint("export --db a.db --format json --severity critical -o out/x.json", d);
  REQUIRE(file.code == 0);
  const std::string written = fptest::slurp(d.path() / "out" / "x.json");
  CHECK(ids_of(written) == "2 ");
  CHECK(written.front() == '[');
  CHECK(flashpoint("export --db a.db --format xml", d).code == 2);
}

TEST_CASE("show: an alert on alerts names the alerts it rests on", "[integration][cli][analyst]") {
  TempDir d;
  write_file(d / "r.toml", R"(
[[rule]]
id = "base/exercise"
title = "exercise"
when = 'kind == "exercise"'
severity = "low"

[[rule]]
id = "chain/on-exercise"
title = "an exercise alert"
when = 'kind == "alert" and rule == "base/exercise"'
severity = "high"
)");
  write_file(d / "events.jsonl", R"({"id":"e1","time":"2024-07-10T00:00:00Z","kind":"exercise"}
)");
  REQUIRE(flashpoint("replay -q --rules r.toml --db a.db events.jsonl", d).code == 0);
  REQUIRE(ids_of(flashpoint("alerts --db a.db --rule 'chain/*' --format json", d).out) == "2 ");
  auto text = flashpoint("show --db a.db 2", d);
  REQUIRE(text.code == 0);
  CHECK(text.out.find("flashpoint/base/exercise:") != std::string::npos);
  CHECK(text.out.find("(alert 1)") != std::string::npos);
  auto json = flashpoint("show --db a.db 2 --format json", d);
  CHECK(json.out.find(R"("kind":"alert","alert":1,)") != std::string::npos);
  // A feed event is not an alert.
  CHECK(flashpoint("show --db a.db 1 --format json", d).out.find(R"("alert":1,)") ==
        std::string::npos);
}
