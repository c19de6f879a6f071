// Unit tests: the JSON Lines decoder and the decoder registry.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/event.hpp"

using flashpoint::AttrValue;
using flashpoint::BoolField;
using flashpoint::Event;
using flashpoint::ListField;
using flashpoint::NumField;
using flashpoint::parse_time;
using flashpoint::StrField;
using flashpoint::adapters::DeadLetter;
using flashpoint::adapters::Decoder;
using flashpoint::adapters::DecoderOptions;
using flashpoint::adapters::DecodeSink;
using flashpoint::adapters::detect_format;
using flashpoint::adapters::make_decoder;
using flashpoint::adapters::Position;

namespace {

const std::string kBenchLine =
    R"({"id":"e000000003","time":"2024-03-01T00:00:16Z","kind":"arms_transfer",)"
    R"("actors":["USA","AUS"],"region":"south_china_sea","supplier":"USA","recipient":"AUS",)"
    R"("value_usd":2421000000,"direct":true,"source":"synthetic","attrs":{}})";

// One decoder output, copied out of the sink callback.
struct Record {
  bool dead = false;
  std::uint64_t line = 0;
  std::uint64_t end_offset = 0;
  std::string reason;  // dead letters
  std::string raw;     // dead letter raw, or Event::raw
  std::string json;    // events: to_json()
  Event event;

  bool operator==(const Record& o) const {
    return dead == o.dead && line == o.line && end_offset == o.end_offset && reason == o.reason &&
           raw == o.raw && json == o.json;
  }
};

struct Collect : DecodeSink {
  std::vector<Record> records;
  std::string feed_seen;

  void on_event(const Event& event, const Position& pos) override {
    Record r;
    r.line = pos.line;
    r.end_offset = pos.end_offset;
    r.raw = event.raw;
    r.json = event.to_json();
    r.event = event;
    records.push_back(std::move(r));
  }
  void on_dead_letter(const DeadLetter& dl) override {
    Record r;
    r.dead = true;
    r.line = dl.pos.line;
    r.end_offset = dl.pos.end_offset;
    r.reason = std::string(dl.reason);
    r.raw = std::string(dl.raw);
    feed_seen = std::string(dl.feed);
    records.push_back(std::move(r));
  }
};

DecoderOptions options(std::size_t max_record = 1U << 20U) {
  DecoderOptions o;
  o.feed = "wire";
  o.max_record = max_record;
  return o;
}

// Decodes `input` fed in chunks cut at `cuts` (ascending offsets).
std::vector<Record> decode_cut(std::string_view input, const std::vector<std::size_t>& cuts,
                               const DecoderOptions& opts = options()) {
  auto decoder = make_decoder("jsonl", opts);
  Collect sink;
  std::size_t start = 0;
  for (const std::size_t cut : cuts) {
    decoder->feed(input.substr(start, cut - start), sink);
    start = cut;
  }
  decoder->feed(input.substr(start), sink);
  decoder->finish(sink);
  return std::move(sink.records);
}

std::vector<Record> decode(std::string_view input, const DecoderOptions& opts = options()) {
  return decode_cut(input, {}, opts);
}

std::vector<Record> decode_bytewise(std::string_view input, const DecoderOptions& opts) {
  auto decoder = make_decoder("jsonl", opts);
  Collect sink;
  for (const char c : input) decoder->feed({&c, 1}, sink);
  decoder->finish(sink);
  return std::move(sink.records);
}

// Decodes one line; requires exactly one record.
Record one(std::string_view line) {
  auto records = decode(std::string(line) + "\n");
  REQUIRE(records.size() == 1);
  return records.front();
}

Event event_of(std::string_view line) {
  const Record r = one(line);
  INFO(r.reason);
  REQUIRE_FALSE(r.dead);
  return r.event;
}

std::string reason_of(std::string_view line) {
  const Record r = one(line);
  REQUIRE(r.dead);
  CHECK(r.raw == line);
  return r.reason;
}

// A valid line with `extra` spliced in before the closing brace.
std::string with(std::string_view extra) {
  return std::string(R"({"id":"x1","time":"2024-07-10T00:00:00Z","kind":"statement")") +
         std::string(extra) + "}";
}

}  // namespace

TEST_CASE("jsonl decodes the benchmark line", "[jsonl]") {
  const Record r = one(kBenchLine);
  REQUIRE_FALSE(r.dead);
  const Event& ev = r.event;
  CHECK(ev.str(StrField::id) == "e000000003");
  CHECK(ev.time == *parse_time("2024-03-01T00:00:16Z"));
  CHECK(ev.str(StrField::kind) == "arms_transfer");
  CHECK(ev.list(ListField::actors) == std::vector<std::string>{"USA", "AUS"});
  CHECK(ev.str(StrField::region) == "south_china_sea");
  CHECK(ev.str(StrField::supplier) == "USA");
  CHECK(ev.str(StrField::recipient) == "AUS");
  CHECK(ev.num(NumField::value_usd) == 2421000000.0);
  REQUIRE(ev.has(BoolField::direct));
  CHECK(ev.boolean(BoolField::direct));
  CHECK(ev.str(StrField::source) == "synthetic");
  CHECK(ev.attrs().empty());
  CHECK_FALSE(ev.has(StrField::host));
  CHECK_FALSE(ev.has(ListField::tags));
  CHECK_FALSE(ev.has(NumField::quantity));
  CHECK(ev.raw == kBenchLine);
  CHECK(r.line == 1);
  CHECK(r.end_offset == kBenchLine.size() + 1);
}

TEST_CASE("jsonl reads every schema field", "[jsonl]") {
  const Event ev = event_of(
      R"({"id":"s1","time":"2024-07-10T09:30:00.25+09:00","kind":"statement","source":"wire2",)"
      R"("actors":["CHN","NATO"],"initiator":"CHN","target":"JPN","supplier":"RUS",)"
      R"("recipient":"PRK","end_user":"RUS","direct":false,"item":"shells","quantity":1000,)"
      R"("value_usd":1.5e9,"host":"CHN","speaker":"CHN","topic":"nato_asia","stance":"warn",)"
      R"("action":"impose","region":"east_china_sea","country":"CHN","lat":29.5,"lon":-125.25,)"
      R"("confidence":0.8,"tags":["a","b"],"rule":"r/1","severity":"high","claims":["C1"]})");
  CHECK(ev.time == *parse_time("2024-07-10T00:30:00.25Z"));
  CHECK(ev.str(StrField::source) == "wire2");
  CHECK(ev.str(StrField::initiator) == "CHN");
  CHECK(ev.str(StrField::target) == "JPN");
  CHECK(ev.str(StrField::end_user) == "RUS");
  CHECK_FALSE(ev.boolean(BoolField::direct));
  CHECK(ev.has(BoolField::direct));
  CHECK(ev.str(StrField::item) == "shells");
  CHECK(ev.num(NumField::quantity) == 1000);
  CHECK(ev.num(NumField::value_usd) == 1.5e9);
  CHECK(ev.str(StrField::topic) == "nato_asia");
  CHECK(ev.str(StrField::stance) == "warn");
  CHECK(ev.str(StrField::action) == "impose");
  CHECK(ev.str(StrField::country) == "CHN");
  CHECK(ev.num(NumField::lat) == 29.5);
  CHECK(ev.num(NumField::lon) == -125.25);
  CHECK(ev.num(NumField::confidence) == 0.8);
  CHECK(ev.list(ListField::tags) == std::vector<std::string>{"a", "b"});
  CHECK(ev.str(StrField::rule) == "r/1");
  CHECK(ev.str(StrField::severity) == "high");
  CHECK(ev.list(ListField::claims) == std::vector<std::string>{"C1"});
  CHECK(ev.attrs().empty());
}

TEST_CASE("jsonl sets source to the feed name when absent", "[jsonl]") {
  const Event ev = event_of(with(""));
  CHECK(ev.str(StrField::source) == "wire");
  CHECK(event_of(with(R"(,"source":"")")).str(StrField::source).empty());
  CHECK(event_of(with(R"(,"source":null)")).str(StrField::source) == "wire");
}

TEST_CASE("jsonl accepts integer ids", "[jsonl]") {
  const std::string rest = R"(,"time":"2024-07-10","kind":"summit"})";
  CHECK(event_of(R"({"id":123)" + rest).str(StrField::id) == "123");
  CHECK(event_of(R"({"id":0)" + rest).str(StrField::id) == "0");
  CHECK(event_of(R"({"id":-42)" + rest).str(StrField::id) == "-42");
  CHECK(event_of(R"({"id":18446744073709551615)" + rest).str(StrField::id) ==
        "18446744073709551615");
  CHECK(reason_of(R"({"id":1.5)" + rest) == "field 'id' must be a string or an integer");
  CHECK(reason_of(R"({"id":1e3)" + rest) == "field 'id' must be a string or an integer");
  CHECK(reason_of(R"({"id":true)" + rest) == "field 'id' must be a string or an integer");
  CHECK(reason_of(R"({"id":["a"])" + rest) == "field 'id' must be a string or an integer");
}

TEST_CASE("jsonl treats null as absent", "[jsonl]") {
  const Event ev = event_of(
      with(R"(,"region":null,"actors":null,"direct":null,"lat":null,"attrs":null,"extra":null)"));
  CHECK_FALSE(ev.has(StrField::region));
  CHECK_FALSE(ev.has(ListField::actors));
  CHECK_FALSE(ev.has(BoolField::direct));
  CHECK_FALSE(ev.has(NumField::lat));
  CHECK(ev.attrs().empty());

  CHECK(reason_of(R"({"id":null,"time":"2024-07-10","kind":"x"})") ==
        "missing required field 'id'");
  CHECK(reason_of(R"({"id":"a","time":null,"kind":"x"})") == "missing required field 'time'");
  CHECK(reason_of(R"({"id":"a","time":"2024-07-10","kind":null})") ==
        "missing required field 'kind'");
}

TEST_CASE("jsonl types attrs values", "[jsonl]") {
  const Event ev =
      event_of(with(R"(,"attrs":{"domain":"naval","ships":12,"ratio":0.5,"live":true,"off":false,)"
                    R"("units":["a","b"],"none":[],"gone":null})"));
  REQUIRE(ev.attrs().size() == 7);
  REQUIRE(ev.attr("domain") != nullptr);
  CHECK(ev.attr("domain")->type == AttrValue::Type::string);
  CHECK(ev.attr("domain")->str == "naval");
  CHECK(ev.attr("ships")->type == AttrValue::Type::number);
  CHECK(ev.attr("ships")->num == 12);
  CHECK(ev.attr("ratio")->num == 0.5);
  CHECK(ev.attr("live")->type == AttrValue::Type::boolean);
  CHECK(ev.attr("live")->boolean);
  CHECK_FALSE(ev.attr("off")->boolean);
  CHECK(ev.attr("units")->type == AttrValue::Type::list);
  CHECK(ev.attr("units")->list == std::vector<std::string>{"a", "b"});
  CHECK(ev.attr("none")->type == AttrValue::Type::list);
  CHECK(ev.attr("none")->list.empty());
  CHECK(ev.attr("gone") == nullptr);
}

TEST_CASE("jsonl keeps unknown top-level keys under attrs", "[jsonl]") {
  const Event ev = event_of(with(
      R"(,"mission":"patrol","ships":3,"joint":true,"partners":["AUS"],"attrs":{"domain":"air"})"));
  REQUIRE(ev.attrs().size() == 5);
  CHECK(ev.attr("mission")->str == "patrol");
  CHECK(ev.attr("ships")->type == AttrValue::Type::number);
  CHECK(ev.attr("ships")->num == 3);
  CHECK(ev.attr("joint")->boolean);
  CHECK(ev.attr("partners")->list == std::vector<std::string>{"AUS"});
  CHECK(ev.attr("domain")->str == "air");
  // A later value of the same name replaces the earlier one.
  const Event dup = event_of(with(R"(,"domain":"sea","attrs":{"domain":"air"})"));
  REQUIRE(dup.attrs().size() == 1);
  CHECK(dup.attr("domain")->str == "air");
}

TEST_CASE("jsonl unescapes keys and values", "[jsonl]") {
  const Event ev = event_of(
      R"({"i\u0064":"a\"b","time":"2024-07-10","kind":"st\u0061tement","attrs":{"k\n":"\u00e9"}})");
  CHECK(ev.str(StrField::id) == "a\"b");
  CHECK(ev.str(StrField::kind) == "statement");
  REQUIRE(ev.attr("k\n") != nullptr);
  CHECK(ev.attr("k\n")->str == "\xc3\xa9");
}

TEST_CASE("jsonl unescapes long strings and list elements", "[jsonl]") {
  const std::string long_text(300, 'z');
  const Event ev =
      event_of(with(R"(,"item":")" + long_text + R"(\t","actors":["A\u0042","C\\"],)" +
                    R"("attrs":{"l":["\"q\"",")" + long_text + R"("]},"topic":"x\/y")"));
  CHECK(ev.str(StrField::item) == long_text + "\t");
  CHECK(ev.list(ListField::actors) == std::vector<std::string>{"AB", "C\\"});
  REQUIRE(ev.attr("l") != nullptr);
  CHECK(ev.attr("l")->list == std::vector<std::string>{"\"q\"", long_text});
  CHECK(ev.str(StrField::topic) == "x/y");
  CHECK(reason_of(with(R"(,"topic":"bad \x escape")")).rfind("invalid JSON: ", 0) == 0);
  CHECK(reason_of(with(R"(,"topic":"\ud800")")).rfind("invalid JSON: ", 0) == 0);
}

TEST_CASE("jsonl lets a repeated key replace the earlier value", "[jsonl]") {
  const Event ev =
      event_of(with(R"(,"actors":["A","B"],"actors":["C"],"region":"x","region":"y")"));
  CHECK(ev.list(ListField::actors) == std::vector<std::string>{"C"});
  CHECK(ev.str(StrField::region) == "y");
}

TEST_CASE("jsonl dead letters: malformed documents", "[jsonl]") {
  for (const char* line : {R"({"id":)", R"({"id":"a",})", R"({"id" "a"})", R"({"id":tru})",
                           R"({"id":"a)", R"({"id":"a","x":[1,2})", R"({,})"}) {
    INFO(line);
    const std::string reason = reason_of(line);
    CHECK(reason.rfind("invalid JSON: ", 0) == 0);
    CHECK(reason.size() > 14);
  }
  for (const char* line : {"[1,2]", R"("text")", "42", "true", "null", "[]"}) {
    INFO(line);
    CHECK(reason_of(line) == "not a JSON object");
  }
  CHECK(reason_of(with("") + " x") == "trailing content after the JSON object");
  CHECK(reason_of(with("") + "{}") == "trailing content after the JSON object");
  CHECK(reason_of(with("") + "}") == "trailing content after the JSON object");
  CHECK(reason_of(with("") + " 5") == "trailing content after the JSON object");
}

TEST_CASE("jsonl dead letters: required fields", "[jsonl]") {
  CHECK(reason_of(R"({"time":"2024-07-10","kind":"x"})") == "missing required field 'id'");
  CHECK(reason_of(R"({"id":"a","kind":"x"})") == "missing required field 'time'");
  CHECK(reason_of(R"({"id":"a","time":"2024-07-10"})") == "missing required field 'kind'");
  CHECK(reason_of("{}") == "missing required field 'id'");
  CHECK(reason_of(R"({"id":"","time":"2024-07-10","kind":"x"})") == "field 'id' must not be empty");
  CHECK(reason_of(R"({"id":"a","time":"2024-07-10","kind":""})") ==
        "field 'kind' must not be empty");
  CHECK(reason_of(R"({"id":"a","time":"2024-13-01","kind":"x"})") ==
        "field 'time': invalid RFC 3339 timestamp '2024-13-01'");
  CHECK(reason_of(R"({"id":"a","time":"2024-07-10T00:00:00","kind":"x"})") ==
        "field 'time': invalid RFC 3339 timestamp '2024-07-10T00:00:00'");
  CHECK(reason_of(R"({"id":"a","time":1720569600,"kind":"x"})") == "field 'time' must be a string");
  CHECK(reason_of(R"({"id":"a","time":"2024-07-10","kind":7})") == "field 'kind' must be a string");
  // A long or multi-line bad value is cut and kept on one line.
  const std::string long_time(200, '9');
  const std::string reason = reason_of(R"({"id":"a","time":")" + long_time + R"(\nx","kind":"x"})");
  CHECK(reason == "field 'time': invalid RFC 3339 timestamp '" + std::string(64, '9') + "...'");
  CHECK(reason_of(R"({"id":"a","time":"2024\n","kind":"x"})") ==
        "field 'time': invalid RFC 3339 timestamp '2024\\n'");
}

TEST_CASE("jsonl dead letters: wrong field types", "[jsonl]") {
  CHECK(reason_of(with(R"(,"region":5)")) == "field 'region' must be a string");
  CHECK(reason_of(with(R"(,"source":["a"])")) == "field 'source' must be a string");
  CHECK(reason_of(with(R"(,"value_usd":"1000")")) == "field 'value_usd' must be a number");
  CHECK(reason_of(with(R"(,"lat":true)")) == "field 'lat' must be a number");
  CHECK(reason_of(with(R"(,"direct":"true")")) == "field 'direct' must be a bool");
  CHECK(reason_of(with(R"(,"direct":1)")) == "field 'direct' must be a bool");
  CHECK(reason_of(with(R"(,"actors":"CHN")")) == "field 'actors' must be a list of strings");
  CHECK(reason_of(with(R"(,"actors":["CHN",1])")) == "field 'actors' must be a list of strings");
  CHECK(reason_of(with(R"(,"tags":[null])")) == "field 'tags' must be a list of strings");
  CHECK(reason_of(with(R"(,"claims":{"a":"b"})")) == "field 'claims' must be a list of strings");
  CHECK(reason_of(with(R"(,"attrs":[])")) == "field 'attrs' must be an object");
  CHECK(reason_of(with(R"(,"attrs":"x")")) == "field 'attrs' must be an object");
  const std::string attr_types = "must be a string, number, bool or list of strings";
  CHECK(reason_of(with(R"(,"attrs":{"x":{}})")) == "field 'attrs.x' " + attr_types);
  CHECK(reason_of(with(R"(,"attrs":{"x":[1]})")) == "field 'attrs.x' " + attr_types);
  CHECK(reason_of(with(R"(,"attrs":{"x":["a",["b"]]})")) == "field 'attrs.x' " + attr_types);
  CHECK(reason_of(with(R"(,"extra":{"a":1})")) == "field 'extra' " + attr_types);
  CHECK(reason_of(with(R"(,"extra":[true])")) == "field 'extra' " + attr_types);
}

TEST_CASE("jsonl numbers line and offsets, skipping blank lines", "[jsonl]") {
  const std::string a = with("");
  const std::string input = "\n" + a + "\n   \n\t\r\n" + a + "\n\n";
  const auto records = decode(input);
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 2);
  CHECK(records[0].end_offset == 1 + a.size() + 1);
  CHECK(records[1].line == 5);
  CHECK(records[1].end_offset == 1 + a.size() + 1 + 4 + 3 + a.size() + 1);
  CHECK(decode("").empty());
  CHECK(decode("\n\n  \n").empty());
  CHECK(decode("   ").empty());
}

TEST_CASE("jsonl strips CR before LF", "[jsonl]") {
  const std::string a = with("");
  const auto records = decode(a + "\r\n" + a + "\r\n");
  REQUIRE(records.size() == 2);
  CHECK_FALSE(records[0].dead);
  CHECK(records[0].raw == a);
  CHECK(records[0].end_offset == a.size() + 2);
  CHECK(records[1].line == 2);
  CHECK(records[1].end_offset == 2 * (a.size() + 2));
  // A CR that is not before the LF is whitespace inside the JSON.
  CHECK_FALSE(one(with("") + "\r\r").dead);
}

TEST_CASE("jsonl flushes a final line without newline on finish", "[jsonl]") {
  const std::string a = with("");
  auto decoder = make_decoder("jsonl", options());
  Collect sink;
  decoder->feed(a + "\n" + a, sink);
  CHECK(sink.records.size() == 1);
  decoder->finish(sink);
  REQUIRE(sink.records.size() == 2);
  CHECK(sink.records[1].line == 2);
  CHECK(sink.records[1].end_offset == 2 * a.size() + 1);
  CHECK(sink.records[1].raw == a);
}

TEST_CASE("jsonl gives identical results for every chunk split", "[jsonl]") {
  const std::string input = kBenchLine + "\n" + R"({"id":"bad","time":"2024-07-10"})" + "\r\n" +
                            with(R"(,"attrs":{"domain":"naval"},"x":[""])");
  const auto expected = decode(input);
  REQUIRE(expected.size() == 3);
  CHECK_FALSE(expected[0].dead);
  CHECK(expected[1].dead);
  CHECK(expected[1].reason == "missing required field 'kind'");
  CHECK(expected[1].line == 2);
  CHECK_FALSE(expected[2].dead);
  CHECK(expected[2].end_offset == input.size());

  for (std::size_t i = 0; i <= input.size(); ++i) {
    INFO("split at " << i);
    REQUIRE(decode_cut(input, {i}) == expected);
  }
  for (std::size_t i = 0; i <= input.size(); i += 3) {
    for (std::size_t j = i; j <= input.size(); j += 5) {
      INFO("split at " << i << " and " << j);
      REQUIRE(decode_cut(input, {i, j}) == expected);
    }
  }
  CHECK(decode_bytewise(input, options()) == expected);
}

TEST_CASE("jsonl enforces the line limit", "[jsonl]") {
  const std::string a = with("");
  const std::string b = with(R"(,"region":"x")");
  const std::size_t limit = b.size();
  const std::string over = with(R"(,"region":"xy")");
  REQUIRE(over.size() == limit + 1);
  const std::string input = b + "\n" + b + "\r\n" + over + "\n" + a + "\n" + over;
  const std::string reason = "line exceeds " + std::to_string(limit) + " bytes";

  const auto check = [&](const std::vector<Record>& records) {
    REQUIRE(records.size() == 5);
    CHECK_FALSE(records[0].dead);  // exactly at the limit
    CHECK_FALSE(records[1].dead);  // at the limit, plus CR
    CHECK(records[1].raw == b);
    REQUIRE(records[2].dead);
    CHECK(records[2].reason == reason);
    CHECK(records[2].raw == over.substr(0, limit));
    CHECK(records[2].line == 3);
    CHECK(records[2].end_offset == 2 * b.size() + 3 + over.size() + 1);
    CHECK_FALSE(records[3].dead);  // the next line still parses
    CHECK(records[3].line == 4);
    REQUIRE(records[4].dead);  // over the limit at end of input
    CHECK(records[4].reason == reason);
    CHECK(records[4].line == 5);
    CHECK(records[4].end_offset == input.size());
  };
  check(decode(input, options(limit)));
  check(decode_bytewise(input, options(limit)));
  for (std::size_t i = 0; i <= input.size(); ++i) {
    INFO("split at " << i);
    check(decode_cut(input, {i}, options(limit)));
  }
}

TEST_CASE("jsonl does not buffer an over-long line", "[jsonl]") {
  auto decoder = make_decoder("jsonl", options(100));
  Collect sink;
  const std::string junk(1000, 'x');
  for (int i = 0; i < 1000; ++i) decoder->feed(junk, sink);  // 1 MB, no newline
  CHECK(sink.records.empty());
  decoder->feed("\n" + with("") + "\n", sink);
  decoder->finish(sink);
  REQUIRE(sink.records.size() == 2);
  CHECK(sink.records[0].dead);
  CHECK(sink.records[0].reason == "line exceeds 100 bytes");
  CHECK(sink.records[0].raw == std::string(100, 'x'));
  CHECK(sink.records[0].end_offset == 1000001);
  CHECK(sink.feed_seen == "wire");
  CHECK_FALSE(sink.records[1].dead);
  CHECK(sink.records[1].line == 2);
}

TEST_CASE("jsonl round trips through Event::to_json", "[jsonl]") {
  const std::string lines[] = {
      kBenchLine,
      R"({"id":7,"time":"2024-07-10T09:30:00.123456+09:00","kind":"statement","speaker":"CHN",)"
      R"("topic":"taiwan_status","stance":"warn","tags":[],"lat":25.03,"lon":121.5,)"
      R"("confidence":0.75,"quantity":3,"text":"say \"no\"\n","n":-1.25,"ok":false,)"
      R"("attrs":{"who":["a","b"],"big":1e21}})",
      R"({"id":"a1","time":"2024-07-10","kind":"alert","rule":"r","severity":"high",)"
      R"("claims":["C1","C6"],"actors":["CHN","JPN"],"region":"sea_of_japan","direct":true})",
  };
  for (const auto& line : lines) {
    INFO(line);
    const Event first = event_of(line);
    const std::string json = first.to_json();
    const Event second = event_of(json);
    CHECK(second.to_json() == json);
    CHECK(second.time == first.time);
    CHECK(second.str(StrField::id) == first.str(StrField::id));
    CHECK(second.attrs().size() == first.attrs().size());
    for (const auto& attr : first.attrs()) {
      const AttrValue* other = second.attr(attr.name);
      REQUIRE(other != nullptr);
      CHECK(other->type == attr.value.type);
      CHECK(other->str == attr.value.str);
      CHECK(other->num == attr.value.num);
      CHECK(other->boolean == attr.value.boolean);
      CHECK(other->list == attr.value.list);
    }
    for (std::size_t f = 0; f < flashpoint::kStrFieldCount; ++f) {
      const auto field = static_cast<StrField>(f);
      CHECK(second.has(field) == first.has(field));
      CHECK(second.str(field) == first.str(field));
    }
    for (std::size_t f = 0; f < flashpoint::kNumFieldCount; ++f) {
      const auto field = static_cast<NumField>(f);
      CHECK(second.has(field) == first.has(field));
      if (first.has(field)) CHECK(second.num(field) == first.num(field));
    }
    for (std::size_t f = 0; f < flashpoint::kListFieldCount; ++f) {
      const auto field = static_cast<ListField>(f);
      CHECK(second.has(field) == first.has(field));
      CHECK(second.list(field) == first.list(field));
    }
    CHECK(second.has(BoolField::direct) == first.has(BoolField::direct));
  }
}

TEST_CASE("jsonl reuses its event between lines", "[jsonl]") {
  // Fields of one line never leak into the next.
  const auto records = decode(with(R"(,"region":"x","actors":["A"],"attrs":{"k":"v"},"lat":1)") +
                              "\n" + with("") + "\n");
  REQUIRE(records.size() == 2);
  const Event& ev = records[1].event;
  CHECK_FALSE(ev.has(StrField::region));
  CHECK_FALSE(ev.has(ListField::actors));
  CHECK_FALSE(ev.has(NumField::lat));
  CHECK(ev.attrs().empty());
}

TEST_CASE("make_decoder makes jsonl decoders and rejects unknown formats", "[jsonl]") {
  CHECK(make_decoder("jsonl", options()) != nullptr);
  CHECK(make_decoder("nope", options()) == nullptr);
  CHECK(make_decoder("", options()) == nullptr);
}

TEST_CASE("detect_format guesses from name and content", "[jsonl]") {
  CHECK(detect_format("a/events.jsonl", "") == "jsonl");
  CHECK(detect_format("events.NDJSON", "") == "jsonl");
  CHECK(detect_format("events.json", "") == "jsonl");
  CHECK(detect_format("20240710.export.CSV", "") == "gdelt");
  CHECK(detect_format("20240710.export.csv", "") == "gdelt");
  CHECK(detect_format("feed.txt", "  \n{\"id\":1}") == "jsonl");
  CHECK(detect_format("feed.txt", "") == "jsonl");
  CHECK(detect_format("feed.txt", "hello") == "jsonl");

  const auto tabs = [](int fields) {
    std::string line = "1";
    for (int i = 1; i < fields; ++i) line += "\tf";
    return line + "\n2\tx\n";
  };
  CHECK(detect_format("feed.txt", tabs(57)) == "gdelt");
  CHECK(detect_format("feed.txt", tabs(58)) == "gdelt");
  CHECK(detect_format("feed.txt", tabs(61)) == "gdelt");
  CHECK(detect_format("feed.txt", tabs(59)) == "jsonl");
  CHECK(detect_format("feed.txt", tabs(10)) == "jsonl");
  // The name wins over the content.
  CHECK(detect_format("x.jsonl", tabs(57)) == "jsonl");
}
