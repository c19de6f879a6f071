// SIPRI trade register decoder on in-memory buffers: preamble, header by
// content, Latin-1, `?` flags, year lists, broken records, stable ids, dead
// letters, chunking and size limits (FORMATS.md §3.1).
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "../../adapters/sipri/sipri_decoder.hpp"
#include "../../adapters/sipri/sipri_names.hpp"
#include "flashpoint/engine/time.hpp"

namespace {

using flashpoint::BoolField;
using flashpoint::Event;
using flashpoint::ListField;
using flashpoint::NumField;
using flashpoint::StrField;
using namespace flashpoint::adapters;

struct Deal {
  std::string id, supplier, recipient, item, topic, raw;
  std::vector<std::string> actors;
  flashpoint::TimeUs time = 0;
  std::uint64_t line = 0, end_offset = 0;
  bool has_quantity = false, has_usd = false, direct = false;
  double quantity = 0, value_usd = 0, confidence = 0;
  std::map<std::string, flashpoint::AttrValue> attrs;
};

struct Collect : DecodeSink {
  std::vector<Deal> deals;
  std::vector<std::pair<std::uint64_t, std::string>> dead;
  void on_event(const Event& e, const Position& pos) override {
    Deal d;
    d.id = e.str(StrField::id);
    CHECK(e.str(StrField::kind) == "arms_transfer");
    d.supplier = e.str(StrField::supplier);
    d.recipient = e.str(StrField::recipient);
    d.item = e.str(StrField::item);
    d.topic = e.str(StrField::topic);
    d.raw = e.raw;
    d.actors = e.list(ListField::actors);
    d.time = e.time;
    d.line = pos.line;
    d.end_offset = pos.end_offset;
    d.has_quantity = e.has(NumField::quantity);
    d.quantity = e.num(NumField::quantity);
    d.has_usd = e.has(NumField::value_usd);
    d.value_usd = e.num(NumField::value_usd);
    d.confidence = e.num(NumField::confidence);
    d.direct = e.boolean(BoolField::direct);
    for (const auto& a : e.attrs()) d.attrs[a.name] = a.value;
    deals.push_back(std::move(d));
  }
  void on_dead_letter(const DeadLetter& dl) override {
    dead.emplace_back(dl.pos.line, std::string(dl.reason));
  }
};

Collect decode(const std::string& input, std::size_t chunk = 1U << 20U,
               std::size_t max_record = 1U << 20U) {
  DecoderOptions options;
  options.feed = "sipri";
  options.max_record = max_record;
  auto decoder = make_sipri_decoder(options);
  Collect sink;
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    decoder->feed(std::string_view(input).substr(i, chunk), sink);
  }
  decoder->finish(sink);
  return sink;
}

// The 2025 export's preamble and header, exactly (11 + 1 lines).
const std::string kHead =
    "Transfers of major conventional arms from All countries  to All countries . Deals with "
    "deliveries made for the year range 'Not specified' to 'Not specified' \n"
    "A '?' in a column indicates uncertain data. The 'Number delivered' and the 'Year(s) of "
    "deliveries' refer only to deliveries in the selected year(s).\n"
    "An empty field for 'Number ordered' indicates that data is not yet available.\n"
    "SIPRI trend-indicator values (TIVs) are in millions.\n"
    "An empty field for 'SIPRI TIV for total order' indicates that data (on the number ordered "
    "and/or the TIV per unit) is not available.\n"
    "A '0' for 'SIPRI TIV of delivered weapons' indicates that the volume of deliveries is "
    "between 0 and 0.5 million SIPRI TIV; and an empty field indicates that no deliveries have "
    "been identified.\n"
    "Figures may not add up to stated totals due to the conventions of rounding.\n"
    "For the method used for the SIPRI TIV and explanations of the conventions; abbreviations and "
    "acronyms see <https://www.sipri.org/databases/armstransfers/sources-and-methods>.\n"
    "\n"
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: 13 Mar 2025 10:02:49 AM\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon "
    "description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per "
    "unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\n";

// Rows from FORMATS.md §3.1 (real rows of the extract).
const std::string kBmp2 =
    "Ukraine,Czechia,2023,,80,?,BMP-2,infantry fighting vehicle,80,,2023; 2024,Second "
    "hand,Second-hand; financed by Denmark as aid after 2022 Russian invasion of "
    "Ukraine,0.36,28.8,28.8\n";
const std::string kHwasong =
    "Russia,North Korea,2023,?,,,Hwasong-11,surface-to-surface missile,100,,2023; "
    "2024,New,,2.5,0,250\n";
const std::string kJsow =
    "Taiwan,United States,2017,?,50,?,AGM-154 JSOW,guided glide bomb,0,,,New,For F-16 combat "
    "aircraft; delivery planned by 2028,0.4,20,0\n";
// A broken record of the real file: CRLF inside Comments, 13 + 4 fields.
const std::string kBroken =
    "Thailand,Ukraine,2008,,14,,BTR-3,APC,13,,2010; 2012,New,Part of THB4b ($120 m) deal (for "
    "96 BTR-3 in several versions; additional 5 given for free)\r\n,0.25,3.5,3.25\n";

}  // namespace

TEST_CASE("SIPRI deal maps onto an arms_transfer", "[sipri]") {
  const Collect out = decode(kHead + kBmp2);
  REQUIRE(out.dead.empty());
  REQUIRE(out.deals.size() == 1);
  const Deal& d = out.deals[0];
  CHECK(d.line == 13);
  CHECK(d.id.rfind("sipri-", 0) == 0);
  CHECK(d.time == flashpoint::days_from_civil(2023, 1, 1) * flashpoint::kDay);
  CHECK(d.supplier == "CZE");
  CHECK(d.recipient == "UKR");
  CHECK(d.actors == std::vector<std::string>{"CZE", "UKR"});
  CHECK(d.item == "BMP-2");
  CHECK(d.topic == "arms_to_ukraine");
  CHECK(d.has_quantity);
  CHECK(d.quantity == 80);
  CHECK_FALSE(d.has_usd);  // TIV is not money
  CHECK(d.direct);
  CHECK(d.confidence == Approx(0.85));  // one '?' flag
  CHECK(d.attrs.at("description").str == "infantry fighting vehicle");
  CHECK(d.attrs.at("quantity_ordered").num == 80);
  CHECK(d.attrs.at("quantity_ordered_uncertain").boolean);
  CHECK_FALSE(d.attrs.at("order_year_uncertain").boolean);
  CHECK(d.attrs.at("quantity_delivered").num == 80);
  CHECK(d.attrs.at("delivery_years").list == std::vector<std::string>{"2023", "2024"});
  CHECK(d.attrs.at("first_delivery_year").num == 2023);
  CHECK(d.attrs.at("last_delivery_year").num == 2024);
  CHECK(d.attrs.at("status").str == "Second hand");
  CHECK(d.attrs.at("tiv_per_unit").num == Approx(0.36));
  CHECK(d.attrs.at("tiv_order").num == Approx(28.8));
  CHECK(d.attrs.at("tiv_delivered").num == Approx(28.8));
  CHECK(d.attrs.at("aid").boolean);
  CHECK(d.attrs.at("time_precision").str == "year");
  CHECK(d.attrs.at("export_date").str == "13 Mar 2025 10:02:49 AM");
  CHECK(d.attrs.at("supplier_name").str == "Czechia");
  CHECK(d.raw.find("\"kind\":\"arms_transfer\"") != std::string::npos);
}

TEST_CASE("SIPRI empty numbers and uncertain years", "[sipri]") {
  const Collect out = decode(kHead + kHwasong + kJsow);
  REQUIRE(out.deals.size() == 2);
  const Deal& h = out.deals[0];
  CHECK(h.supplier == "PRK");
  CHECK(h.recipient == "RUS");
  CHECK(h.attrs.count("quantity_ordered") == 0);  // "not yet available"
  CHECK(h.quantity == 100);                       // so the delivered number
  CHECK(h.attrs.at("order_year_uncertain").boolean);
  CHECK(h.attrs.count("comments") == 0);
  const Deal& j = out.deals[1];
  CHECK(j.attrs.at("quantity_delivered").num == 0);
  CHECK(j.attrs.count("delivery_years") == 0);
  CHECK(j.confidence == Approx(0.7225).margin(0.001));  // two `?` flags
}

TEST_CASE("SIPRI Latin-1 text becomes UTF-8", "[sipri]") {
  const std::string row =
      "Albania,T\xFCrkiye,2022,,3,?,Bayraktar TB2,armed UAV,3,,2024,New,Spey (\xB1"
      "20500hp) Mj\xF6lner,2.4,7.2,7.2\n";
  const Collect out = decode(kHead + row);
  REQUIRE(out.deals.size() == 1);
  CHECK(out.deals[0].supplier == "TUR");
  CHECK(out.deals[0].attrs.at("supplier_name").str == "T\xC3\xBCrkiye");
  CHECK(out.deals[0].attrs.at("comments").str ==
        "Spey (\xC2\xB1"
        "20500hp) Mj\xC3\xB6lner");
}

TEST_CASE("SIPRI broken record is rejoined with its next line", "[sipri]") {
  for (const std::size_t chunk : {1U, 3U, 64U, 100000U}) {
    const Collect out = decode(kHead + kBmp2 + kBroken + kJsow, chunk);
    REQUIRE(out.dead.empty());
    REQUIRE(out.deals.size() == 3);
    const Deal& b = out.deals[1];
    CHECK(b.line == 14);
    CHECK(b.end_offset == kHead.size() + kBmp2.size() + kBroken.size());
    CHECK(b.recipient == "THA");
    CHECK(b.attrs.at("comments").str ==
          "Part of THB4b ($120 m) deal (for 96 BTR-3 in several versions; additional 5 given "
          "for free)");
    CHECK(b.attrs.at("tiv_delivered").num == Approx(3.25));
    CHECK(b.has_usd);
    CHECK(b.value_usd == Approx(120e6));
    CHECK(out.deals[2].line == 16);
  }
}

TEST_CASE("SIPRI ids are stable and distinguish repeated rows", "[sipri]") {
  const Collect a = decode(kHead + kBmp2 + kHwasong + kBmp2);
  REQUIRE(a.deals.size() == 3);
  CHECK(a.deals[0].id != a.deals[1].id);
  CHECK(a.deals[2].id == a.deals[0].id + "-2");  // an exact duplicate row
  // A newer export revises deliveries, flags, TIV and comments of the deal.
  const std::string revised =
      "Ukraine,Czechia,2023,?,85,,BMP-2,IFV,85,?,2023; 2024; 2025,Second hand,Revised,0.4,34,"
      "34\n";
  const Collect b = decode(kHead + revised);
  REQUIRE(b.deals.size() == 1);
  CHECK(b.deals[0].id == a.deals[0].id);
}

TEST_CASE("SIPRI parties: organisations, non-state groups, unknown suppliers", "[sipri]") {
  const std::string rows =
      "NATO**,United States,2023,,3,,E-7,AEW&C aircraft,0,,,New,,10,30,0\n"
      "Ukraine Rebels*,Russia,2014,?,10,?,T-72B,tank,10,?,2014,Second hand,Aid; via "
      "Russia,1,10,10\n"
      "Syria,unknown supplier(s),2015,,5,,Grad,MRL,5,,2015,New,,0.1,0.5,0.5\n"
      "Narnia,Soviet Union,1970,,5,,T-55,tank,5,,1971,New,$5 m deal,1,5,5\n";
  const Collect out = decode(kHead + rows);
  REQUIRE(out.deals.size() == 4);
  CHECK(out.deals[0].recipient == "NATO");
  CHECK(out.deals[0].actors == std::vector<std::string>{"USA", "NATO"});
  CHECK(out.deals[0].attrs.at("recipient_type").str == "organisation");
  CHECK(out.deals[1].recipient == "Ukraine Rebels");
  CHECK(out.deals[1].actors == std::vector<std::string>{"RUS"});
  CHECK(out.deals[1].attrs.at("recipient_type").str == "non_state");
  CHECK_FALSE(out.deals[1].direct);  // "via Russia"
  CHECK(out.deals[2].supplier.empty());
  CHECK(out.deals[2].attrs.at("supplier_type").str == "unknown");
  CHECK(out.deals[3].supplier == "SUN");
  CHECK(out.deals[3].recipient.empty());
  CHECK(out.deals[3].attrs.at("recipient_type").str == "unmapped");
  CHECK(out.deals[3].attrs.at("recipient_name").str == "Narnia");
  CHECK(out.deals[3].value_usd == Approx(5e6));
}

TEST_CASE("SIPRI commas beyond the header stay in Comments", "[sipri]") {
  const std::string row =
      "Japan,United States,2019,,4,,E-2D,AEW aircraft,4,,2021,New,For JMSDF, delivered, "
      "late,30,120,120\n";
  const Collect out = decode(kHead + row);
  REQUIRE(out.deals.size() == 1);
  CHECK(out.deals[0].attrs.at("comments").str == "For JMSDF, delivered, late");
  CHECK(out.deals[0].attrs.at("tiv_order").num == 120);
}

TEST_CASE("SIPRI dead letters carry a reason and the line", "[sipri]") {
  const std::string rows =
      "Japan,United States,19x9,,4,,E-2D,AEW aircraft,4,,2021,New,,30,120,120\n"  // line 13
      "Japan,United States,2019,,4,,E-2D\n"                                       // line 14
      "Japan,United States,2019,,4,,E-2D,AEW aircraft,4,,2021,New,,30,120,120\n"  // line 15
      "Japan,United States,2019,,4\n";                                            // line 16
  const Collect out = decode(kHead + rows);
  CHECK(out.deals.size() == 1);
  REQUIRE(out.dead.size() == 3);
  CHECK(out.dead[0].first == 13);
  CHECK(out.dead[0].second == "Year of order is not a year: '19x9'");
  CHECK(out.dead[1].first == 14);
  CHECK(out.dead[1].second == "record has 7 fields, expected 16");
  CHECK(out.dead[2].first == 16);
  CHECK(out.dead[2].second ==
        "record ends after 5 of 16 fields (a line break the next line does not complete)");
}

TEST_CASE("SIPRI files without a usable header", "[sipri]") {
  const Collect none = decode("just some text\nno header here\n");
  REQUIRE(none.dead.size() == 1);
  CHECK(none.dead[0].second ==
        "no SIPRI trade-register header ('Recipient,Supplier,Year of order,...')");
  const Collect bad = decode("Recipient,Supplier,Weapon designation\n" + kBmp2);
  REQUIRE(bad.dead.size() == 2);
  CHECK(bad.dead[0].second == "no usable SIPRI header: header lacks the column 'Year of order'");
  CHECK(bad.dead[1].first == 2);
  CHECK(bad.deals.empty());
  const Collect newer = decode(
      "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order "
      "date\n35382,United States,Afghanistan,M-113,armoured personnel carrier,Armoured "
      "vehicles,2004\n");
  REQUIRE(newer.dead.size() == 2);
  CHECK(newer.dead[1].second ==
        "no usable SIPRI header: the per-delivery-year SIPRI export is not supported; export the "
        "trade register instead");
  const Collect data_first = decode(kBmp2 + kHead + kBmp2);
  CHECK(data_first.dead.size() == 1);
  CHECK(data_first.dead[0].second == "data line before the SIPRI trade-register header");
  CHECK(data_first.deals.size() == 1);
}

TEST_CASE("SIPRI records over the size limit are dead letters", "[sipri]") {
  const std::string big = "Japan,United States,2019,,4,,E-2D,AEW,4,,2021,New," +
                          std::string(3000, 'x') + ",30,120,120\n";
  const Collect out = decode(kHead + big + kBmp2, 100, 1000);
  REQUIRE(out.dead.size() == 1);
  CHECK(out.dead[0].first == 13);
  CHECK(out.dead[0].second == "record exceeds the size limit of 1000 bytes");
  CHECK(out.deals.size() == 1);
}

TEST_CASE("SIPRI party names", "[sipri]") {
  using flashpoint::adapters::sipri::map_party;
  CHECK(map_party("United States").code == "USA");
  CHECK(map_party("Viet Nam").code == "VNM");
  CHECK(map_party("East Germany (GDR)").code == "DDR");
  CHECK(map_party("African Union**").code == "AU");
  CHECK(map_party("Libya HoR*").code == "Libya HoR");
  CHECK(map_party("unknown recipient(s)").type == "unknown");
  CHECK(map_party("").type == "unknown");
}

TEST_CASE("SIPRI decoder survives arbitrary bytes", "[sipri]") {
  std::mt19937 rng(777);
  const std::string base = kHead + kBmp2 + kBroken + kHwasong;
  for (int round = 0; round < 300; ++round) {
    std::string input = base;
    for (int k = 0; k < 1 + static_cast<int>(rng() % 12); ++k) {
      const std::size_t at = rng() % input.size();
      const char c = ",\n\r?\xFF\x80;*9"[rng() % 9];
      if (rng() % 2 == 0) {
        input[at] = c;
      } else {
        input.insert(at, 1, c);
      }
    }
    const Collect out = decode(input, 1 + rng() % 50, 50 + rng() % 500);
    CHECK(out.deals.size() <= 40);
  }
}

TEST_CASE("the registry makes and detects the SIPRI format", "[sipri]") {
  CHECK(make_decoder("sipri", DecoderOptions{}) != nullptr);
  CHECK(detect_format("trade-register.csv", kHead) == "sipri");
  CHECK(detect_format("x.csv", "Recipient,Supplier,Year of order, ,Number ordered\n") == "sipri");
}
