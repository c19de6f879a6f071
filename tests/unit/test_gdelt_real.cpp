// GDELT decoder end to end on the real files in ../shared/data/real/gdelt:
// every row becomes an event, and the events per kind match counts taken
// from the raw rows' EventCode column.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../../adapters/gdelt/gdelt_decoder.hpp"

namespace {

using namespace flashpoint::adapters;
namespace fs = std::filesystem;

const fs::path kRealDir = fs::path(FP_SOURCE_DIR) / ".." / "shared" / "data" / "real" / "gdelt";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      fields.push_back(line.substr(start, tab - start));
    }
    fields.push_back(line.substr(start));
    rows.push_back(std::move(fields));
  }
  return rows;
}

// The kind each raw EventCode should give, written out from FORMATS.md §5
// independently of the decoder's prefix table.
std::string expected_kind(const std::string& code) {
  const std::string root = code.substr(0, 2);
  const std::string base = code.substr(0, 3);
  if (code == "062" || code == "0312" || code == "150" || code == "152") return "exercise";
  if (code == "154" || code == "074" || code == "0861") return "deployment";
  if (code == "072") return "arms_transfer";
  if (code == "036" || (base >= "040" && base <= "046")) return "summit";
  if (code == "057" || code == "0871") return "agreement";
  if (code == "163" || code == "085") return "sanction";
  if (root == "13") return "threat";
  if (root == "01" || root == "10" || root == "11" || root == "12") return "statement";
  if (root == "16") return "relations_cut";
  if (root == "18" || root == "19" || root == "20") return "incident";
  return "event";
}

struct Row {
  std::string kind, actors, url, mirror_of;
  flashpoint::TimeUs time = 0;
};

struct Tally : DecodeSink {
  std::map<std::string, Row> rows;
  std::map<std::string, int> kinds;
  std::map<std::string, std::string> raw_by_id;
  std::set<std::string> ids;
  std::vector<std::string> dead;
  int mirrors = 0, with_url = 0, nato = 0, with_region = 0, raw_differs = 0;
  std::set<std::string> unmapped_fips;
  void on_event(const flashpoint::Event& e, const Position&) override {
    ++kinds[std::string(e.str(flashpoint::StrField::kind))];
    raw_differs += e.raw == e.to_json() ? 0 : 1;  // raw is the engine's own rendering
    ids.insert(std::string(e.str(flashpoint::StrField::id)));
    raw_by_id[std::string(e.str(flashpoint::StrField::id))] = e.raw;
    if (e.has(flashpoint::ListField::tags)) ++mirrors;
    if (e.attr("source_url") != nullptr) ++with_url;
    if (e.has(flashpoint::StrField::region)) ++with_region;
    for (const auto& a : e.list(flashpoint::ListField::actors)) nato += a == "NATO" ? 1 : 0;
    if (const auto* fips = e.attr("action_fips")) unmapped_fips.insert(fips->str);
    Row& row = rows[std::string(e.str(flashpoint::StrField::id))];
    row.kind = e.str(flashpoint::StrField::kind);
    std::vector<std::string> actors = e.list(flashpoint::ListField::actors);
    std::sort(actors.begin(), actors.end());
    for (const auto& a : actors) row.actors += a + " ";
    row.time = e.time;
    if (const auto* url = e.attr("source_url")) row.url = url->str;
    if (const auto* first = e.attr("mirror_of")) row.mirror_of = first->str;
  }

  // Summit rows split into one `summit` per meeting and `summit_mirror` for
  // the other rows of it; each mirror points to a summit row of the same
  // actors, day and article.
  void check_mirrors(int raw_summit_rows) const {
    const int summits = kinds.count("summit") != 0 ? kinds.at("summit") : 0;
    const int mirror_rows = kinds.count("summit_mirror") != 0 ? kinds.at("summit_mirror") : 0;
    CHECK(summits + mirror_rows == raw_summit_rows);
    CHECK(mirror_rows == mirrors);
    for (const auto& [id, row] : rows) {
      if (row.kind != "summit_mirror") continue;
      INFO(id);
      REQUIRE(rows.count(row.mirror_of) == 1);
      const Row& first = rows.at(row.mirror_of);
      CHECK(first.kind == "summit");
      CHECK(first.actors == row.actors);
      CHECK(first.time == row.time);
      CHECK(first.url == row.url);
    }
  }
  void on_dead_letter(const DeadLetter& dl) override { dead.emplace_back(dl.reason); }
};

Tally decode_file(const std::string& text, std::size_t chunk) {
  DecoderOptions options;
  options.feed = "gdelt";
  auto decoder = make_gdelt_decoder(options);
  Tally tally;
  for (std::size_t i = 0; i < text.size(); i += chunk) {
    decoder->feed(std::string_view(text).substr(i, chunk), tally);
  }
  decoder->finish(tally);
  return tally;
}

bool have_real_data() {
  if (fs::exists(kRealDir)) return true;
  WARN("GDELT real-data test skipped: ../shared/data/real not found");
  return false;
}

}  // namespace

TEST_CASE("GDELT 2.0 real 15-minute file: kinds match the raw rows", "[gdelt]") {
  if (!have_real_data()) return;
  const std::string text = slurp(kRealDir / "20191024143000.export.CSV");
  const auto rows = rows_of(text);
  REQUIRE(rows.size() == 2111);
  std::map<std::string, int> expected;
  for (const auto& r : rows) {
    REQUIRE(r.size() == 61);
    ++expected[expected_kind(r[26])];
  }
  const Tally tally = decode_file(text, 65536);
  CHECK(tally.dead.empty());
  CHECK(tally.raw_differs == 0);
  CHECK(tally.ids.size() == 2111);
  tally.check_mirrors(expected.at("summit"));
  std::map<std::string, int> decoded = tally.kinds;
  decoded["summit"] += decoded["summit_mirror"];
  decoded.erase("summit_mirror");
  CHECK(decoded == expected);
  CHECK(tally.kinds.at("arms_transfer") == 13);  // SOURCES.md: 13 x 072
  CHECK(tally.kinds.at("sanction") == 5);        // 5 x 163
  CHECK(tally.kinds.at("deployment") == 1);      // 1 x 154
  CHECK(tally.kinds.at("exercise") == 11);       // 10 x 062, 1 x 152
  CHECK(tally.with_url == 2111);
  CHECK(tally.mirrors > 0);
  CHECK(tally.with_region > 0);
  CHECK(tally.unmapped_fips == std::set<std::string>{"OS"});  // "Oceans (general)"
  CHECK(tally.raw_by_id.at("gdelt-881991513").find("\"recipient\":\"ARE\"") != std::string::npos);
  CHECK(tally.raw_by_id.at("gdelt-881992930").find("\"action\":\"impose\"") != std::string::npos);

  const Tally small_chunks = decode_file(text, 997);
  CHECK(small_chunks.raw_by_id == tally.raw_by_id);
}

TEST_CASE("GDELT 1.0 real sample: 58- and 57-column rows in one file", "[gdelt]") {
  if (!have_real_data()) return;
  const std::string text =
      slurp(kRealDir / "gdelt1_events_sample_20160728-daily_and_1982-backfile.CSV");
  const auto rows = rows_of(text);
  REQUIRE(rows.size() == 710);
  std::map<std::string, int> expected;
  int daily = 0;
  for (const auto& r : rows) {
    REQUIRE((r.size() == 58 || r.size() == 57));
    daily += r.size() == 58 ? 1 : 0;
    ++expected[expected_kind(r[26])];
  }
  CHECK(daily == 509);
  const Tally tally = decode_file(text, 4096);
  CHECK(tally.dead.empty());
  CHECK(tally.raw_differs == 0);
  CHECK(tally.ids.size() == 710);
  tally.check_mirrors(expected.at("summit"));
  std::map<std::string, int> decoded = tally.kinds;
  decoded["summit"] += decoded["summit_mirror"];
  decoded.erase("summit_mirror");
  CHECK(decoded == expected);
  CHECK(tally.with_url == 509);            // only the 58-column daily rows have SOURCEURL
  CHECK(tally.nato == 2);                  // IGOWSTNAT on lines 543 and 677
  CHECK(tally.kinds.at("exercise") == 4);  // 0312, 062, 2 x 150
  CHECK(tally.kinds.at("sanction") == 4);  // 2 x 163, 2 x 085
  const std::string& nato = tally.raw_by_id.at("gdelt-1553159");
  CHECK(nato.find("\"actors\":[\"NATO\"]") != std::string::npos);
  CHECK(nato.find("\"time\":\"1982-01-02T00:00:00Z\"") != std::string::npos);
  CHECK(nato.find("\"date_added\":\"2013-02-03T00:00:00Z\"") != std::string::npos);
}
