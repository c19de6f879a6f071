// `flashpoint tension`: scores per pair from a replayed database, and the
// SVG chart with level bands.
#include <catch2/catch.hpp>

#include "integration/process.hpp"

using fptest::flashpoint;
using fptest::TempDir;
using fptest::write_file;

namespace {

const char* kRules = R"(
[[rule]]
id = "drill"
title = "PLA drill"
when = 'kind == "exercise" and initiator == "CHN"'
[rule.tension]
pair = ["CHN", "{target}"]
weight = 6
)";

const char* kEvents =
    R"({"id":"1","time":"2024-05-23T00:00:00Z","kind":"exercise","initiator":"CHN","target":"TWN"}
{"id":"2","time":"2024-05-24T00:00:00Z","kind":"exercise","initiator":"CHN","target":"TWN"}
{"id":"3","time":"2024-06-01T00:00:00Z","kind":"exercise","initiator":"CHN","target":"JPN"}
)";

}  // namespace

TEST_CASE("tension: current scores and levels per pair, and an SVG chart",
          "[integration][tension]") {
  TempDir d;
  write_file(d / "r.toml", kRules);
  write_file(d / "e.jsonl", kEvents);
  REQUIRE(flashpoint("replay -q --rules r.toml --db t.db e.jsonl", d).code == 0);
  auto r = flashpoint("tension --db t.db --svg chart.svg", d);
  REQUIRE(r.code == 0);
  // CHN-TWN: 6 decayed one day then +6, then decayed to June 1; elevated.
  CHECK(r.out.find("CHN-TWN") != std::string::npos);
  CHECK(r.out.find("elevated") != std::string::npos);
  CHECK(r.out.find("CHN-JPN") != std::string::npos);
  // Highest first.
  CHECK(r.out.find("CHN-TWN") < r.out.find("CHN-JPN"));
  const auto svg = fptest::slurp(d / "chart.svg");
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find(R"(data-pair="CHN-TWN")") != std::string::npos);
  CHECK(svg.find(R"(class="band")") != std::string::npos);
  CHECK(svg.find("elevated 10") != std::string::npos);
  // One pair, given in either order.
  auto one = flashpoint("tension --db t.db --pair TWN-CHN", d);
  CHECK(one.out.find("CHN-TWN") != std::string::npos);
  CHECK(one.out.find("CHN-JPN") == std::string::npos);
}
