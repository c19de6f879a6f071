// ACLED tables behind acled_map.hpp. Types and sub-types are matched without
// regard to case, so the UPPER-CASE and older exports map the same way.
#include "acled/acled_map.hpp"

#include <array>

#include "common/countries.hpp"
#include "common/text.hpp"

namespace flashpoint::adapters::acled {
namespace {

struct KindRule {
  std::string_view event_type;
  std::string_view sub_event_type;  // empty: any sub-type
  std::string_view note_label;      // empty: any note
  std::string_view kind;
};

// First matching row wins, so the specific rows come before the general ones.
constexpr std::array kKindRules = {
    KindRule{"Battles", {}, {}, "incident"},
    KindRule{"Explosions/Remote violence", {}, {}, "incident"},
    KindRule{"Violence against civilians", {}, {}, "incident"},
    KindRule{"Protests", {}, {}, "protest"},
    KindRule{"Riots", {}, {}, "riot"},
    KindRule{"Strategic developments", "Agreement", {}, "agreement"},
    KindRule{"Strategic developments", "Arrests", {}, "arrest"},
    KindRule{"Strategic developments", "Change to group/activity", "Movement of forces",
             "deployment"},
    KindRule{"Strategic developments", "Change to group/activity", "Non-violent activity",
             "statement"},
    KindRule{"Strategic developments", "Change to group/activity", {}, "group_activity"},
    KindRule{"Strategic developments", "Disrupted weapons use", {}, "incident"},
    KindRule{"Strategic developments", "Headquarters or base established", {}, "deployment"},
    KindRule{"Strategic developments", "Looting/property destruction", {}, "incident"},
    KindRule{
        "Strategic developments", "Non-violent transfer of territory", {}, "territory_transfer"},
    KindRule{"Strategic developments", {}, {}, "strategic_development"},
    // ACLED v5-v7 (2015-2018) event types.
    KindRule{"Riots/Protests", {}, {}, "protest"},
    KindRule{"Remote violence", {}, {}, "incident"},
    KindRule{"Battle-No change of territory", {}, {}, "incident"},
    KindRule{"Battle-Government regains territory", {}, {}, "incident"},
    KindRule{"Battle-Non-state actor overtakes territory", {}, {}, "incident"},
    KindRule{"Headquarters or base established", {}, {}, "deployment"},
    KindRule{"Non-violent transfer of territory", {}, {}, "territory_transfer"},
    KindRule{"Strategic development", {}, {}, "strategic_development"},
};

constexpr std::array<std::string_view, 9> kInterLabels = {
    "",        "State forces", "Rebel group", "Political militia",     "Identity militia",
    "Rioters", "Protesters",   "Civilians",   "External/Other forces",
};

// Prefixes of state actors, followed by the country name.
constexpr std::array<std::string_view, 6> kStatePrefixes = {
    "Military Forces of ", "Police Forces of ", "Government of ",
    "Naval Forces of ",    "Air Force of ",     "Navy of ",
};

struct OrgPrefix {
  std::string_view prefix;
  std::string_view code;
};

constexpr std::array kOrganisations = {
    OrgPrefix{"NATO:", "NATO"},        OrgPrefix{"UN:", "UN"},
    OrgPrefix{"United Nations", "UN"}, OrgPrefix{"EU:", "EU"},
    OrgPrefix{"European Union", "EU"}, OrgPrefix{"AU:", "AU"},
    OrgPrefix{"African Union", "AU"},  OrgPrefix{"OSCE:", "OSCE"},
    OrgPrefix{"ASEAN:", "ASEAN"},
};

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && text::istarts_with(a, b);
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// 1-12 for a month name or its three-letter abbreviation; 0 otherwise.
int month_number(std::string_view name) {
  if (name.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    const std::string_view full = kMonths[i];
    if (iequals(name, full) || (name.size() == 3 && text::istarts_with(full, name)) ||
        (name.size() == 4 && iequals(name, "sept") && i == 8)) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

std::optional<TimeUs> checked(std::int64_t y, std::int64_t m, std::int64_t d) {
  const text::Ymd date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
  if (y < 1 || y > 9999 || !text::valid_ymd(date)) return std::nullopt;
  return text::midnight_utc(date);
}

}  // namespace

std::string_view map_kind(std::string_view event_type, std::string_view sub_event_type,
                          std::string_view label) {
  event_type = text::trim(event_type);
  sub_event_type = text::trim(sub_event_type);
  for (const KindRule& r : kKindRules) {
    if (!iequals(event_type, r.event_type)) continue;
    if (!r.sub_event_type.empty() && !iequals(sub_event_type, r.sub_event_type)) continue;
    if (!r.note_label.empty() && !iequals(label, r.note_label)) continue;
    return r.kind;
  }
  return "event";
}

std::string_view note_label(std::string_view notes) {
  constexpr std::size_t kMaxLabel = 40;
  const std::size_t colon = notes.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > kMaxLabel) return {};
  const std::string_view label = notes.substr(0, colon);
  for (const char c : label) {
    if (!is_letter(c) && c != ' ' && c != '-') return {};
  }
  return text::trim(label);
}

std::string_view inter_label(std::string_view code) {
  code = text::trim(code);
  if (code.size() != 1 || code[0] < '0' || code[0] > '8') return {};
  return kInterLabels[static_cast<std::size_t>(code[0] - '0')];
}

std::string_view actor_code(std::string_view actor) {
  actor = text::trim(actor);
  for (const OrgPrefix& o : kOrganisations) {
    if (text::istarts_with(actor, o.prefix)) return o.code;
  }
  for (const std::string_view prefix : kStatePrefixes) {
    if (!text::istarts_with(actor, prefix)) continue;
    std::string_view country = actor.substr(prefix.size());
    country = country.substr(0, country.find(" ("));
    if (text::istarts_with(country, "the ")) country.remove_prefix(4);
    return countries::from_name(country);
  }
  return {};
}

std::optional<TimeUs> parse_date(std::string_view s, std::optional<std::int64_t> year_hint) {
  s = text::trim(s);
  std::array<std::string_view, 4> parts{};
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {  // 2024-05-09
    const auto y = text::parse_int(s.substr(0, 4));
    const auto m = text::parse_int(s.substr(5, 2));
    const auto d = text::parse_int(s.substr(8, 2));
    if (!y || !m || !d || !text::all_digits(s.substr(5, 2)) || !text::all_digits(s.substr(8, 2))) {
      return std::nullopt;
    }
    return checked(*y, *m, *d);
  }
  const char sep = s.find(' ') != std::string_view::npos ? ' ' : '-';
  if (text::split(s, sep, parts) != 3) return std::nullopt;
  const auto d = text::parse_int(parts[0]);
  const int m = month_number(parts[1]);
  const std::string_view year_text = parts[2];
  auto y = text::parse_int(year_text);
  if (!d || m == 0 || !y || !text::all_digits(parts[0]) || !text::all_digits(year_text)) {
    return std::nullopt;
  }
  if (year_text.size() == 2) {
    if (year_hint && *year_hint >= 1900 && *year_hint <= 2099 && *year_hint % 100 == *y) {
      y = *year_hint;
    } else {
      y = *y + (*y < 70 ? 2000 : 1900);
    }
  } else if (year_text.size() != 4) {
    return std::nullopt;
  }
  return checked(*y, m, *d);
}

}  // namespace flashpoint::adapters::acled
