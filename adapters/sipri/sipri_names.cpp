// SIPRI party names (see sipri_names.hpp). SIPRI marks international
// organisations with `**` and non-state armed groups with `*`; every other
// name is a state, current or former, looked up in the shared country table.
#include "sipri/sipri_names.hpp"

#include <array>

#include "common/countries.hpp"
#include "common/text.hpp"

namespace flashpoint::adapters::sipri {
namespace {

struct OrgName {
  std::string_view name;  // without the `**`
  std::string_view code;
};

// Organisations that appear as SIPRI recipients.
constexpr std::array kOrganisations = {
    OrgName{"NATO", "NATO"},
    OrgName{"United Nations", "UN"},
    OrgName{"African Union", "AU"},
    OrgName{"European Union", "EU"},
    OrgName{"EU", "EU"},
    OrgName{"OSCE", "OSCE"},
    OrgName{"ECOWAS", "ECOWAS"},
    OrgName{"Regional Security System", "RSS"},
    OrgName{"Southern African Development Community", "SADC"},
    OrgName{"SADC", "SADC"},
    OrgName{"ASEAN", "ASEAN"},
};

std::string_view strip_stars(std::string_view s, std::size_t& stars) {
  stars = 0;
  while (!s.empty() && s.back() == '*') {
    s.remove_suffix(1);
    ++stars;
  }
  return text::trim(s);
}

}  // namespace

Party map_party(std::string_view name) {
  name = text::trim(name);
  std::size_t stars = 0;
  const std::string_view bare = strip_stars(name, stars);
  if (bare.empty()) return {{}, "unknown"};
  if (stars >= 2) {
    for (const OrgName& o : kOrganisations) {
      if (text::istarts_with(bare, o.name) && bare.size() == o.name.size())
        return {o.code, "organisation"};
    }
    return {bare, "organisation"};
  }
  if (stars == 1) return {bare, "non_state"};
  if (text::istarts_with(bare, "unknown")) return {{}, "unknown"};
  const std::string_view iso3 = countries::from_name(bare);
  if (iso3.empty()) return {{}, "unmapped"};
  return {iso3, "state"};
}

}  // namespace flashpoint::adapters::sipri
