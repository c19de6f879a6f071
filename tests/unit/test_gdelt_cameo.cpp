// The CAMEO tables of the GDELT decoder (event codes to kinds, known groups,
// actor country codes) and the registry entries for the GDELT format.
#include <catch2/catch.hpp>

#include "../../adapters/gdelt/cameo.hpp"
#include "flashpoint/adapters/decoder.hpp"

using namespace flashpoint::adapters;

TEST_CASE("GDELT CAMEO codes map to kinds", "[gdelt]") {
  using flashpoint::adapters::gdelt::map_event_code;
  for (const char* code : {"062", "0312", "150", "152"}) {
    CHECK(map_event_code(code).kind == "exercise");
  }
  CHECK(map_event_code("154").kind == "deployment");
  CHECK(map_event_code("074").kind == "deployment");
  CHECK(map_event_code("072").kind == "arms_transfer");
  for (const char* code : {"036", "040", "041", "042", "043", "044", "045", "046"}) {
    CHECK(map_event_code(code).kind == "summit");
  }
  CHECK(map_event_code("036").mirrorable);
  CHECK(map_event_code("043").mirrorable);
  CHECK(map_event_code("057").kind == "agreement");
  CHECK(map_event_code("0871").kind == "agreement");
  CHECK(map_event_code("163").kind == "sanction");
  CHECK(map_event_code("163").action == "impose");
  CHECK(map_event_code("085").kind == "sanction");
  CHECK(map_event_code("085").action == "lift");
  CHECK(map_event_code("1312").kind == "threat");
  CHECK(map_event_code("1312").topic == "sanctions");
  CHECK(map_event_code("138").kind == "threat");
  CHECK(map_event_code("1384").stance == "warn");
  CHECK(map_event_code("010").kind == "statement");
  CHECK(map_event_code("019").stance == "support");
  CHECK(map_event_code("112").stance == "oppose");
  CHECK(map_event_code("161").kind == "relations_cut");
  for (const char* code : {"180", "1823", "190", "195", "2042"}) {
    CHECK(map_event_code(code).kind == "incident");
  }
  // Domestic administrative sanctions and expulsions are not sanctions.
  CHECK(map_event_code("172").kind == "event");
  CHECK(map_event_code("1721").kind == "event");
  CHECK(map_event_code("174").kind == "event");
  CHECK(map_event_code("151").kind == "event");
  CHECK(map_event_code("051").kind == "event");
  CHECK(map_event_code("0874").kind == "event");
}

TEST_CASE("CAMEO known groups and country codes", "[gdelt]") {
  using flashpoint::adapters::gdelt::actor_country_iso3;
  using flashpoint::adapters::gdelt::known_group_org;
  CHECK(known_group_org("NAT") == "NATO");
  CHECK(known_group_org("EEC") == "EU");
  CHECK(known_group_org("UNO") == "UN");
  CHECK(known_group_org("ASN") == "ASEAN");
  CHECK(known_group_org("TAL").empty());
  CHECK(known_group_org("").empty());
  CHECK(actor_country_iso3("CHN") == "CHN");
  CHECK(actor_country_iso3("ROM") == "ROU");
  CHECK(actor_country_iso3("EUR").empty());
  CHECK(actor_country_iso3("WST").empty());
  CHECK(actor_country_iso3("AFR").empty());
}

TEST_CASE("the registry makes and detects the GDELT format", "[gdelt]") {
  CHECK(make_decoder("gdelt", DecoderOptions{}) != nullptr);
  CHECK(detect_format("var/spool/20191024143000.export.CSV", "") == "gdelt");
  CHECK(detect_format("20160728.export.CSV", "") == "gdelt");
  std::string row(60, '\t');
  CHECK(detect_format("feed.tsv", "881991513" + row + "\n") == "gdelt");
  CHECK(detect_format("feed.tsv", "1553159" + std::string(56, '\t') + "\n") == "gdelt");
}
