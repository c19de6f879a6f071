// ACLED decoder: the hand-made fixtures in tests/fixtures/acled (current and
// legacy layouts) and in-memory buffers for every FORMATS.md §2 quirk.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../../adapters/acled/acled_decoder.hpp"
#include "../../adapters/acled/acled_map.hpp"
#include "flashpoint/engine/time.hpp"

namespace {

using flashpoint::Event;
using flashpoint::ListField;
using flashpoint::NumField;
using flashpoint::StrField;
using namespace flashpoint::adapters;

struct Row {
  std::string id, kind, country, region, raw;
  std::vector<std::string> actors;
  flashpoint::TimeUs time = 0;
  std::uint64_t line = 0;
  double confidence = 0;
  std::map<std::string, flashpoint::AttrValue> attrs;
};

struct Collect : DecodeSink {
  std::vector<Row> rows;
  std::vector<std::pair<std::uint64_t, std::string>> dead;
  std::map<std::string, int> kinds;
  void on_event(const Event& e, const Position& pos) override {
    Row r;
    r.id = e.str(StrField::id);
    r.kind = e.str(StrField::kind);
    r.country = e.str(StrField::country);
    r.region = e.str(StrField::region);
    r.raw = e.raw;
    CHECK(e.raw == e.to_json());
    r.actors = e.list(ListField::actors);
    r.time = e.time;
    r.line = pos.line;
    r.confidence = e.num(NumField::confidence);
    for (const auto& a : e.attrs()) r.attrs[a.name] = a.value;
    ++kinds[r.kind];
    rows.push_back(std::move(r));
  }
  void on_dead_letter(const DeadLetter& dl) override {
    dead.emplace_back(dl.pos.line, std::string(dl.reason));
  }
};

Collect decode(const std::string& input, std::size_t chunk = 1U << 20U,
               std::size_t max_record = 1U << 20U) {
  DecoderOptions options;
  options.feed = "acled";
  options.max_record = max_record;
  auto decoder = make_acled_decoder(options);
  Collect sink;
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    decoder->feed(std::string_view(input).substr(i, chunk), sink);
  }
  decoder->finish(sink);
  return sink;
}

std::string fixture(const char* name) {
  std::ifstream in(std::filesystem::path(FP_SOURCE_DIR) / "tests" / "fixtures" / "acled" / name,
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

flashpoint::TimeUs day(int y, unsigned m, unsigned d) {
  return flashpoint::days_from_civil(y, m, d) * flashpoint::kDay;
}

const std::string kHeader =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,tags,timestamp\n";

// A current-layout row with the given id, date and notes (quoted by caller).
std::string row(const std::string& id, const std::string& date, const std::string& notes) {
  return id + "," + date +
         ",2024,1,Political violence,Battles,Armed clash,Military Forces of Russia (2000-),,State "
         "forces,,,,State forces only,,804,Europe,Ukraine,Donetska,,,Example,48.0,37.8,1,Wire,"
         "National," +
         notes + ",0,,1709600000\n";
}

}  // namespace

TEST_CASE("ACLED current-layout fixture maps every event type", "[acled]") {
  const std::string text = fixture("acled_current.csv");
  REQUIRE_FALSE(text.empty());
  const Collect out = decode(text);
  CHECK(out.dead.empty());
  REQUIRE(out.rows.size() == 16);
  const std::map<std::string, int> expected = {{"incident", 5},
                                               {"protest", 2},
                                               {"riot", 1},
                                               {"agreement", 1},
                                               {"deployment", 2},
                                               {"statement", 1},
                                               {"group_activity", 1},
                                               {"arrest", 1},
                                               {"territory_transfer", 1},
                                               {"strategic_development", 1}};
  CHECK(out.kinds == expected);

  const Row& battle = out.rows[0];
  CHECK(battle.id == "acled-XUKR00001");
  CHECK(battle.time == day(2024, 3, 2));
  CHECK(battle.line == 2);
  CHECK(battle.actors == std::vector<std::string>{"RUS", "UKR"});
  CHECK(battle.country == "UKR");
  CHECK(battle.region == "ukraine");
  CHECK(battle.attrs.at("event_type").str == "Battles");
  CHECK(battle.attrs.at("sub_event_type").str == "Armed clash");
  CHECK(battle.attrs.at("inter1").str == "State forces");
  CHECK(battle.attrs.at("fatalities").num == 3);
  CHECK_FALSE(battle.attrs.at("civilian_targeting").boolean);
  CHECK(battle.confidence == 1.0);

  const Row& strike = out.rows[1];
  CHECK(strike.attrs.at("notes").str ==
        "Fictional fixture row: a drone strike, reported as \"intercepted\" by one source, hit a "
        "port building.");
  CHECK(strike.attrs.at("civilian_targeting").boolean);
  CHECK(strike.actors == std::vector<std::string>{"RUS"});

  const Row& attack = out.rows[2];  // quoted notes with a line break; "3 March 2024"
  CHECK(attack.time == day(2024, 3, 3));
  CHECK(attack.line == 4);
  CHECK(attack.attrs.at("notes").str.find("span\ntwo lines") != std::string::npos);
  CHECK(attack.confidence == Approx(0.8));
  CHECK(attack.attrs.at("acled_tags").list == std::vector<std::string>{"women targeted: girls"});
  CHECK(out.rows[3].line == 6);

  CHECK(out.rows[6].kind == "deployment");  // "Movement of forces:"
  CHECK(out.rows[6].attrs.at("note_label").str == "Movement of forces");
  CHECK(out.rows[6].region == "baltic_sea");
  CHECK(out.rows[7].kind == "statement");  // "Non-violent activity:"
  CHECK(out.rows[8].kind == "group_activity");
  CHECK(out.rows[10].actors == std::vector<std::string>{"NATO", "USA"});
  CHECK(out.rows[15].region == "taiwan_strait");
  CHECK(out.rows[15].country == "TWN");
}

TEST_CASE("ACLED legacy-layout fixture: numeric actor types, CRLF, Excel dates", "[acled]") {
  const Collect out = decode(fixture("acled_legacy.csv"));
  CHECK(out.dead.empty());
  REQUIRE(out.rows.size() == 4);
  CHECK(out.kinds ==
        std::map<std::string, int>{{"deployment", 1}, {"protest", 1}, {"incident", 2}});
  CHECK(out.rows[0].time == day(2020, 5, 9));  // 9-May-20
  CHECK(out.rows[0].country == "PRK");
  CHECK(out.rows[0].actors == std::vector<std::string>{"PRK"});
  CHECK(out.rows[0].region == "korean_peninsula");
  CHECK(out.rows[0].attrs.at("inter1").str == "State forces");
  CHECK(out.rows[0].attrs.at("interaction").str == "State forces only");
  CHECK(out.rows[0].attrs.count("inter2") == 0);
  CHECK(out.rows[1].time == day(2020, 5, 9));  // 09 May 2020
  CHECK(out.rows[1].attrs.at("notes").str ==
        "Fictional fixture row: a rally, \"peaceful\", in the city centre.");
  CHECK(out.rows[2].attrs.at("interaction").str == "State forces-Political militia");
  CHECK(out.rows[3].attrs.at("inter1").str == "External/Other forces");
  CHECK(out.rows[3].confidence == Approx(0.6 * 0.75));
}

TEST_CASE("ACLED records split anywhere decode the same", "[acled]") {
  const std::string text = fixture("acled_current.csv");
  const Collect whole = decode(text);
  for (const std::size_t chunk : {1U, 2U, 3U, 17U, 333U}) {
    const Collect parts = decode(text, chunk);
    REQUIRE(parts.rows.size() == whole.rows.size());
    for (std::size_t i = 0; i < whole.rows.size(); ++i) {
      CHECK(parts.rows[i].raw == whole.rows[i].raw);
      CHECK(parts.rows[i].line == whole.rows[i].line);
    }
  }
}

TEST_CASE("ACLED header: columns by name, missing columns, repeats", "[acled]") {
  // Reordered and trimmed columns still decode.
  const Collect small = decode(
      "event_type,event_date,event_id_cnty,latitude,longitude\nProtests,2024-01-05,XA1,50.45,30."
      "52\n");
  REQUIRE(small.rows.size() == 1);
  CHECK(small.rows[0].kind == "protest");
  CHECK(small.rows[0].region == "ukraine");

  const Collect missing = decode("event_id_cnty,year,event_type\nX1,2024,Battles\n");
  REQUIRE(missing.dead.size() == 2);
  CHECK(missing.dead[0].first == 1);
  CHECK(missing.dead[0].second ==
        "no usable ACLED header: ACLED header lacks the column 'event_date'");
  CHECK(missing.dead[1].first == 2);
  CHECK(missing.dead[1].second == missing.dead[0].second);

  const Collect twice =
      decode(kHeader + row("X1", "2024-01-01", "a") + kHeader + row("X2", "2024-01-02", "b"));
  CHECK(twice.dead.empty());
  CHECK(twice.rows.size() == 2);
  CHECK(twice.rows[1].line == 4);
}

TEST_CASE("ACLED upper-case 2015 exports decode by name", "[acled]") {
  const std::string input =
      "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
      "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
      "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES\n"
      "615,XALG1,1,01-January-2015,2015,1,Riots/Protests,Protesters (Algeria),,6,,,0,60,Algeria,"
      "Alger,,,Algiers,36.75,3.06,1,Example,Fictional row.,0\n";
  const Collect out = decode(input);
  CHECK(out.dead.empty());
  REQUIRE(out.rows.size() == 1);
  CHECK(out.rows[0].kind == "protest");
  CHECK(out.rows[0].time == day(2015, 1, 1));
  CHECK(out.rows[0].country == "DZA");
  CHECK(out.rows[0].region == "mediterranean");
  CHECK(out.rows[0].attrs.at("inter1").str == "Protesters");
  CHECK(out.rows[0].attrs.at("interaction").str == "Protesters only");
}

TEST_CASE("ACLED dead letters carry a reason and the line", "[acled]") {
  const std::string input = kHeader + row("X1", "2024-02-30", "a") + "X2,2024-01-01,2024\n" +
                            row("", "2024-01-01", "b") + row("X4", "2024-01-04", "\"ok, fine\"") +
                            row("X5", "May 2024", "c");
  const Collect out = decode(input);
  REQUIRE(out.rows.size() == 1);
  CHECK(out.rows[0].line == 5);
  REQUIRE(out.dead.size() == 4);
  CHECK(out.dead[0] == std::pair<std::uint64_t, std::string>{
                           2,
                           "event_date is not a date (2024-05-09, 9 May 2024 or 9-May-24): "
                           "'2024-02-30'"});
  CHECK(out.dead[1] ==
        std::pair<std::uint64_t, std::string>{3, "row has 3 fields, the header has 31"});
  CHECK(out.dead[2] == std::pair<std::uint64_t, std::string>{4, "event_id_cnty is empty"});
  CHECK(out.dead[3].first == 6);
}

TEST_CASE("ACLED unterminated quotes and oversized records", "[acled]") {
  const Collect open = decode(kHeader + row("X1", "2024-01-01", "\"never closed"));
  REQUIRE(open.dead.size() == 1);
  CHECK(open.dead[0].second == "input ends inside a quoted field");

  const std::string big = row("X1", "2024-01-01", "\"" + std::string(5000, 'n') + "\"");
  for (const std::size_t chunk : {7U, 100000U}) {
    const Collect out = decode(kHeader + big + row("X2", "2024-01-02", "x"), chunk, 2000);
    REQUIRE(out.dead.size() == 1);
    CHECK(out.dead[0] ==
          std::pair<std::uint64_t, std::string>{2, "record exceeds the size limit of 2000 bytes"});
    REQUIRE(out.rows.size() == 1);
    CHECK(out.rows[0].id == "acled-X2");
  }
}

TEST_CASE("ACLED dates, note labels, actor names, kinds", "[acled]") {
  using namespace flashpoint::adapters::acled;
  CHECK(parse_date("2024-05-09", {}) == day(2024, 5, 9));
  CHECK(parse_date("28 December 2022", {}) == day(2022, 12, 28));
  CHECK(parse_date("9-May-20", 2020) == day(2020, 5, 9));
  CHECK(parse_date("9-May-97", {}) == day(1997, 5, 9));
  CHECK(parse_date("01-January-2015", {}) == day(2015, 1, 1));
  CHECK(parse_date("9 Sept 2020", {}) == day(2020, 9, 9));
  CHECK_FALSE(parse_date("2024-13-01", {}));
  CHECK_FALSE(parse_date("31 June 2020", {}));
  CHECK_FALSE(parse_date("9/5/2020", {}));
  CHECK_FALSE(parse_date("", {}));

  CHECK(note_label("Movement of forces: On 3 May ...") == "Movement of forces");
  CHECK(note_label("On 3 May 2024: something") == "");
  CHECK(note_label("no label here") == "");

  CHECK(actor_code("Military Forces of Russia (2000-)") == "RUS");
  CHECK(actor_code("Military Forces of the United States (2025-)") == "USA");
  CHECK(actor_code("Police Forces of Ukraine (2019-) Border Guard") == "UKR");
  CHECK(actor_code("Government of Democratic Republic of Congo (2019-)") == "COD");
  CHECK(actor_code("NATO: North Atlantic Treaty Organization") == "NATO");
  CHECK(actor_code("UN: United Nations") == "UN");
  CHECK(actor_code("Protesters (Russia)") == "");
  CHECK(actor_code("Al Shabaab") == "");

  CHECK(inter_label("1") == "State forces");
  CHECK(inter_label("8") == "External/Other forces");
  CHECK(inter_label("0") == "");
  CHECK(inter_label("State forces") == "");

  CHECK(map_kind("Battles", "Armed clash", "") == "incident");
  CHECK(map_kind("EXPLOSIONS/REMOTE VIOLENCE", "", "") == "incident");
  CHECK(map_kind("Strategic developments", "Agreement", "") == "agreement");
  CHECK(map_kind("Strategic developments", "Change to group/activity", "Movement of forces") ==
        "deployment");
  CHECK(map_kind("Strategic developments", "Change to group/activity", "Recruitment") ==
        "group_activity");
  CHECK(map_kind("Strategic developments", "Headquarters or base established", "") == "deployment");
  CHECK(map_kind("Strategic developments", "Something new", "") == "strategic_development");
  CHECK(map_kind("Riots/Protests", "", "") == "protest");
  CHECK(map_kind("Unknown type", "", "") == "event");
}

TEST_CASE("ACLED decoder survives arbitrary bytes", "[acled]") {
  std::mt19937 rng(4242);
  const std::string base = fixture("acled_legacy.csv");
  for (int round = 0; round < 300; ++round) {
    std::string input = base;
    for (int k = 0; k < 1 + static_cast<int>(rng() % 12); ++k) {
      const std::size_t at = rng() % input.size();
      const char c = ",\n\r\"\xFF\x80;-9"[rng() % 9];
      if (rng() % 2 == 0) {
        input[at] = c;
      } else {
        input.insert(at, 1, c);
      }
    }
    const Collect out = decode(input, 1 + rng() % 50, 64 + rng() % 500);
    CHECK(out.rows.size() <= 20);
  }
}

TEST_CASE("the registry makes and detects the ACLED format", "[acled]") {
  CHECK(make_decoder("acled", DecoderOptions{}) != nullptr);
  CHECK(detect_format("export.csv", kHeader + row("X1", "2024-01-01", "a")) == "acled");
  CHECK(detect_format("export.csv", "\xEF\xBB\xBF" + kHeader) == "acled");
  CHECK(detect_format("old.csv", "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE\n") == "acled");
}
