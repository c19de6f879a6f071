// ACLED rows: the header (columns located by name, so the current 2023+
// layout, the legacy <= 2022 layout and the upper-case older exports all
// work) and the mapping of one row's fields onto an Event. Used by the ACLED
// decoder, which handles records, quoting and the header line.
//
// Thread-safety: a RowMapper is owned by one decoder and used from one
// thread; parse_columns is a pure function.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/json_render.hpp"
#include "flashpoint/engine/event.hpp"

namespace flashpoint::adapters::acled {

inline constexpr int kNoColumn = -1;

struct Columns {
  std::size_t count = 0;
  bool legacy = false;  // numeric inter codes (`data_id`/`iso3` layout)
  int event_id = kNoColumn;
  int event_date = kNoColumn;
  int year = kNoColumn;
  int time_precision = kNoColumn;
  int disorder_type = kNoColumn;
  int event_type = kNoColumn;
  int sub_event_type = kNoColumn;
  int actor1 = kNoColumn;
  int assoc_actor_1 = kNoColumn;
  int inter1 = kNoColumn;
  int actor2 = kNoColumn;
  int assoc_actor_2 = kNoColumn;
  int inter2 = kNoColumn;
  int interaction = kNoColumn;
  int civilian_targeting = kNoColumn;
  int iso = kNoColumn;
  int iso3 = kNoColumn;
  int region = kNoColumn;
  int country = kNoColumn;
  int admin1 = kNoColumn;
  int admin2 = kNoColumn;
  int admin3 = kNoColumn;
  int location = kNoColumn;
  int latitude = kNoColumn;
  int longitude = kNoColumn;
  int geo_precision = kNoColumn;
  int source = kNoColumn;
  int source_scale = kNoColumn;
  int notes = kNoColumn;
  int fatalities = kNoColumn;
  int tags = kNoColumn;
  int timestamp = kNoColumn;
};

// Locates the columns of a header row. False with `reason` set when a
// required column (event_id_cnty, event_date, event_type) is missing.
bool parse_columns(std::span<const std::string_view> names, Columns& columns, std::string& reason);

class RowMapper {
 public:
  // Maps one row (fields in header order) into event(); false with `reason`
  // set when the row cannot be an event.
  bool map(std::span<const std::string_view> fields, const Columns& columns, std::string_view feed,
           std::string& reason);

  // The last mapped event, with `raw` set; valid until the next map().
  [[nodiscard]] const Event& event() const { return event_; }

 private:
  std::string_view get(int column) const;
  void set_actors(const Columns& c);
  void set_place(const Columns& c);
  void set_attrs(const Columns& c, std::string_view label);

  Event event_;
  JsonRenderer renderer_;
  std::span<const std::string_view> fields_;
  std::string scratch_;
};

}  // namespace flashpoint::adapters::acled
