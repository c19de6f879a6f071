// The rule index: conditions are filed by kind, then by region or actor, so
// an event meets only the conditions it could satisfy, in rule order; the
// alerts are those of testing every rule against every event.
#include <algorithm>

#include <catch2/catch.hpp>

#include "rules/compiled.hpp"
#include "support.hpp"

using fptest::compile;
using fptest::ev;
using fptest::run;
using V = std::vector<std::string>;

namespace {

// Rule ids of the conditions `event` meets in the kind bucket of its kind.
V met(const flashpoint::RuleSet& rs, const flashpoint::Event& e) {
  const auto& cr = rs.compiled();
  V out;
  std::vector<flashpoint::detail::Sub> buf;
  auto add = [&](const flashpoint::detail::SubList& list) {
    for (const auto& s : flashpoint::detail::candidates(list, e, buf))
      out.push_back(cr.rules[s.rule].info.id);
  };
  if (const auto* list = cr.index.find(e.str(flashpoint::StrField::kind))) add(*list);
  add(cr.index.any);
  return out;
}

const char* kRules = R"(
[lists]
baltic = ["baltic_sea", "gulf_of_finland"]

[[rule]]
id = "a-region"
title = "t"
when = 'kind == "exercise" and region in baltic'

[[rule]]
id = "b-actor"
title = "t"
when = 'kind == "exercise" and actors any_in ["RUS", "BLR"]'

[[rule]]
id = "c-plain"
title = "t"
when = 'kind == "exercise" and quantity > 10'

[[rule]]
id = "d-or"
title = "t"
when = 'kind == "exercise" and (region == "black_sea" or region == "baltic_sea")'

[[rule]]
id = "e-contains"
title = "t"
when = 'kind == "exercise" and actors contains "CHN"'

[[rule]]
id = "f-not"
title = "t"
when = 'kind == "exercise" and not (region == "baltic_sea")'

[[rule]]
id = "g-all-in"
title = "t"
when = 'kind == "exercise" and actors all_in ["USA"]'

[[rule]]
id = "h-any-kind"
title = "t"
when = 'kind != "alert" and (region == "baltic_sea" or region == "gulf_of_finland")'
)";

}  // namespace

TEST_CASE("index: a region or actor constraint narrows the conditions an event meets", "[index]") {
  auto rules = compile(kRules);
  REQUIRE(rules);
  const auto events = fptest::decode(
      ev("1", "2024-01-01T00:00:00Z", "exercise",
         R"("region":"baltic_sea","actors":["RUS","CHN","BLR"])") +
      ev("2", "2024-01-01T00:00:01Z", "exercise", R"("region":"red_sea","actors":["USA"])") +
      ev("3", "2024-01-01T00:00:02Z", "exercise", R"("actors":["FRA"])") +
      ev("4", "2024-01-01T00:00:03Z", "summit", R"("region":"baltic_sea")"));
  REQUIRE(events.size() == 4);
  // Filed under the region (a, d) or the actors (b, e; RUS and BLR give b
  // twice, met once); c, f and g cannot be narrowed; rule order is kept.
  CHECK(met(*rules, events[0]) == V{"a-region", "b-actor", "c-plain", "d-or", "e-contains", "f-not",
                                    "g-all-in", "h-any-kind"});
  CHECK(met(*rules, events[1]) == V{"c-plain", "f-not", "g-all-in"});
  CHECK(met(*rules, events[2]) == V{"c-plain", "f-not", "g-all-in"});
  // Another kind meets only the kind-free rule, filed under its regions.
  CHECK(met(*rules, events[3]) == V{"h-any-kind"});
}

TEST_CASE("index: the narrowed index fires exactly what the conditions say", "[index]") {
  auto rules = compile(kRules);
  REQUIRE(rules);
  auto c = run(rules, ev("1", "2024-01-01T00:00:00Z", "exercise",
                         R"("region":"baltic_sea","actors":["RUS","CHN"],"quantity":20)") +
                          ev("2", "2024-01-01T00:00:01Z", "exercise",
                             R"("region":"gulf_of_finland","actors":["USA"])") +
                          ev("3", "2024-01-01T00:00:02Z", "exercise",
                             R"("region":"black_sea","actors":["BLR"])"));
  CHECK(c.lines() == V{"a-region 1", "b-actor 1", "c-plain 1", "d-or 1", "e-contains 1",
                       "h-any-kind 1", "a-region 2", "f-not 2", "g-all-in 2", "h-any-kind 2",
                       "b-actor 3", "d-or 3", "f-not 3"});
}

TEST_CASE("prefilter: the conjuncts of a step that read only the current event are found",
          "[index][sequence]") {
  auto rules = compile(R"(
[[rule]]
id = "seq"
title = "t"
[[rule.steps]]
as = "a"
when = 'kind == "exercise"'
[[rule.steps]]
as = "b"
within = "14d"
when = 'kind == "statement" and region == a.region and (stance == "objects" or lower(topic) == "x")'
[[rule.steps]]
as = "c"
within = "14d"
when = 'kind == "summit" and region == "baltic_sea"'

[[rule]]
id = "abs"
title = "t"
[rule.absence]
after = { as = "dep", when = 'kind == "deployment"' }
expect = 'kind == "exercise" and lower(initiator) == lower(dep.initiator)'
within = "30d"
)");
  REQUIRE(rules);
  const auto& cr = rules->compiled();
  const auto& seq = cr.rules[0];
  // Step b: `kind == ...` and the `or` read only the event; the region
  // comparison reads step a.
  CHECK(seq.steps[1].when.event_conjuncts.size() == 2);
  CHECK_FALSE(seq.steps[1].when.event_only);
  CHECK(seq.steps[2].when.event_conjuncts.size() == 2);
  CHECK(seq.steps[2].when.event_only);
  // lower(dep.initiator) reads the first event through a function operand.
  const auto& abs = cr.rules[1];
  CHECK(abs.absence->expect.event_conjuncts.size() == 1);
  CHECK_FALSE(abs.absence->expect.event_only);
}
