// CAMEO mapping tables for the GDELT decoder: event codes to flashpoint event
// kinds (with the sanction action, statement stance, topic and meeting type
// some codes imply), CAMEO known-group codes to organisation codes, and CAMEO
// actor country codes to ISO3. The tables are static data in cameo_map.cpp;
// docs/adapters.md lists them.
//
// Thread-safety: pure functions over static data; callable from any thread.
#pragma once

#include <string_view>

namespace flashpoint::adapters::gdelt {

struct CameoMapping {
  std::string_view kind = "event";  // flashpoint kind; "event" when unmapped
  std::string_view action;          // sanction: "impose" or "lift"
  std::string_view stance;          // statement/threat: "support", "oppose", ...
  std::string_view topic;           // "sanctions", "dialogue"
  std::string_view meeting;         // summit: "intent", "consult", "visit", ...
  bool speaker = false;             // Actor1 is the speaker (verbal codes)
  bool mirrorable = false;          // summits: one meeting comes as several rows
};

// The mapping for a CAMEO event code (2-4 digits, leading zeros kept), found
// by the longest matching code prefix in the table.
CameoMapping map_event_code(std::string_view code);

// Organisation code for a CAMEO known-group code ("NAT" -> "NATO",
// "EEC" -> "EU", "UNO" -> "UN", "ASN" -> "ASEAN", ...); empty when the group
// is not an organisation flashpoint names.
std::string_view known_group_org(std::string_view group);

// ISO3 for a CAMEO actor country code: ISO codes pass through, the old CAMEO
// spellings are fixed (ROM -> ROU, ZAR -> COD, TMP -> TLS), and CAMEO regions
// (AFR, EUR, WST, ...) give an empty view.
std::string_view actor_country_iso3(std::string_view code);

}  // namespace flashpoint::adapters::gdelt
