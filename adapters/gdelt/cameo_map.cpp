// CAMEO tables behind cameo.hpp. The kind table follows FORMATS.md §5: each
// row applies to every event code that starts with its prefix, and the
// longest matching prefix wins, so `13` (threaten) covers 130-139 and 1311-1385
// while `1312` (threaten with sanctions) refines it.
#include <algorithm>
#include <array>

#include "common/countries.hpp"
#include "gdelt/cameo.hpp"

namespace flashpoint::adapters::gdelt {
namespace {

struct KindRule {
  std::string_view prefix;
  CameoMapping mapping;
};

constexpr CameoMapping kind(std::string_view k) {
  CameoMapping m;
  m.kind = k;
  return m;
}

constexpr CameoMapping statement(std::string_view stance = {}, std::string_view topic = {}) {
  CameoMapping m = kind("statement");
  m.stance = stance;
  m.topic = topic;
  m.speaker = true;
  return m;
}

constexpr CameoMapping threat(std::string_view topic = {}) {
  CameoMapping m = statement("warn", topic);
  m.kind = "threat";
  return m;
}

constexpr CameoMapping summit(std::string_view meeting) {
  CameoMapping m = kind("summit");
  m.topic = "dialogue";
  m.meeting = meeting;
  m.mirrorable = true;
  return m;
}

constexpr CameoMapping sanction(std::string_view action) {
  CameoMapping m = kind("sanction");
  m.action = action;
  m.topic = "sanctions";
  return m;
}

constexpr CameoMapping event_about(std::string_view topic) {
  CameoMapping m;
  m.topic = topic;
  return m;
}

// Sorted by prefix (checked by a static_assert below).
constexpr std::array kKindRules = {
    KindRule{"01", statement()},                         // make public statement
    KindRule{"014", statement("consider")},              // consider policy option
    KindRule{"019", statement("support")},               // express accord
    KindRule{"0254", event_about("sanctions")},          // appeal for easing sanctions
    KindRule{"0312", kind("exercise")},                  // intent to cooperate militarily
    KindRule{"0354", event_about("sanctions")},          // intent to ease sanctions
    KindRule{"036", summit("intent")},                   // intent to meet or negotiate
    KindRule{"040", summit("consult")},                  // consult
    KindRule{"041", summit("phone")},                    // discuss by telephone
    KindRule{"042", summit("visit")},                    // make a visit
    KindRule{"043", summit("host")},                     // host a visit
    KindRule{"044", summit("third_location")},           // meet at a third location
    KindRule{"045", summit("mediate")},                  // mediate
    KindRule{"046", summit("negotiate")},                // engage in negotiation
    KindRule{"057", kind("agreement")},                  // sign formal agreement
    KindRule{"062", kind("exercise")},                   // cooperate militarily
    KindRule{"072", kind("arms_transfer")},              // provide military aid
    KindRule{"074", kind("deployment")},                 // provide military protection
    KindRule{"085", sanction("lift")},                   // ease sanctions, boycott, embargo
    KindRule{"0861", kind("deployment")},                // receive peacekeepers
    KindRule{"0871", kind("agreement")},                 // declare truce, ceasefire
    KindRule{"10", statement()},                         // demand
    KindRule{"1054", statement({}, "sanctions")},        // demand easing of sanctions
    KindRule{"11", statement("oppose")},                 // disapprove
    KindRule{"12", statement("oppose")},                 // reject
    KindRule{"1244", statement("oppose", "sanctions")},  // refuse to ease sanctions
    KindRule{"13", threat()},                            // threaten
    KindRule{"1312", threat("sanctions")},               // threaten sanctions
    KindRule{"150", kind("exercise")},                   // demonstrate military power
    KindRule{"152", kind("exercise")},                   // increase military alert status
    KindRule{"154", kind("deployment")},                 // mobilize armed forces
    KindRule{"16", kind("relations_cut")},               // reduce relations
    KindRule{"163", sanction("impose")},                 // impose embargo, sanctions
    KindRule{"18", kind("incident")},                    // assault
    KindRule{"19", kind("incident")},                    // fight
    KindRule{"20", kind("incident")},                    // unconventional mass violence
};

constexpr bool sorted_by_prefix() {
  for (std::size_t i = 1; i < kKindRules.size(); ++i) {
    if (!(kKindRules[i - 1].prefix < kKindRules[i].prefix)) return false;
  }
  return true;
}
static_assert(sorted_by_prefix(), "kKindRules must be sorted by prefix");

struct GroupRule {
  std::string_view group;
  std::string_view org;
};

// CAMEO known groups that flashpoint names as organisations (sorted).
constexpr std::array kGroups = {
    GroupRule{"ASN", "ASEAN"},  // Association of Southeast Asian Nations
    GroupRule{"CIS", "CIS"},    // Commonwealth of Independent States
    GroupRule{"EEC", "EU"},     // European Union
    GroupRule{"GCC", "GCC"},    // Gulf Cooperation Council
    GroupRule{"NAT", "NATO"},   // North Atlantic Treaty Organization
    GroupRule{"OAS", "OAS"},    // Organization of American States
    GroupRule{"OAU", "AU"},     // Organization of African Unity / African Union
    GroupRule{"SAD", "SADC"},   // Southern African Development Community
    GroupRule{"SCE", "OSCE"},   // Organization for Security and Co-operation in Europe
    GroupRule{"UNO", "UN"},     // United Nations
    GroupRule{"WTO", "WTO"},    // World Trade Organization
};

struct CountryFix {
  std::string_view cameo;
  std::string_view iso3;
};

// CAMEO country codes that are not (or no longer) ISO 3166-1 alpha-3.
constexpr std::array kCountryFixes = {
    CountryFix{"ROM", "ROU"},  // Romania
    CountryFix{"TMP", "TLS"},  // East Timor
    CountryFix{"ZAR", "COD"},  // Zaire / DR Congo
};

}  // namespace

CameoMapping map_event_code(std::string_view code) {
  for (std::size_t len = std::min<std::size_t>(code.size(), 4); len >= 2; --len) {
    const std::string_view prefix = code.substr(0, len);
    const auto it =
        std::lower_bound(kKindRules.begin(), kKindRules.end(), prefix,
                         [](const KindRule& r, std::string_view p) { return r.prefix < p; });
    if (it != kKindRules.end() && it->prefix == prefix) return it->mapping;
  }
  return CameoMapping{};
}

std::string_view known_group_org(std::string_view group) {
  const auto it =
      std::lower_bound(kGroups.begin(), kGroups.end(), group,
                       [](const GroupRule& r, std::string_view g) { return r.group < g; });
  return (it != kGroups.end() && it->group == group) ? it->org : std::string_view();
}

std::string_view actor_country_iso3(std::string_view code) {
  for (const CountryFix& f : kCountryFixes) {
    if (f.cameo == code) return f.iso3;
  }
  return countries::find_iso3(code);
}

}  // namespace flashpoint::adapters::gdelt
