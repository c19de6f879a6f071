// Unit tests: the Event buffer, schema lookup and JSON rendering.
#include <catch2/catch.hpp>
#include <limits>
#include <set>
#include <string>

#include "flashpoint/engine/event.hpp"

using flashpoint::AttrValue;
using flashpoint::BoolField;
using flashpoint::Event;
using flashpoint::FieldInfo;
using flashpoint::ListField;
using flashpoint::lookup_field;
using flashpoint::NumField;
using flashpoint::parse_time;
using flashpoint::schema_field_names;
using flashpoint::StrField;

TEST_CASE("Event setters mark fields present", "[event]") {
  Event ev;
  CHECK_FALSE(ev.has(StrField::region));
  ev.set(StrField::region, "taiwan_strait");
  CHECK(ev.has(StrField::region));
  CHECK(ev.str(StrField::region) == "taiwan_strait");
  ev.unset(StrField::region);
  CHECK_FALSE(ev.has(StrField::region));

  ev.set(NumField::value_usd, 2.5e9);
  CHECK(ev.has(NumField::value_usd));
  CHECK(ev.num(NumField::value_usd) == 2.5e9);
  ev.set(BoolField::direct, false);
  CHECK(ev.has(BoolField::direct));
  CHECK_FALSE(ev.boolean(BoolField::direct));

  ev.list_mut(ListField::tags);
  CHECK(ev.has(ListField::tags));
  CHECK(ev.list(ListField::tags).empty());
  ev.push(ListField::actors, "CHN");
  CHECK(ev.list(ListField::actors) == std::vector<std::string>{"CHN"});
}

TEST_CASE("Event::clear forgets fields and keeps capacity", "[event]") {
  Event ev;
  const std::string long_text(100, 'x');
  ev.time = 42;
  ev.set(StrField::item, long_text);
  ev.set(NumField::lat, 1.0);
  ev.set(BoolField::direct, true);
  ev.push(ListField::actors, "USA");
  ev.attr_mut("domain").str = long_text;
  ev.raw = long_text;
  ev.depth = 2;
  ev.origin_rule = 7;
  const auto item_capacity = ev.str_mut(StrField::item).capacity();
  const auto* item_data = ev.str(StrField::item).data();

  ev.clear();
  CHECK(ev.time == 0);
  CHECK_FALSE(ev.has(StrField::item));
  CHECK_FALSE(ev.has(NumField::lat));
  CHECK_FALSE(ev.has(BoolField::direct));
  CHECK_FALSE(ev.has(ListField::actors));
  CHECK(ev.attrs().empty());
  CHECK(ev.attr("domain") == nullptr);
  CHECK(ev.raw.empty());
  CHECK(ev.depth == 0);
  CHECK(ev.origin_rule == -1);
  CHECK(ev.str(StrField::item).empty());

  // The buffers survive: refilling reuses them.
  CHECK(ev.str_mut(StrField::item).capacity() == item_capacity);
  ev.set(StrField::item, "Patriot");
  CHECK(ev.str(StrField::item).data() == item_data);
  AttrValue& a = ev.attr_mut("other");
  CHECK(a.str.capacity() >= long_text.size());  // the spare slot's string was kept
  CHECK(a.type == AttrValue::Type::string);
  CHECK(a.str.empty());
  CHECK(ev.attrs().size() == 1);
  CHECK(ev.attrs()[0].name == "other");
}

TEST_CASE("Event::attr_mut appends and replaces by name", "[event]") {
  Event ev;
  AttrValue& a = ev.attr_mut("domain");
  a.str = "naval";
  AttrValue& b = ev.attr_mut("count");
  b.type = AttrValue::Type::number;
  b.num = 3;
  REQUIRE(ev.attrs().size() == 2);

  AttrValue& c = ev.attr_mut("domain");
  CHECK(c.str.empty());  // replaced, not merged
  c.type = AttrValue::Type::list;
  c.list = {"air", "sea"};
  REQUIRE(ev.attrs().size() == 2);
  REQUIRE(ev.attr("domain") != nullptr);
  CHECK(ev.attr("domain")->type == AttrValue::Type::list);
  CHECK(ev.attr("domain")->list.size() == 2);
  CHECK(ev.attr("count")->num == 3);
  CHECK(ev.attr("missing") == nullptr);
}

TEST_CASE("lookup_field knows every schema field and its type", "[event]") {
  using T = FieldInfo::Type;
  struct Case {
    const char* name;
    T type;
    unsigned slot;
  };
  const Case cases[] = {
      {"id", T::string, static_cast<unsigned>(StrField::id)},
      {"time", T::time, 0},
      {"kind", T::string, static_cast<unsigned>(StrField::kind)},
      {"source", T::string, static_cast<unsigned>(StrField::source)},
      {"actors", T::list, static_cast<unsigned>(ListField::actors)},
      {"end_user", T::string, static_cast<unsigned>(StrField::end_user)},
      {"direct", T::boolean, static_cast<unsigned>(BoolField::direct)},
      {"quantity", T::number, static_cast<unsigned>(NumField::quantity)},
      {"value_usd", T::number, static_cast<unsigned>(NumField::value_usd)},
      {"confidence", T::number, static_cast<unsigned>(NumField::confidence)},
      {"lat", T::number, static_cast<unsigned>(NumField::lat)},
      {"lon", T::number, static_cast<unsigned>(NumField::lon)},
      {"tags", T::list, static_cast<unsigned>(ListField::tags)},
      {"claims", T::list, static_cast<unsigned>(ListField::claims)},
      {"rule", T::string, static_cast<unsigned>(StrField::rule)},
      {"severity", T::string, static_cast<unsigned>(StrField::severity)},
      {"region", T::string, static_cast<unsigned>(StrField::region)},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto info = lookup_field(c.name);
    REQUIRE(info.has_value());
    CHECK(info->type == c.type);
    if (c.type != T::time) CHECK(info->slot == c.slot);
  }
  for (const char* name : {"", "attrs", "attrs.domain", "regoin", "Region", "region ", "ids", "i",
                           "timestamp", "end-user"}) {
    INFO(name);
    CHECK_FALSE(lookup_field(name).has_value());
  }
}

TEST_CASE("schema_field_names and field_name agree with lookup_field", "[event]") {
  const auto& names = schema_field_names();
  CHECK(names.size() == flashpoint::kStrFieldCount + flashpoint::kNumFieldCount +
                            flashpoint::kBoolFieldCount + flashpoint::kListFieldCount + 1);
  CHECK(names.front() == "id");
  CHECK(names[1] == "time");
  CHECK(std::set<std::string_view>(names.begin(), names.end()).size() == names.size());
  for (const auto name : names) {
    INFO(name);
    const auto info = lookup_field(name);
    REQUIRE(info.has_value());
    switch (info->type) {
      case FieldInfo::Type::string:
        CHECK(flashpoint::field_name(static_cast<StrField>(info->slot)) == name);
        break;
      case FieldInfo::Type::number:
        CHECK(flashpoint::field_name(static_cast<NumField>(info->slot)) == name);
        break;
      case FieldInfo::Type::boolean:
        CHECK(flashpoint::field_name(static_cast<BoolField>(info->slot)) == name);
        break;
      case FieldInfo::Type::list:
        CHECK(flashpoint::field_name(static_cast<ListField>(info->slot)) == name);
        break;
      case FieldInfo::Type::time:
        CHECK(name == "time");
        break;
    }
  }
  CHECK(flashpoint::field_name(StrField::end_user) == "end_user");
  CHECK(flashpoint::field_name(NumField::value_usd) == "value_usd");
  CHECK(flashpoint::field_name(BoolField::direct) == "direct");
  CHECK(flashpoint::field_name(ListField::claims) == "claims");
}

TEST_CASE("Event::to_json renders fields in schema order", "[event]") {
  Event ev;
  ev.time = *parse_time("2024-03-01T00:00:16Z");
  // Set out of order on purpose.
  ev.set(StrField::source, "synthetic");
  ev.set(BoolField::direct, true);
  ev.set(NumField::value_usd, 2421000000.0);
  ev.set(StrField::recipient, "AUS");
  ev.set(StrField::supplier, "USA");
  ev.set(StrField::region, "south_china_sea");
  ev.push(ListField::actors, "USA");
  ev.push(ListField::actors, "AUS");
  ev.set(StrField::kind, "arms_transfer");
  ev.set(StrField::id, "e000000003");
  CHECK(ev.to_json() ==
        R"({"id":"e000000003","time":"2024-03-01T00:00:16Z","kind":"arms_transfer",)"
        R"("source":"synthetic","actors":["USA","AUS"],"supplier":"USA","recipient":"AUS",)"
        R"("direct":true,"value_usd":2421000000,"region":"south_china_sea"})");
}

TEST_CASE("Event::to_json renders alert fields and attrs last", "[event]") {
  Event ev;
  ev.set(StrField::id, "a1");
  ev.set(StrField::kind, "alert");
  ev.set(StrField::severity, "high");
  ev.set(StrField::rule, "korea/x");
  ev.list_mut(ListField::claims).emplace_back("C6");
  ev.list_mut(ListField::tags);  // present but empty
  ev.attr_mut("domain").str = "naval";
  AttrValue& n = ev.attr_mut("n");
  n.type = AttrValue::Type::number;
  n.num = 1.5;
  AttrValue& b = ev.attr_mut("ok");
  b.type = AttrValue::Type::boolean;
  b.boolean = false;
  AttrValue& l = ev.attr_mut("list");
  l.type = AttrValue::Type::list;
  l.list = {"a", "b"};
  CHECK(ev.to_json() == R"({"id":"a1","time":"1970-01-01T00:00:00Z","kind":"alert","tags":[],)"
                        R"("rule":"korea/x","severity":"high","claims":["C6"],)"
                        R"("attrs":{"domain":"naval","n":1.5,"ok":false,"list":["a","b"]}})");
}

TEST_CASE("Event::to_json escapes strings", "[event]") {
  Event ev;
  ev.set(StrField::id, "q\"b\\s/\n\r\t\b\f\x01\x1f");
  ev.set(StrField::kind, "caf\xc3\xa9");  // UTF-8 passes through
  const std::string json = ev.to_json();
  CHECK(json.find(R"("id":"q\"b\\s/\n\r\t\b\f\u0001\u001f")") != std::string::npos);
  CHECK(json.find("\"kind\":\"caf\xc3\xa9\"") != std::string::npos);
}

TEST_CASE("Event::to_json prints numbers exactly and briefly", "[event]") {
  auto render = [](double v) {
    Event ev;
    ev.set(NumField::lat, v);
    const std::string json = ev.to_json();
    const auto start = json.find("\"lat\":") + 6;
    return json.substr(start, json.size() - 1 - start);
  };
  CHECK(render(0) == "0");
  CHECK(render(-0.0) == "0");
  CHECK(render(42) == "42");
  CHECK(render(-17) == "-17");
  CHECK(render(2421000000) == "2421000000");
  CHECK(render(0.1) == "0.1");
  CHECK(render(35.6895) == "35.6895");
  CHECK(render(-139.6917) == "-139.6917");
  CHECK(render(1.0 / 3.0) == "0.3333333333333333");
  CHECK(render(1e300) == "1e+300");
  CHECK(render(9007199254740992.0) == "9007199254740992");
  CHECK(render(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(render(std::numeric_limits<double>::infinity()) == "null");
}
