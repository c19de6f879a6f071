// Binding and evaluation: every operator and function, the missing-field
// rules, dated lists, attrs typing, macros and lists.
#include <catch2/catch.hpp>

#include "support.hpp"

using fptest::compile;
using fptest::ev;
using fptest::run;

namespace {

// Compiles one stateless rule "r" with condition `when` and returns the ids
// of the events of `events` that fire it.
std::vector<std::string> firing(const std::string& when, const std::string& events,
                                const std::string& prelude = "") {
  auto rules =
      compile(prelude + "\n[[rule]]\nid = \"r\"\ntitle = \"t\"\nwhen = '''" + when + "'''\n");
  std::vector<std::string> ids;
  for (const auto& f : run(rules, events).fired) ids.push_back(f.evidence.back());
  return ids;
}

const std::string kEvents =
    ev("1", "2024-01-01T00:00:00Z", "exercise",
       R"("actors":["GBR","JPN"],"region":"south_china_sea","attrs":{"domain":"naval","ships":3,"joint":true,"flags":["a","b"]})") +
    ev("2", "2024-02-01T00:00:00Z", "arms_transfer",
       R"("actors":["KOR","UKR"],"supplier":"KOR","recipient":"UKR","direct":false,"value_usd":1e9,"item":"K9 Thunder")") +
    ev("3", "2024-03-01T00:00:00Z", "statement",
       R"("speaker":"Stoltenberg","topic":"theatre_linkage","actors":["NATO"])") +
    ev("4", "2024-04-01T00:00:00Z", "exercise", R"("actors":[],"attrs":{"domain":7})");

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("equality and ordering on strings, numbers, booleans and time", "[language]") {
  CHECK(firing(R"(kind == "exercise")", kEvents) == V{"1", "4"});
  CHECK(firing(R"(kind != "exercise")", kEvents) == V{"2", "3"});
  CHECK(firing(R"(kind == "arms_transfer" and value_usd >= 1e9)", kEvents) == V{"2"});
  CHECK(firing(R"(kind == "arms_transfer" and value_usd > 1e9)", kEvents).empty());
  CHECK(firing(R"(kind == "arms_transfer" and direct == false)", kEvents) == V{"2"});
  CHECK(firing(R"(kind == "arms_transfer" and not direct)", kEvents) == V{"2"});
  CHECK(firing(R"(kind in ["exercise","statement"] and time >= "2024-03-01T00:00:00Z")", kEvents) ==
        V{"3", "4"});
  CHECK(firing(R"(kind == "exercise" and time < "2024-02-01")", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "statement" and speaker < "T")", kEvents) == V{"3"});
}

TEST_CASE("a comparison with a missing field is false, also !=", "[language]") {
  // Event 4 has no region: neither == nor != holds; `not (==)` does.
  CHECK(firing(R"(kind == "exercise" and region == "south_china_sea")", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and region != "south_china_sea")", kEvents).empty());
  CHECK(firing(R"(kind == "exercise" and not (region == "x"))", kEvents) == V{"1", "4"});
  CHECK(firing(R"(kind == "exercise" and region not in ["x"])", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and exists(region))", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and not exists(region))", kEvents) == V{"4"});
  CHECK(firing(R"(kind == "statement" and direct == false)", kEvents).empty());
}

TEST_CASE("list operators: in, contains, any_in, all_in", "[language]") {
  CHECK(firing(R"(kind == "exercise" and region in ["south_china_sea", "x"])", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and actors contains "JPN")", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and actors any_in ["FRA", "GBR"])", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and actors all_in ["GBR", "JPN", "USA"])", kEvents) ==
        V{"1", "4"});  // the empty list of event 4 is vacuously inside
  CHECK(firing(R"(kind == "exercise" and actors all_in ["GBR"])", kEvents) == V{"4"});
  CHECK(firing(R"(kind == "exercise" and len(actors) == 0)", kEvents) == V{"4"});
  CHECK(firing(R"(kind == "exercise" and "GBR" in actors)", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "arms_transfer" and item contains "K9")", kEvents) == V{"2"});
}

TEST_CASE("string operators and functions", "[language]") {
  CHECK(firing(R"(kind == "arms_transfer" and item matches "^K[0-9]+ ")", kEvents) == V{"2"});
  CHECK(firing(R"(kind == "arms_transfer" and item matches "^Thunder")", kEvents).empty());
  CHECK(firing(R"(kind == "arms_transfer" and item startswith "K9")", kEvents) == V{"2"});
  CHECK(firing(R"(kind == "arms_transfer" and item endswith "Thunder")", kEvents) == V{"2"});
  CHECK(firing(R"(kind == "statement" and lower(speaker) == "stoltenberg")", kEvents) == V{"3"});
  CHECK(firing(R"(kind == "statement" and len(speaker) == 11)", kEvents) == V{"3"});
}

TEST_CASE("attrs are typed when the event arrives, mismatches are false", "[language]") {
  CHECK(firing(R"(kind == "exercise" and attrs.domain == "naval")", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and attrs.domain == 7)", kEvents) == V{"4"});
  CHECK(firing(R"(kind == "exercise" and attrs.ships > 2)", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and attrs.joint)", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and attrs.flags contains "b")", kEvents) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and attrs.domain != "naval")", kEvents).empty());
  CHECK(firing(R"(kind == "exercise" and exists(attrs.ships))", kEvents) == V{"1"});
}

TEST_CASE("macros expand by name, nest, and lists stand for their values", "[language]") {
  const std::string prelude = R"(
[lists]
euro = ["GBR", "FRA"]
periphery = ["south_china_sea", "taiwan_strait"]
[macros]
near_china = 'region in periphery'
euro_near_china = 'actors any_in euro and near_china'
)";
  CHECK(firing(R"(kind == "exercise" and euro_near_china)", kEvents, prelude) == V{"1"});
  CHECK(firing(R"(kind == "exercise" and not euro_near_china)", kEvents, prelude) == V{"4"});
}

TEST_CASE("dated list entries are members only as of the event's time", "[language]") {
  const std::string prelude = R"(
[lists]
nato = ["USA", { value = "FIN", from = "2023-04-04" }, { value = "XXX", until = "2020-01-01" }]
)";
  const std::string events = ev("a", "2023-04-03T23:59:59Z", "exercise", R"("actors":["FIN"])") +
                             ev("b", "2023-04-04T00:00:00Z", "exercise", R"("actors":["FIN"])") +
                             ev("c", "2019-12-31T00:00:00Z", "exercise", R"("actors":["XXX"])") +
                             ev("d", "2020-01-01T00:00:00Z", "exercise", R"("actors":["XXX"])");
  CHECK(firing(R"(kind == "exercise" and actors any_in nato)", events, prelude) == V{"b", "c"});
  CHECK(firing(R"(kind == "exercise" and "FIN" in nato)", events, prelude) == V{"b"});
}

TEST_CASE("message templates render fields, lists and missing values", "[language]") {
  auto rules = compile(R"(
[[rule]]
id = "r"
title = "t"
when = 'kind == "exercise"'
message = "{actors} drill in {region} ({attrs.domain}) {{literal}}"
)");
  auto c = run(rules, kEvents);
  REQUIRE(c.fired.size() == 2);
  CHECK(c.fired[0].message == "GBR, JPN drill in south_china_sea (naval) {literal}");
  CHECK(c.fired[1].message == " drill in ? (7) {literal}");
}

TEST_CASE("disabled rules do not fire", "[language]") {
  auto rules = compile(R"(
[[rule]]
id = "r"
title = "t"
when = 'kind == "exercise"'
enabled = false
)");
  CHECK(run(rules, kEvents).fired.empty());
  CHECK(rules->rules().at(0).enabled == false);
}
