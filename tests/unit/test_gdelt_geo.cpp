// The shared geography tables the GDELT (and ACLED, SIPRI) decoders use:
// ISO3 / numeric / FIPS 10-4 country codes, country names, and the region
// polygons of DESIGN §2.
#include <catch2/catch.hpp>
#include <limits>
#include <set>
#include <string>

#include "../../adapters/common/countries.hpp"
#include "../../adapters/common/regions.hpp"

namespace countries = flashpoint::adapters::countries;
namespace regions = flashpoint::adapters::regions;

TEST_CASE("country table is sorted, unique and complete", "[gdelt]") {
  const auto all = countries::all();
  CHECK(all.size() == 250);
  std::set<std::string> fips;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i > 0) CHECK(all[i - 1].iso3 < all[i].iso3);
    CHECK(countries::is_iso3(all[i].iso3));
    if (!all[i].fips.empty()) {
      CHECK(fips.insert(std::string(all[i].fips)).second);
      CHECK(countries::from_fips(all[i].fips) == all[i].iso3);
    }
    CHECK(countries::from_name(all[i].name) == all[i].iso3);
  }
  CHECK_FALSE(countries::is_iso3("EUR"));
  CHECK_FALSE(countries::is_iso3("usa"));
}

TEST_CASE("FIPS 10-4 codes map to ISO3 where they differ", "[gdelt]") {
  const std::pair<const char*, const char*> cases[] = {
      {"CH", "CHN"}, {"RS", "RUS"}, {"KN", "PRK"}, {"KS", "KOR"}, {"JA", "JPN"}, {"TW", "TWN"},
      {"UP", "UKR"}, {"US", "USA"}, {"UK", "GBR"}, {"GM", "DEU"}, {"FR", "FRA"}, {"PL", "POL"},
      {"TU", "TUR"}, {"BO", "BLR"}, {"LH", "LTU"}, {"LG", "LVA"}, {"EN", "EST"}, {"EZ", "CZE"},
      {"LO", "SVK"}, {"RO", "ROU"}, {"BU", "BGR"}, {"NO", "NOR"}, {"SW", "SWE"}, {"FI", "FIN"},
      {"DA", "DNK"}, {"SP", "ESP"}, {"IT", "ITA"}, {"NL", "NLD"}, {"BE", "BEL"}, {"RP", "PHL"},
      {"VM", "VNM"}, {"SA", "SAU"}, {"SF", "ZAF"}, {"AS", "AUS"}, {"IZ", "IRQ"}, {"GZ", "PSE"},
      {"WE", "PSE"}, {"OD", "SSD"}, {"KV", "XKX"}, {"YI", "SRB"}, {"RI", "SRB"},
  };
  for (const auto& [fips, iso3] : cases) {
    INFO(fips);
    CHECK(countries::from_fips(fips) == iso3);
  }
  CHECK(countries::from_fips("OS").empty());  // oceans
  CHECK(countries::from_fips("").empty());
  CHECK(countries::from_fips("u").empty());
}

TEST_CASE("country names and numeric codes map to ISO3", "[gdelt]") {
  CHECK(countries::from_numeric(804) == "UKR");
  CHECK(countries::from_numeric(706) == "SOM");
  CHECK(countries::from_numeric(643) == "RUS");
  CHECK(countries::from_numeric(0).empty());
  CHECK(countries::from_name("Russia") == "RUS");
  CHECK(countries::from_name("Russian Federation") == "RUS");
  CHECK(countries::from_name("Viet Nam") == "VNM");
  CHECK(countries::from_name("T\xC3\xBCrkiye") == "TUR");
  CHECK(countries::from_name("Turkiye") == "TUR");
  CHECK(countries::from_name("DR Congo") == "COD");
  CHECK(countries::from_name("Democratic Republic of Congo") == "COD");
  CHECK(countries::from_name("Congo") == "COG");
  CHECK(countries::from_name("Cote d'Ivoire") == "CIV");
  CHECK(countries::from_name("the United States") == "USA");
  CHECK(countries::from_name("Soviet Union") == "SUN");
  CHECK(countries::from_name("East Germany (GDR)") == "DDR");
  CHECK(countries::from_name("Czechoslovakia") == "CSK");
  CHECK(countries::from_name("Yugoslavia") == "YUG");
  CHECK(countries::from_name("Atlantis").empty());
}

TEST_CASE("region polygons place known points", "[gdelt]") {
  struct Place {
    const char* name;
    double lat, lon;
    const char* region;
  };
  const Place places[] = {
      {"Taipei", 25.03, 121.56, "taiwan_strait"},
      {"Kinmen", 24.45, 118.35, "taiwan_strait"},
      {"Seoul", 37.57, 126.98, "korean_peninsula"},
      {"Pyongyang", 39.03, 125.75, "korean_peninsula"},
      {"Yeonpyeong", 37.67, 125.7, "korean_peninsula"},
      {"Qingdao", 36.07, 120.38, "yellow_sea"},
      {"Vladivostok", 43.12, 131.9, "sea_of_japan"},
      {"Shanghai", 31.23, 121.47, "east_china_sea"},
      {"Senkaku", 25.75, 123.5, "east_china_sea"},
      {"Okinawa", 26.21, 127.68, "east_china_sea"},
      {"Spratly Islands", 10.0, 114.0, "south_china_sea"},
      {"Manila", 14.6, 120.98, "south_china_sea"},
      {"Kyiv", 50.45, 30.52, "ukraine"},
      {"Sevastopol", 44.6, 33.52, "ukraine"},
      {"Donetsk", 48.0, 37.8, "ukraine"},
      {"Kaliningrad", 54.71, 20.51, "baltic_sea"},
      {"Tallinn", 59.44, 24.75, "baltic_sea"},
      {"Gotland", 57.5, 18.5, "baltic_sea"},
      {"Novorossiysk", 44.72, 37.77, "black_sea"},
      {"Black Sea", 43.0, 35.0, "black_sea"},
      {"Murmansk", 68.97, 33.1, "arctic"},
      {"Tartus", 34.89, 35.89, "mediterranean"},
      {"Malta", 35.9, 14.5, "mediterranean"},
      {"Berlin", 52.52, 13.4, "europe"},
      {"Moscow", 55.75, 37.6, "europe"},
      {"London", 51.5, -0.13, "europe"},
      {"Athens", 37.98, 23.73, "europe"},
      {"Reykjavik", 64.13, -21.9, "north_atlantic"},
      {"North Sea", 56.0, 3.0, "north_atlantic"},
      {"Diego Garcia", -7.3, 72.4, "indian_ocean"},
      {"Djibouti", 11.59, 43.15, "indian_ocean"},
      {"Tokyo", 35.68, 139.69, "western_pacific"},
      {"Guam", 13.44, 144.79, "western_pacific"},
      {"Beijing", 39.9, 116.4, ""},
      {"Washington", 38.9, -77.04, ""},
      {"Tehran", 35.7, 51.4, ""},
      {"Minsk", 53.9, 27.56, "europe"},
  };
  for (const Place& p : places) {
    INFO(p.name);
    CHECK(regions::region_at(p.lat, p.lon) == p.region);
  }
  CHECK(regions::region_at(91, 0).empty());
  CHECK(regions::region_at(0, 181).empty());
  CHECK(regions::region_at(std::numeric_limits<double>::quiet_NaN(), 0).empty());
}

TEST_CASE("every region code of DESIGN §2 has a polygon", "[gdelt]") {
  std::set<std::string> codes;
  for (const auto& shape : regions::shapes()) {
    codes.insert(std::string(shape.region));
    CHECK(shape.vertices.size() >= 3);
  }
  const std::set<std::string> design = {
      "taiwan_strait",    "east_china_sea",  "south_china_sea", "sea_of_japan", "yellow_sea",
      "korean_peninsula", "western_pacific", "indian_ocean",    "baltic_sea",   "black_sea",
      "ukraine",          "north_atlantic",  "mediterranean",   "arctic",       "europe"};
  CHECK(codes == design);
}
