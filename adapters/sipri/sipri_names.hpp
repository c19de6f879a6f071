// SIPRI supplier/recipient names to flashpoint actor codes: states to ISO3
// (former states to their ISO 3166-3 codes: Soviet Union -> SUN), `**`
// international organisations to organisation codes (NATO** -> NATO,
// United Nations** -> UN, African Union** -> AU), `*` non-state groups to
// their name without the star, and `unknown supplier(s)` to nothing. The
// organisation table is static data in sipri_names.cpp; states use the
// shared country name table (common/countries.hpp).
//
// Thread-safety: pure functions over static data; callable from any thread.
#pragma once

#include <string_view>

namespace flashpoint::adapters::sipri {

struct Party {
  // ISO3, organisation code or group name; empty for an unknown party or a
  // name missing from the tables. Points into static storage or into the
  // name passed in.
  std::string_view code;
  // "state", "organisation", "non_state", "unknown" (SIPRI's own unknown
  // supplier/recipient) or "unmapped" (a name the tables lack).
  std::string_view type;
};

Party map_party(std::string_view name);

}  // namespace flashpoint::adapters::sipri
