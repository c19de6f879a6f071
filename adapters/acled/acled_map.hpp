// ACLED mapping tables for the ACLED decoder: event type / sub-event type
// (and the label that opens Strategic-development notes) to flashpoint kinds,
// the legacy numeric actor-type codes, ACLED actor names to actor codes, and
// the date forms seen in ACLED exports. Tables are static data in
// acled_map.cpp; docs/adapters.md lists them.
//
// Thread-safety: pure functions over static data; callable from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "flashpoint/engine/time.hpp"

namespace flashpoint::adapters::acled {

// The kind for an event: "incident", "protest", "riot", "agreement",
// "deployment", "statement", "arrest", "group_activity",
// "territory_transfer", "strategic_development", or "event" for a type the
// table lacks. `note_label` is the text before the first ':' of the notes
// (e.g. "Movement of forces"), empty when there is none.
std::string_view map_kind(std::string_view event_type, std::string_view sub_event_type,
                          std::string_view note_label);

// The label that opens a note ("Movement of forces: On 3 May ..." ->
// "Movement of forces"): up to 40 letters and spaces before a ':'.
std::string_view note_label(std::string_view notes);

// Legacy (<= 2022) actor-type code -> its current text ("1" -> "State
// forces"); empty for an unknown code. "0" (no actor) is empty too.
std::string_view inter_label(std::string_view code);

// The flashpoint code for an ACLED actor name: ISO3 for a state's forces or
// government ("Military Forces of Russia (2000-)", "Police Forces of Ukraine
// (2019-)", "Government of the United States (2025-)"), an organisation code
// ("NATO: North Atlantic Treaty Organization" -> NATO, "UN: United Nations"
// -> UN); empty for every other actor (rebels, militias, civilians, ...).
std::string_view actor_code(std::string_view actor);

// Midnight UTC of an `event_date` in the forms ACLED files carry:
// `2024-05-09`, `09 May 2020`, `9 May 2020`, `01-January-2015`, and Excel's
// `9-May-20` (the century comes from `year_hint`, the row's `year` column,
// when it agrees). Nullopt for anything else or an impossible date.
std::optional<TimeUs> parse_date(std::string_view s, std::optional<std::int64_t> year_hint);

}  // namespace flashpoint::adapters::acled
