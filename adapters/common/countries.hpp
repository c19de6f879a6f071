// Country code tables for the feed adapters: ISO 3166-1 alpha-3 codes with
// their numeric codes, the FIPS 10-4 codes GDELT uses for places, and the
// country names (with the variants GDELT, SIPRI and ACLED write) that map to
// them. The tables are static data in country_table.cpp and
// country_names.cpp; docs/adapters.md describes them.
//
// Thread-safety: read-only after a thread-safe lazy initialisation; callable
// from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace flashpoint::adapters::countries {

struct Country {
  std::string_view iso3;
  std::uint16_t numeric;  // ISO 3166-1 numeric; 0 when none (Kosovo)
  std::string_view fips;  // FIPS 10-4; empty when none
  std::string_view name;
};

// Every current country, sorted by ISO3 (249 ISO 3166-1 entries plus XKX).
std::span<const Country> all();

// The table's own copy of `code` when it is in all(), else an empty view.
std::string_view find_iso3(std::string_view code);
inline bool is_iso3(std::string_view code) { return !find_iso3(code).empty(); }

// ISO3 for a FIPS 10-4 country code (also the FIPS-only territories that
// fold into a country: GZ/WE -> PSE, JN/SV -> SJM, ...); empty when unknown.
std::string_view from_fips(std::string_view fips);

// ISO3 for an ISO 3166-1 numeric code; empty when unknown.
std::string_view from_numeric(int numeric);

// ISO3 (or ISO 3166-3 code for a former state: SUN, CSK, DDR, YUG, SCG) for a
// country name, compared after text::fold_name (case, accents, punctuation
// ignored): "Russia", "Russian Federation", "Viet Nam", "Turkiye", "DR Congo",
// "Cote d'Ivoire", "Soviet Union", ...; empty when unknown.
std::string_view from_name(std::string_view name);

}  // namespace flashpoint::adapters::countries
