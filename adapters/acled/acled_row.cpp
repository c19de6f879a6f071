// ACLED rows (see acled_row.hpp). The field mapping is documented in
// docs/adapters.md.
#include "acled/acled_row.hpp"

#include <algorithm>
#include <array>

#include "acled/acled_map.hpp"
#include "common/countries.hpp"
#include "common/regions.hpp"
#include "common/text.hpp"

namespace flashpoint::adapters::acled {
namespace {

struct ColumnName {
  std::string_view name;
  int Columns::*column;
};

constexpr std::array kColumnNames = {
    ColumnName{"event_id_cnty", &Columns::event_id},
    ColumnName{"event_date", &Columns::event_date},
    ColumnName{"year", &Columns::year},
    ColumnName{"time_precision", &Columns::time_precision},
    ColumnName{"disorder_type", &Columns::disorder_type},
    ColumnName{"event_type", &Columns::event_type},
    ColumnName{"sub_event_type", &Columns::sub_event_type},
    ColumnName{"actor1", &Columns::actor1},
    ColumnName{"assoc_actor_1", &Columns::assoc_actor_1},
    ColumnName{"ally_actor_1", &Columns::assoc_actor_1},
    ColumnName{"inter1", &Columns::inter1},
    ColumnName{"actor2", &Columns::actor2},
    ColumnName{"assoc_actor_2", &Columns::assoc_actor_2},
    ColumnName{"ally_actor_2", &Columns::assoc_actor_2},
    ColumnName{"inter2", &Columns::inter2},
    ColumnName{"interaction", &Columns::interaction},
    ColumnName{"civilian_targeting", &Columns::civilian_targeting},
    ColumnName{"iso", &Columns::iso},
    ColumnName{"iso3", &Columns::iso3},
    ColumnName{"region", &Columns::region},
    ColumnName{"country", &Columns::country},
    ColumnName{"admin1", &Columns::admin1},
    ColumnName{"admin2", &Columns::admin2},
    ColumnName{"admin3", &Columns::admin3},
    ColumnName{"location", &Columns::location},
    ColumnName{"latitude", &Columns::latitude},
    ColumnName{"longitude", &Columns::longitude},
    ColumnName{"geo_precision", &Columns::geo_precision},
    ColumnName{"source", &Columns::source},
    ColumnName{"source_scale", &Columns::source_scale},
    ColumnName{"notes", &Columns::notes},
    ColumnName{"fatalities", &Columns::fatalities},
    ColumnName{"tags", &Columns::tags},
    ColumnName{"timestamp", &Columns::timestamp},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && text::istarts_with(a, b);
}

// Confidence factor of ACLED's time and geo precision codes (1 best, 3 worst).
double precision_factor(std::string_view code, double two, double three) {
  if (code == "2") return two;
  if (code == "3") return three;
  return 1.0;
}

}  // namespace

bool parse_columns(std::span<const std::string_view> names, Columns& columns, std::string& reason) {
  columns = Columns{};
  columns.count = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string_view name = text::trim(names[i]);
    for (const ColumnName& c : kColumnNames) {
      if (iequals(name, c.name) && columns.*(c.column) == kNoColumn) {
        columns.*(c.column) = static_cast<int>(i);
        break;
      }
    }
    if (iequals(name, "data_id")) columns.legacy = true;
  }
  for (const auto& [name, member] : {std::pair{"event_id_cnty", &Columns::event_id},
                                     std::pair{"event_date", &Columns::event_date},
                                     std::pair{"event_type", &Columns::event_type}}) {
    if (columns.*member == kNoColumn) {
      reason.assign("ACLED header lacks the column '").append(name).append("'");
      return false;
    }
  }
  return true;
}

std::string_view RowMapper::get(int column) const {
  if (column == kNoColumn || static_cast<std::size_t>(column) >= fields_.size()) return {};
  return text::trim(fields_[static_cast<std::size_t>(column)]);
}

bool RowMapper::map(std::span<const std::string_view> fields, const Columns& c,
                    std::string_view feed, std::string& reason) {
  fields_ = fields;
  const std::string_view id = get(c.event_id);
  if (id.empty()) {
    reason.assign("event_id_cnty is empty");
    return false;
  }
  const auto date = parse_date(get(c.event_date), text::parse_int(get(c.year)));
  if (!date) {
    reason.assign("event_date is not a date (2024-05-09, 9 May 2024 or 9-May-24): ");
    text::append_snippet(reason, get(c.event_date));
    return false;
  }
  const std::string_view event_type = get(c.event_type);
  if (event_type.empty()) {
    reason.assign("event_type is empty");
    return false;
  }
  event_.clear();
  event_.str_mut(StrField::id).assign("acled-").append(id);
  event_.time = *date;
  const std::string_view label = note_label(get(c.notes));
  event_.set(StrField::kind, map_kind(event_type, get(c.sub_event_type), label));
  event_.set(StrField::source, feed);
  set_actors(c);
  set_place(c);
  set_attrs(c, label);
  event_.set(NumField::confidence, precision_factor(get(c.time_precision), 0.8, 0.6) *
                                       precision_factor(get(c.geo_precision), 0.9, 0.75));
  renderer_.render(event_, event_.raw);
  return true;
}

void RowMapper::set_actors(const Columns& c) {
  const auto add = [&](std::string_view name) {
    const std::string_view code = actor_code(name);
    if (code.empty()) return;
    const auto& actors = event_.list(ListField::actors);
    if (std::find(actors.begin(), actors.end(), code) == actors.end()) {
      event_.push(ListField::actors, code);
    }
  };
  for (const int col : {c.actor1, c.assoc_actor_1, c.actor2, c.assoc_actor_2}) {
    std::string_view names = get(col);
    while (!names.empty()) {
      const std::size_t semi = names.find(';');
      add(names.substr(0, semi));
      names = semi == std::string_view::npos ? std::string_view() : names.substr(semi + 1);
    }
  }
}

void RowMapper::set_place(const Columns& c) {
  std::string_view iso3 = countries::find_iso3(get(c.iso3));
  if (iso3.empty()) {
    if (const auto numeric = text::parse_int(get(c.iso)); numeric && *numeric > 0) {
      iso3 = countries::from_numeric(static_cast<int>(*numeric));
    }
  }
  if (iso3.empty()) iso3 = countries::from_name(get(c.country));
  if (!iso3.empty()) event_.set(StrField::country, iso3);
  const auto lat = text::parse_number(get(c.latitude));
  const auto lon = text::parse_number(get(c.longitude));
  if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) return;
  event_.set(NumField::lat, *lat);
  event_.set(NumField::lon, *lon);
  if (const std::string_view region = regions::region_at(*lat, *lon); !region.empty()) {
    event_.set(StrField::region, region);
  }
}

void RowMapper::set_attrs(const Columns& c, std::string_view label) {
  const auto str = [&](std::string_view name, int col) {
    if (const std::string_view v = get(col); !v.empty()) text::set_attr(event_, name, v);
  };
  const auto num = [&](std::string_view name, int col) {
    if (const auto v = text::parse_number(get(col))) text::set_attr_num(event_, name, *v);
  };
  str("event_type", c.event_type);
  str("sub_event_type", c.sub_event_type);
  str("disorder_type", c.disorder_type);
  if (!label.empty()) text::set_attr(event_, "note_label", label);
  str("actor1", c.actor1);
  str("assoc_actor_1", c.assoc_actor_1);
  str("actor2", c.actor2);
  str("assoc_actor_2", c.assoc_actor_2);
  for (const auto& [name, col] : {std::pair{"inter1", c.inter1}, std::pair{"inter2", c.inter2}}) {
    const std::string_view v = get(col);
    const std::string_view legacy = inter_label(v);
    if (!legacy.empty()) {
      text::set_attr(event_, name, legacy);
    } else if (!v.empty() && v != "0") {
      text::set_attr(event_, name, v);
    }
  }
  if (const std::string_view v = get(c.interaction); v.size() == 2 && text::all_digits(v)) {
    scratch_.assign(inter_label(v.substr(0, 1)));
    scratch_.append(v[1] == '0' ? " only" : "-").append(inter_label(v.substr(1, 1)));
    text::set_attr(event_, "interaction", scratch_);
  } else {
    str("interaction", c.interaction);
  }
  if (c.civilian_targeting != kNoColumn) {
    text::set_attr_bool(event_, "civilian_targeting",
                        text::istarts_with(get(c.civilian_targeting), "civilian"));
  }
  num("fatalities", c.fatalities);
  num("time_precision", c.time_precision);
  num("geo_precision", c.geo_precision);
  str("acled_region", c.region);
  str("acled_country", c.country);
  str("admin1", c.admin1);
  str("admin2", c.admin2);
  str("admin3", c.admin3);
  str("location", c.location);
  str("acled_source", c.source);
  str("source_scale", c.source_scale);
  str("notes", c.notes);
  if (const std::string_view tags = get(c.tags); !tags.empty()) {
    std::vector<std::string>& list = text::set_attr_list(event_, "acled_tags");
    std::string_view rest = tags;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      if (const std::string_view t = text::trim(rest.substr(0, semi)); !t.empty()) {
        list.emplace_back(t);
      }
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    }
  }
  num("timestamp", c.timestamp);
}

}  // namespace flashpoint::adapters::acled
