// Saved engine state across versions: windows keep each event's evidence
// (source, id, kind, time, JSON text) and a `distinct` threshold's values;
// a version-1 blob (windows of whole events) still restores.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "support.hpp"

using fptest::compile;
using fptest::ev;
using V = std::vector<std::string>;

namespace {

const std::filesystem::path kDir =
    std::filesystem::path(FP_SOURCE_DIR) / "tests" / "fixtures" / "state";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Records each alert as "RULE id@source:kind:time|raw ..." for its evidence.
class Evidence final : public flashpoint::AlertSink {
 public:
  void on_alert(const flashpoint::Alert& a,
                std::span<const flashpoint::Event* const> evidence) override {
    std::string s = a.rule_id;
    for (const auto* e : evidence) {
      s += ' ';
      s += e->str(flashpoint::StrField::id);
      s += '@';
      s += e->str(flashpoint::StrField::source);
      s += ':';
      s += e->str(flashpoint::StrField::kind);
      s += ':';
      s += std::to_string(e->time);
      raws.push_back(e->raw);
    }
    lines.push_back(s);
  }
  std::vector<std::string> lines;
  std::vector<std::string> raws;
};

std::string ex(const std::string& id, const std::string& day, const std::string& actor) {
  return ev(id, "2024-01-0" + day + "T00:00:00Z", "exercise",
            R"("region":"a","actors":[")" + actor + "\"]");
}

}  // namespace

TEST_CASE("state: a version-1 blob restores windows, with distinct values recomputed",
          "[stateful][persist]") {
  auto rules = compile(slurp(kDir / "state_v1.toml"));
  REQUIRE(rules);
  const std::string blob = slurp(kDir / "state_v1.bin");
  REQUIRE(blob.size() > 8);
  flashpoint::Engine e(rules, {});
  REQUIRE(e.restore_state(blob));
  // The blob holds e1 (USA) and e2 (JPN) of source "fixture", 1 and 2 Jan.
  Evidence sink;
  for (const auto& x : fptest::decode(ex("e3", "3", "KOR"))) e.process(x, sink);
  const auto t1 = *flashpoint::parse_time("2024-01-01T00:00:00Z");
  const auto t2 = *flashpoint::parse_time("2024-01-02T00:00:00Z");
  const auto t3 = *flashpoint::parse_time("2024-01-03T00:00:00Z");
  const std::string tail = "e3@input:exercise:" + std::to_string(t3);
  const std::string head = "e1@fixture:exercise:" + std::to_string(t1) +
                           " e2@fixture:exercise:" + std::to_string(t2) + " ";
  CHECK(sink.lines == V{"count3 " + head + tail, "distinct3 " + head + tail});
  REQUIRE(sink.raws.size() == 6);
  CHECK(sink.raws[0].find(R"("id":"e1")") != std::string::npos);
  CHECK(sink.raws[1].find(R"("JPN")") != std::string::npos);
}

TEST_CASE("state: window evidence and distinct values survive a save and restore",
          "[stateful][persist]") {
  auto rules = compile(slurp(kDir / "state_v1.toml"));
  REQUIRE(rules);
  const std::string first = ex("1", "1", "USA") + ex("2", "2", "USA") + ex("3", "3", "JPN");
  const std::string second = ex("4", "4", "JPN") + ex("5", "5", "KOR");
  Evidence whole;
  Evidence split;
  std::string blob;
  REQUIRE(fptest::run_resumed(rules, first, second, whole, split, blob));
  CHECK(split.lines == whole.lines);
  CHECK(split.raws == whole.raws);
  // count3 fires on 3 (1,2,3), then its window starts again at 4; distinct3
  // needs a third actor, which comes with 5.
  REQUIRE(whole.lines.size() == 2);
  CHECK(whole.lines[0].rfind("count3 1@input", 0) == 0);
  CHECK(whole.lines[1].rfind("distinct3 1@input", 0) == 0);
  CHECK(whole.raws.size() == 8);
  CHECK(whole.raws.back().find(R"("KOR")") != std::string::npos);
}
