// The engine's per-rule state bound ([engine] max_keys_per_rule) for the
// state kinds beside threshold windows (tests/unit/test_stateful.cpp):
// partial sequence matches and open absence deadlines. Past the bound the
// oldest eighth is evicted, and the first time an engine/state-limit alert
// says so.
#include <algorithm>
#include <catch2/catch.hpp>

#include "support.hpp"

using fptest::compile;
using fptest::ev;
using V = std::vector<std::string>;

namespace {

std::string at(int second) {
  return "2024-01-01T00:" + std::string(second / 60 < 10 ? "0" : "") + std::to_string(second / 60) +
         ":" + (second % 60 < 10 ? "0" : "") + std::to_string(second % 60) + "Z";
}

std::string in_region(int k) { return R"("region":"r)" + std::to_string(k) + "\""; }

}  // namespace

TEST_CASE("state bounds: partial sequence matches per rule", "[stateful][limits]") {
  auto rules = compile(R"(
[[rule]]
id = "Q"
title = "deployment then statement"
key = ["region"]
[[rule.steps]]
as = "first"
when = 'kind == "deployment"'
[[rule.steps]]
as = "second"
when = 'kind == "statement" and region == first.region'
within = "2d"
)");
  flashpoint::EngineOptions opt;
  opt.max_keys_per_rule = 8;
  std::string evs;
  for (int i = 0; i < 20; ++i)
    evs += ev("d" + std::to_string(i), at(i), "deployment", in_region(i));
  // r0 was evicted: its statement completes nothing; r12 is still held.
  evs += ev("s0", at(60), "statement", in_region(0));
  evs += ev("s12", at(61), "statement", in_region(12));
  flashpoint::Engine engine(rules, opt);
  fptest::Collect c;
  for (const auto& e : fptest::decode(evs)) engine.process(e, c);
  CHECK(c.lines() == V{"engine/state-limit d8", "Q d12,s12"});
  CHECK(engine.stats().evicted == 12);
}

TEST_CASE("state bounds: open absence deadlines per rule", "[stateful][limits]") {
  auto rules = compile(R"(
[[rule]]
id = "A"
title = "talks without agreement"
key = ["region"]
[rule.absence]
after  = { as = "talks", when = 'kind == "summit"' }
expect = 'kind == "agreement" and region == talks.region'
within = "10d"
)");
  flashpoint::EngineOptions opt;
  opt.max_keys_per_rule = 8;
  std::string evs;
  for (int i = 0; i < 20; ++i) evs += ev("t" + std::to_string(i), at(i), "summit", in_region(i));
  // Past every deadline: only the deadlines still held fire.
  evs += ev("later", "2024-02-01T00:00:00Z", "statement", in_region(99));
  flashpoint::Engine engine(rules, opt);
  fptest::Collect c;
  for (const auto& e : fptest::decode(evs)) engine.process(e, c);
  auto lines = c.lines();
  REQUIRE(!lines.empty());
  CHECK(lines.front() == "engine/state-limit t8");
  lines.erase(lines.begin());
  std::sort(lines.begin(), lines.end());
  CHECK(lines == V{"A t12", "A t13", "A t14", "A t15", "A t16", "A t17", "A t18", "A t19"});
  CHECK(engine.stats().evicted == 12);
}

TEST_CASE("state bounds: the duplicate filter forgets the oldest ids past dedup_capacity",
          "[stateful][limits]") {
  auto rules = compile("[[rule]]\nid = \"E\"\ntitle = \"e\"\nwhen = 'kind == \"exercise\"'\n");
  flashpoint::EngineOptions opt;
  opt.dedup_capacity = 4;
  flashpoint::Engine engine(rules, opt);
  fptest::Collect c;
  std::string evs;
  for (const char* id : {"a", "b", "c", "d", "e"}) evs += ev(id, at(1), "exercise");
  evs += ev("e", at(2), "exercise");  // still remembered: a duplicate
  evs += ev("a", at(3), "exercise");  // forgotten: processed again
  for (const auto& e : fptest::decode(evs)) engine.process(e, c);
  CHECK(c.lines() == V{"E a", "E b", "E c", "E d", "E e", "E a"});
  CHECK(engine.stats().duplicates == 1);
}
