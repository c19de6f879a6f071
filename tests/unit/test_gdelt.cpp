// GDELT decoder on in-memory buffers: the three layouts, every FORMATS.md §1
// quirk, dead letters with reasons and lines, chunking and size limits.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "../../adapters/gdelt/gdelt_decoder.hpp"
#include "flashpoint/engine/time.hpp"

namespace {

using flashpoint::Event;
using flashpoint::ListField;
using flashpoint::NumField;
using flashpoint::StrField;
using namespace flashpoint::adapters;

struct Decoded {
  std::string id, kind, raw;
  std::map<std::string, std::string> str;  // schema strings by name
  std::vector<std::string> actors, tags;
  flashpoint::TimeUs time = 0;
  std::uint64_t line = 0;
  std::map<std::string, flashpoint::AttrValue> attrs;
  std::map<std::string, double> num;
};

struct Dead {
  std::uint64_t line = 0;
  std::string reason, raw;
};

struct Collect : DecodeSink {
  std::vector<Decoded> events;
  std::vector<Dead> dead;
  void on_event(const Event& e, const Position& pos) override {
    Decoded d;
    d.id = e.str(StrField::id);
    d.kind = e.str(StrField::kind);
    d.raw = e.raw;
    d.time = e.time;
    d.line = pos.line;
    for (auto f : {StrField::initiator, StrField::target, StrField::supplier, StrField::recipient,
                   StrField::host, StrField::speaker, StrField::topic, StrField::stance,
                   StrField::action, StrField::region, StrField::country, StrField::source}) {
      if (e.has(f)) d.str[std::string(flashpoint::field_name(f))] = e.str(f);
    }
    for (auto f : {NumField::lat, NumField::lon, NumField::confidence}) {
      if (e.has(f)) d.num[std::string(flashpoint::field_name(f))] = e.num(f);
    }
    if (e.has(ListField::actors)) d.actors = e.list(ListField::actors);
    if (e.has(ListField::tags)) d.tags = e.list(ListField::tags);
    for (const auto& a : e.attrs()) d.attrs[a.name] = a.value;
    events.push_back(std::move(d));
  }
  void on_dead_letter(const DeadLetter& dl) override {
    dead.push_back({dl.pos.line, std::string(dl.reason), std::string(dl.raw)});
  }
};

Collect decode(const std::string& input, std::size_t chunk = 1U << 20U,
               std::size_t max_record = 1U << 20U) {
  DecoderOptions options;
  options.feed = "gdelt";
  options.max_record = max_record;
  auto decoder = make_gdelt_decoder(options);
  Collect sink;
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    decoder->feed(std::string_view(input).substr(i, chunk), sink);
  }
  decoder->finish(sink);
  return sink;
}

// The real row GLOBALEVENTID 881991513 (Spain -> UAE, 072) of the 2019 file,
// as 61 fields; tests change single columns.
std::vector<std::string> v2_row() {
  return {"881991513",
          "20191024",
          "201910",
          "2019",
          "2019.8055",
          "ESP",
          "SPAIN",
          "ESP",
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          "ARE",
          "UNITED ARAB EMIRATES",
          "ARE",
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          "1",
          "072",
          "072",
          "07",
          "2",
          "8.3",
          "4",
          "1",
          "4",
          "-6.18181818181819",
          "1",
          "Spain",
          "SP",
          "SP",
          "",
          "40",
          "-4",
          "SP",
          "4",
          "Al Madina, Al Madinah, Saudi Arabia",
          "SA",
          "SA05",
          "25311",
          "24.4686",
          "39.6142",
          "-3092186",
          "4",
          "Al Madina, Al Madinah, Saudi Arabia",
          "SA",
          "SA05",
          "25311",
          "24.4686",
          "39.6142",
          "-3092186",
          "20191024143000",
          "http://watchingamerica.com/WA/tag/foreign-policy/"};
}

// The same row in the GDELT 1.0 layouts: no ADM2 columns (58), and no
// SOURCEURL either (57); DATEADDED has 8 digits.
std::vector<std::string> v1_row(bool with_url) {
  std::vector<std::string> r = v2_row();
  r[59] = "20160728";
  r.erase(r.begin() + 55);  // ActionGeo_ADM2Code
  r.erase(r.begin() + 47);  // Actor2Geo_ADM2Code
  r.erase(r.begin() + 39);  // Actor1Geo_ADM2Code
  if (!with_url) r.pop_back();
  return r;
}

std::string join(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back('\t');
    out += fields[i];
  }
  return out + "\n";
}

std::string with(std::vector<std::string> row, std::size_t col, std::string value) {
  row[col] = std::move(value);
  return join(row);
}

flashpoint::TimeUs day(int y, unsigned m, unsigned d) {
  return flashpoint::days_from_civil(y, m, d) * flashpoint::kDay;
}

}  // namespace

TEST_CASE("GDELT 2.0 row maps every field", "[gdelt]") {
  const Collect out = decode(join(v2_row()));
  REQUIRE(out.dead.empty());
  REQUIRE(out.events.size() == 1);
  const Decoded& e = out.events[0];
  CHECK(e.id == "gdelt-881991513");
  CHECK(e.kind == "arms_transfer");
  CHECK(e.time == day(2019, 10, 24));  // SQLDATE
  CHECK(e.str.at("source") == "gdelt");
  CHECK(e.actors == std::vector<std::string>{"ESP", "ARE"});
  CHECK(e.str.at("initiator") == "ESP");
  CHECK(e.str.at("target") == "ARE");
  CHECK(e.str.at("supplier") == "ESP");
  CHECK(e.str.at("recipient") == "ARE");
  CHECK(e.str.at("country") == "SAU");  // FIPS SA is Saudi Arabia, not ISO SA
  CHECK(e.num.at("lat") == Approx(24.4686));
  CHECK(e.num.at("lon") == Approx(39.6142));
  CHECK(e.str.count("region") == 0);
  CHECK(e.attrs.at("cameo_code").str == "072");
  CHECK(e.attrs.at("goldstein").num == Approx(8.3));
  CHECK(e.attrs.at("quad_class").num == 2);
  CHECK(e.attrs.at("num_mentions").num == 4);
  CHECK(e.attrs.at("num_sources").num == 1);
  CHECK(e.attrs.at("num_articles").num == 4);
  CHECK(e.attrs.at("avg_tone").num == Approx(-6.18181818181819));
  CHECK(e.attrs.at("is_root_event").boolean);
  CHECK(e.attrs.at("date_added").str == "2019-10-24T14:30:00Z");
  CHECK(e.attrs.at("source_url").str == "http://watchingamerica.com/WA/tag/foreign-policy/");
  CHECK(e.attrs.at("action_geo").str == "Al Madina, Al Madinah, Saudi Arabia");
  CHECK(e.raw.find("\"kind\":\"arms_transfer\"") != std::string::npos);
  CHECK(e.raw.find("\"cameo_code\":\"072\"") != std::string::npos);
}

TEST_CASE("GDELT layouts are told apart by field count", "[gdelt]") {
  const Collect out = decode(join(v1_row(true)) + join(v1_row(false)) + join(v2_row()));
  REQUIRE(out.dead.empty());
  REQUIRE(out.events.size() == 3);
  for (const Decoded& e : out.events) {
    CHECK(e.kind == "arms_transfer");
    CHECK(e.str.at("country") == "SAU");
    CHECK(e.num.at("lat") == Approx(24.4686));
  }
  CHECK(out.events[0].attrs.at("date_added").str == "2016-07-28T00:00:00Z");
  CHECK(out.events[0].attrs.count("source_url") == 1);
  CHECK(out.events[1].attrs.count("source_url") == 0);  // the 57-column backfile layout
  CHECK(out.events[2].attrs.at("date_added").str == "2019-10-24T14:30:00Z");
}

TEST_CASE("GDELT dead letters carry a precise reason and line", "[gdelt]") {
  const std::string good = join(v2_row());
  const std::string input = good + "a\tb\tc\n" + with(v2_row(), 0, "88x") +
                            with(v2_row(), 1, "20191301") + with(v2_row(), 26, "7a") +
                            with(v2_row(), 26, "") + good;
  const Collect out = decode(input);
  CHECK(out.events.size() == 2);
  REQUIRE(out.dead.size() == 5);
  CHECK(out.dead[0].line == 2);
  CHECK(out.dead[0].reason ==
        "expected 57, 58 or 61 tab-separated fields (GDELT 1.0 backfile, 1.0 daily, 2.0), got 3");
  CHECK(out.dead[0].raw == "a\tb\tc");
  CHECK(out.dead[1].reason == "GLOBALEVENTID is not a number: '88x'");
  CHECK(out.dead[2].line == 4);
  CHECK(out.dead[2].reason == "SQLDATE is not a valid YYYYMMDD date: '20191301'");
  CHECK(out.dead[3].reason == "EventCode is not a CAMEO code (2-4 digits): '7a'");
  CHECK(out.dead[4].reason == "EventCode is not a CAMEO code (2-4 digits): ''");
  CHECK(out.events[1].line == 7);
}

TEST_CASE("GDELT old SQLDATEs, empty numbers and integer coordinates", "[gdelt]") {
  std::vector<std::string> old = v2_row();
  old[1] = "20181024";  // "a year ago" in a 2019 file
  for (const std::size_t col : {29U, 30U, 31U, 34U}) old[col].clear();
  old[56] = "54";  // a country centroid printed as integers
  old[57] = "-4";
  const Collect out = decode(join(old));
  REQUIRE(out.events.size() == 1);
  const Decoded& e = out.events[0];
  CHECK(e.time == day(2018, 10, 24));
  CHECK(e.attrs.at("date_added").str == "2019-10-24T14:30:00Z");
  CHECK(e.attrs.count("quad_class") == 0);
  CHECK(e.attrs.count("goldstein") == 0);
  CHECK(e.attrs.count("num_mentions") == 0);
  CHECK(e.attrs.count("avg_tone") == 0);
  CHECK(e.num.at("lat") == 54);
  CHECK(e.num.at("lon") == -4);
  CHECK(e.str.at("region") == "europe");
}

TEST_CASE("GDELT decoding does not depend on chunk boundaries", "[gdelt]") {
  std::string input = join(v2_row()) + "\n" + with(v2_row(), 26, "190");
  input += join(v1_row(false));
  input.pop_back();  // no final newline
  const Collect whole = decode(input);
  REQUIRE(whole.events.size() == 3);
  for (const std::size_t chunk : {1U, 2U, 7U, 61U, 400U}) {
    const Collect parts = decode(input, chunk);
    REQUIRE(parts.events.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(parts.events[i].raw == whole.events[i].raw);
      CHECK(parts.events[i].line == whole.events[i].line);
    }
  }
  CHECK(whole.events[1].line == 3);  // the blank line 2 is skipped but counted
  CHECK(whole.events[1].kind == "incident");
}

TEST_CASE("GDELT CRLF line ends and a header row are accepted", "[gdelt]") {
  std::vector<std::string> header = v2_row();
  header[0] = "GLOBALEVENTID";
  std::string row = join(v2_row());
  row.insert(row.size() - 1, "\r");
  const Collect out = decode(join(header) + row);
  CHECK(out.dead.empty());
  REQUIRE(out.events.size() == 1);
  CHECK(out.events[0].attrs.at("source_url").str ==
        "http://watchingamerica.com/WA/tag/foreign-policy/");
}

TEST_CASE("GDELT rows over the size limit are dead letters", "[gdelt]") {
  const std::string big = with(v2_row(), 60, "http://x/" + std::string(600, 'a'));
  const std::string input = big + join(v2_row());
  for (const std::size_t chunk : {5U, 1000U}) {
    const Collect out = decode(input, chunk, 500);
    REQUIRE(out.dead.size() == 1);
    CHECK(out.dead[0].reason == "record exceeds the size limit of 500 bytes");
    CHECK(out.dead[0].line == 1);
    CHECK(out.dead[0].raw.size() == 500);
    REQUIRE(out.events.size() == 1);
    CHECK(out.events[0].line == 2);
  }
}

TEST_CASE("GDELT actors: empty actors, regional codes and known groups", "[gdelt]") {
  std::vector<std::string> nato = v2_row();
  nato[5] = "IGOWSTNAT";
  nato[7] = "WST";  // a CAMEO region, not a state
  nato[8] = "NAT";
  nato[15] = "IGOEUREEC";
  nato[17] = "EUR";
  nato[18] = "EEC";
  nato[26] = "014";
  std::vector<std::string> none = v2_row();
  for (const std::size_t col : {5U, 6U, 7U, 15U, 16U, 17U}) none[col].clear();
  std::vector<std::string> old = v2_row();
  old[7] = "ROM";  // CAMEO's code for Romania
  const Collect out = decode(join(nato) + join(none) + join(old));
  REQUIRE(out.events.size() == 3);
  CHECK(out.events[0].actors == std::vector<std::string>{"NATO", "EU"});
  CHECK(out.events[0].str.at("speaker") == "NATO");
  CHECK(out.events[0].attrs.at("actor1_code").str == "IGOWSTNAT");
  CHECK(out.events[1].actors.empty());
  CHECK(out.events[1].str.count("initiator") == 0);
  CHECK(out.events[1].str.count("supplier") == 0);
  CHECK(out.events[2].actors == std::vector<std::string>{"ROU", "ARE"});
}

TEST_CASE("GDELT geography: type 0, FIPS codes and regions", "[gdelt]") {
  std::vector<std::string> nowhere = v2_row();
  nowhere[51] = "0";
  for (const std::size_t col : {52U, 53U, 54U, 55U, 56U, 57U, 58U}) nowhere[col].clear();
  std::vector<std::string> kyiv = v2_row();
  kyiv[52] = "Kiev, Kyyiv, Misto, Ukraine";
  kyiv[53] = "UP";
  kyiv[56] = "50.4333";
  kyiv[57] = "30.5167";
  std::vector<std::string> taipei = v2_row();
  taipei[53] = "TW";
  taipei[56] = "25.0392";
  taipei[57] = "121.525";
  std::vector<std::string> odd = v2_row();
  odd[53] = "XQ";  // no such FIPS code
  odd[56] = "north";
  const Collect out = decode(join(nowhere) + join(kyiv) + join(taipei) + join(odd));
  REQUIRE(out.events.size() == 4);
  CHECK(out.events[0].num.count("lat") == 0);
  CHECK(out.events[0].str.count("country") == 0);
  CHECK(out.events[0].str.count("region") == 0);
  CHECK(out.events[1].str.at("country") == "UKR");
  CHECK(out.events[1].str.at("region") == "ukraine");
  CHECK(out.events[2].str.at("country") == "TWN");
  CHECK(out.events[2].str.at("region") == "taiwan_strait");
  CHECK(out.events[3].str.count("country") == 0);
  CHECK(out.events[3].attrs.at("action_fips").str == "XQ");
  CHECK(out.events[3].num.count("lat") == 0);
}

TEST_CASE("GDELT names with '?' and invalid UTF-8 still give valid events", "[gdelt]") {
  std::vector<std::string> row = v2_row();
  row[52] = "Riyadh, Ar Riya?, Saudi Arabia";
  std::vector<std::string> bad = v2_row();
  bad[52] = "Caf\xE9 \xFF";
  const Collect out = decode(join(row) + join(bad));
  REQUIRE(out.events.size() == 2);
  CHECK(out.events[0].attrs.at("action_geo").str == "Riyadh, Ar Riya?, Saudi Arabia");
  CHECK(out.events[1].attrs.at("action_geo").str == "Caf\xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST_CASE("GDELT sanctions and summits carry action, host and mirrors", "[gdelt]") {
  std::vector<std::string> visit = v2_row();
  visit[26] = "042";  // ESP visits ARE
  std::vector<std::string> host = v2_row();
  host[26] = "043";  // ARE hosts ESP, same article
  std::swap(host[5], host[15]);
  std::swap(host[7], host[17]);
  host[0] = "881991600";
  std::vector<std::string> other = host;  // the same pair in another article
  other[0] = "881991601";
  other[60] = "http://example.org/other";
  std::vector<std::string> lift = v2_row();
  lift[26] = "085";
  const Collect out = decode(join(visit) + join(host) + join(other) + join(lift));
  REQUIRE(out.events.size() == 4);
  CHECK(out.events[0].kind == "summit");
  CHECK(out.events[0].str.at("host") == "ARE");
  CHECK(out.events[0].tags.empty());
  CHECK(out.events[1].kind == "summit_mirror");
  CHECK(out.events[1].str.at("host") == "ARE");
  CHECK(out.events[1].tags == std::vector<std::string>{"mirror"});
  CHECK(out.events[1].attrs.at("mirror_of").str == "gdelt-881991513");
  CHECK(out.events[2].tags.empty());
  CHECK(out.events[3].kind == "sanction");
  CHECK(out.events[3].str.at("action") == "lift");
  CHECK(out.events[3].str.at("topic") == "sanctions");
}

TEST_CASE("GDELT decoder survives arbitrary bytes", "[gdelt]") {
  std::mt19937 rng(12345);
  const std::string base = join(v2_row()) + join(v1_row(false));
  for (int round = 0; round < 300; ++round) {
    std::string input = base;
    const int edits = 1 + static_cast<int>(rng() % 20);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = rng() % input.size();
      const char c = "\t\n\r\0\xFF\x80?9-."[rng() % 10];
      if (rng() % 2 == 0) {
        input[at] = c;
      } else {
        input.insert(at, 1, c);
      }
    }
    const Collect out = decode(input, 1 + rng() % 64, 64 + rng() % 600);
    CHECK(out.events.size() + out.dead.size() <= static_cast<std::size_t>(3 + edits));
  }
}
