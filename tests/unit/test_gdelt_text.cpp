// The text helpers and the record splitter shared by the GDELT, SIPRI and
// ACLED decoders.
#include <catch2/catch.hpp>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "../../adapters/common/json_render.hpp"
#include "../../adapters/common/record_splitter.hpp"
#include "../../adapters/common/text.hpp"

namespace text = flashpoint::adapters::text;
using flashpoint::adapters::RawRecord;
using flashpoint::adapters::RecordSplitter;

namespace {

struct Split {
  std::vector<std::string> bytes;
  std::vector<std::uint64_t> lines, ends;
  std::vector<bool> oversized, unterminated;
};

Split split_records(const std::string& input, std::size_t chunk, std::size_t max, bool csv) {
  RecordSplitter splitter(max, csv);
  Split out;
  const auto on = [&](const RawRecord& r) {
    out.bytes.emplace_back(r.bytes);
    out.lines.push_back(r.pos.line);
    out.ends.push_back(r.pos.end_offset);
    out.oversized.push_back(r.oversized);
    out.unterminated.push_back(r.unterminated_quote);
  };
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    splitter.feed(std::string_view(input).substr(i, chunk), on);
  }
  splitter.finish(on);
  return out;
}

}  // namespace

TEST_CASE("numbers parse exactly, with or without the fast path", "[gdelt]") {
  CHECK(text::parse_number("40") == 40.0);
  CHECK(text::parse_number("-4") == -4.0);
  CHECK(text::parse_number("24.4686") == 24.4686);
  CHECK(text::parse_number("-6.18181818181819") == -6.18181818181819);
  CHECK(text::parse_number("0.1") == 0.1);
  CHECK(text::parse_number("+2.5") == 2.5);
  CHECK(text::parse_number("1e3") == 1000.0);
  CHECK(text::parse_number("12345678901234567890.5") == 12345678901234567890.5);
  CHECK_FALSE(text::parse_number(""));
  CHECK_FALSE(text::parse_number("-"));
  CHECK_FALSE(text::parse_number("."));
  CHECK_FALSE(text::parse_number("1.2.3"));
  CHECK_FALSE(text::parse_number("nan"));
  CHECK_FALSE(text::parse_number("inf"));
  CHECK_FALSE(text::parse_number("4 "));
  CHECK(text::parse_int("-12") == -12);
  CHECK_FALSE(text::parse_int("1234567890123456789"));
  CHECK_FALSE(text::parse_int("12a"));
}

TEST_CASE("split counts every field, stores what fits", "[gdelt]") {
  std::string_view out[4];
  CHECK(text::split("a\tbb\t\tlonger than eight bytes\tz", '\t', out) == 5);
  CHECK(out[0] == "a");
  CHECK(out[1] == "bb");
  CHECK(out[2].empty());
  CHECK(out[3] == "longer than eight bytes");
  CHECK(text::split("", ',', out) == 1);
  CHECK(out[0].empty());
  CHECK(text::split("0123456789abcdef,", ',', out) == 2);
  CHECK(out[1].empty());
}

TEST_CASE("dates, names, snippets and encodings", "[gdelt]") {
  std::string s;
  CHECK(text::compact_to_rfc3339("20191024143000", s));
  CHECK(s == "2019-10-24T14:30:00Z");
  CHECK(text::compact_to_rfc3339("20160728", s));
  CHECK(s == "2016-07-28T00:00:00Z");
  CHECK_FALSE(text::compact_to_rfc3339("20190230", s));
  CHECK_FALSE(text::compact_to_rfc3339("20191024246000", s));
  CHECK_FALSE(text::parse_yyyymmdd("2019102"));
  CHECK(text::parse_yyyymmdd("20200229"));
  CHECK_FALSE(text::parse_yyyymmdd("20190229"));

  text::fold_name("  C\xC3\xB4te d'Ivoire ", s);
  CHECK(s == "cote d ivoire");
  text::fold_name("Bosnia-Herzegovina", s);
  CHECK(s == "bosnia herzegovina");

  s.clear();
  text::append_snippet(s, "a\tb", 10);
  CHECK(s == "'a\\x09b'");
  s.clear();
  text::append_snippet(s, "abcdefghijk", 4);
  CHECK(s == "'abcd...'");

  s.clear();
  text::append_latin1_as_utf8("T\xFCrkiye \xB1", s);
  CHECK(s == "T\xC3\xBCrkiye \xC2\xB1");
  CHECK(text::valid_utf8(s));
  s.clear();
  text::append_repaired_utf8("ok \xC3 \xED\xA0\x80 \xF0\x9F\x98\x80", s);
  CHECK(s == "ok \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xF0\x9F\x98\x80");
}

TEST_CASE("record splitter: lines, CRLF, positions, limits", "[gdelt]") {
  const std::string input = "one\r\ntwo\n\nthree";
  for (const std::size_t chunk : {1U, 2U, 100U}) {
    const Split s = split_records(input, chunk, 100, false);
    CHECK(s.bytes == std::vector<std::string>{"one", "two", "", "three"});
    CHECK(s.lines == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(s.ends == std::vector<std::uint64_t>{5, 9, 10, 15});
  }
  const Split big = split_records("0123456789\nok\n", 3, 4, false);
  CHECK(big.bytes == std::vector<std::string>{"0123", "ok"});
  CHECK(big.oversized == std::vector<bool>{true, false});
  CHECK(big.lines == std::vector<std::uint64_t>{1, 2});
  const Split crlf = split_records("abcd\r\n", 1, 4, false);  // the '\r' does not count
  CHECK(crlf.oversized == std::vector<bool>{false});
}

TEST_CASE("record splitter: CSV quotes keep line feeds", "[gdelt]") {
  const std::string input = "a,\"x\ny\",b\nc,\"say \"\"hi\"\"\nthere\"\nd,e\"f\ng,\"open\n";
  for (const std::size_t chunk : {1U, 4U, 100U}) {
    const Split s = split_records(input, chunk, 100, true);
    REQUIRE(s.bytes.size() == 4);
    CHECK(s.bytes[0] == "a,\"x\ny\",b");
    CHECK(s.bytes[1] == "c,\"say \"\"hi\"\"\nthere\"");
    CHECK(s.bytes[2] == "d,e\"f");  // a quote inside a field is text
    CHECK(s.bytes[3] == "g,\"open\n");
    CHECK(s.unterminated == std::vector<bool>{false, false, false, true});
    CHECK(s.lines[0] == 1);
    CHECK(s.lines[1] == 3);
    CHECK(s.lines[2] == 5);
    CHECK(s.lines[3] == 6);
  }
}

namespace {

// Fills every kind of field, with strings that need escaping.
void fill_all_types(flashpoint::Event& e, const std::vector<std::string>& text) {
  using namespace flashpoint;
  e.time = 1720569600123456;  // a fraction of a second
  e.set(StrField::id, text[0]);
  e.set(StrField::kind, text[1]);
  e.set(StrField::rule, text[1]);
  e.set(NumField::quantity, 12);
  e.set(NumField::value_usd, 1.5e12);
  e.set(NumField::lat, -0.1);
  e.set(NumField::lon, std::numeric_limits<double>::infinity());  // renders as null
  e.set(BoolField::direct, false);
  e.list_mut(ListField::actors);  // present but empty
  e.push(ListField::tags, text[2]);
  text::set_attr(e, "s", text[0]);
  text::set_attr_num(e, "n", 0.30000000000000004);
  text::set_attr_bool(e, "b", true);
  auto& list = text::set_attr_list(e, "l");
  list.push_back(text[1]);
  list.push_back(text[2]);
}

}  // namespace

TEST_CASE("JsonRenderer writes exactly what Event::to_json writes", "[gdelt]") {
  flashpoint::adapters::JsonRenderer renderer;
  std::string out;
  flashpoint::Event e;
  renderer.render(e, out);
  CHECK(out == e.to_json());
  fill_all_types(e, {"q\"uote\\back\nnl\ttab\x01ctl\x7f\xC3\xA9", "summit", "a\"b\b\f"});
  for (int i = 0; i < 2; ++i) {  // the second pass reuses the cached time
    renderer.render(e, out);
    CHECK(out == e.to_json());
  }
  e.time = 0;
  renderer.render(e, out);
  CHECK(out == e.to_json());
}

TEST_CASE("JsonRenderer escapes arbitrary strings as to_json does", "[gdelt]") {
  std::mt19937 rng(99);
  flashpoint::adapters::JsonRenderer renderer;
  flashpoint::Event e;
  std::string out;
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 40, ' ');
    for (char& c : s) {
      const char pool[] = {'a', '"', '\\', '\n', '\x01', '\x1f', ' ', '\x7f', '\x80', '\xff'};
      c = rng() % 3 == 0 ? pool[rng() % sizeof pool] : static_cast<char>('a' + rng() % 26);
    }
    e.clear();
    e.set(flashpoint::StrField::id, s);
    flashpoint::adapters::text::set_attr(e, "v", s);
    renderer.render(e, out);
    REQUIRE(out == e.to_json());
  }
}
