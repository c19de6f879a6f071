// Country names -> ISO3 (countries::from_name): the table's own names plus the
// variants that SIPRI, ACLED and GDELT write, and former states by their
// ISO 3166-3 codes. Keys are compared after text::fold_name.
#include <string>
#include <unordered_map>

#include "common/countries.hpp"
#include "common/text.hpp"

namespace flashpoint::adapters::countries {
namespace {

struct Alias {
  std::string_view name;
  std::string_view iso3;
};

// Names other than the table's own (countries::all()[i].name).
constexpr Alias kAliases[] = {
    // Short and common forms.
    {"Russian Federation", "RUS"},
    {"Russia", "RUS"},
    {"United States of America", "USA"},
    {"USA", "USA"},
    {"UK", "GBR"},
    {"Great Britain", "GBR"},
    {"Britain", "GBR"},
    {"UAE", "ARE"},
    {"Turkey", "TUR"},
    {"Viet Nam", "VNM"},
    {"Vietnam", "VNM"},
    {"Czech Republic", "CZE"},
    {"Korea, North", "PRK"},
    {"Korea, South", "KOR"},
    {"Korea DPR", "PRK"},
    {"DPRK", "PRK"},
    {"Republic of Korea", "KOR"},
    {"Democratic People's Republic of Korea", "PRK"},
    {"Laos", "LAO"},
    {"Syria", "SYR"},
    {"Iran", "IRN"},
    {"Moldova", "MDA"},
    {"Tanzania", "TZA"},
    {"Bolivia", "BOL"},
    {"Venezuela", "VEN"},
    {"Taiwan", "TWN"},
    {"Brunei", "BRN"},
    {"Macedonia", "MKD"},
    {"FYROM", "MKD"},
    {"Micronesia", "FSM"},
    {"Palestine", "PSE"},
    {"Palestinian Territory", "PSE"},
    {"Vatican", "VAT"},
    {"Vatican City", "VAT"},
    {"Holy See", "VAT"},
    {"Cape Verde", "CPV"},
    {"East Timor", "TLS"},
    {"Timor Leste", "TLS"},
    {"Ivory Coast", "CIV"},
    {"eSwatini", "SWZ"},
    {"Swaziland", "SWZ"},
    {"Burma", "MMR"},
    {"Myanmar (Burma)", "MMR"},
    {"Macau", "MAC"},
    {"Gambia", "GMB"},
    {"The Gambia", "GMB"},
    {"Bahamas", "BHS"},
    {"The Bahamas", "BHS"},
    {"Netherlands", "NLD"},
    {"The Netherlands", "NLD"},
    {"Caribbean Netherlands", "BES"},
    {"Bonaire", "BES"},
    {"Saint Martin", "MAF"},
    {"Sint Maarten", "SXM"},
    {"Pitcairn Islands", "PCN"},
    {"Falkland Islands", "FLK"},
    {"Virgin Islands, U.S.", "VIR"},
    {"US Virgin Islands", "VIR"},
    {"British Virgin Islands", "VGB"},
    {"Saint Helena", "SHN"},
    {"Kyrgyz Republic", "KGZ"},
    // The two Congos.
    {"DR Congo", "COD"},
    {"DRC", "COD"},
    {"Democratic Republic of Congo", "COD"},
    {"Democratic Republic of the Congo", "COD"},
    {"Congo, Democratic Republic", "COD"},
    {"Congo-Kinshasa", "COD"},
    {"Zaire", "COD"},
    {"Republic of Congo", "COG"},
    {"Republic of the Congo", "COG"},
    {"Congo-Brazzaville", "COG"},
    // SIPRI spellings.
    {"Bosnia-Herzegovina", "BIH"},
    {"Bosnia", "BIH"},
    {"Cote d'Ivoire", "CIV"},
    {"Turkiye", "TUR"},
    {"Trinidad and Tobago", "TTO"},
    {"Saint Vincent", "VCT"},
    {"St Vincent and the Grenadines", "VCT"},
    {"St Kitts and Nevis", "KNA"},
    {"Antigua and Barbuda", "ATG"},
    {"Sao Tome and Principe", "STP"},
    {"Central African Rep.", "CAF"},
    {"Guinea Bissau", "GNB"},
    {"West Germany (FRG)", "DEU"},
    {"Germany (FRG)", "DEU"},
    {"North Yemen", "YEM"},
    {"South Yemen", "YMD"},
    {"Kampuchea", "KHM"},
    {"Rhodesia", "RHO"},
    // Former states (ISO 3166-3 codes).
    {"Soviet Union", "SUN"},
    {"USSR", "SUN"},
    {"Czechoslovakia", "CSK"},
    {"East Germany (GDR)", "DDR"},
    {"East Germany", "DDR"},
    {"Germany (GDR)", "DDR"},
    {"Yugoslavia", "YUG"},
    {"Serbia and Montenegro", "SCG"},
    {"Kosovo", "XKX"},
};

const std::unordered_map<std::string, std::string_view>& name_index() {
  static const std::unordered_map<std::string, std::string_view> index = [] {
    std::unordered_map<std::string, std::string_view> m;
    std::string key;
    for (const Country& c : all()) {
      text::fold_name(c.name, key);
      m.emplace(key, c.iso3);
    }
    for (const Alias& a : kAliases) {
      text::fold_name(a.name, key);
      m.insert_or_assign(key, a.iso3);
    }
    return m;
  }();
  return index;
}

}  // namespace

std::string_view from_name(std::string_view name) {
  thread_local std::string key;
  text::fold_name(name, key);
  if (key.rfind("the ", 0) == 0) key.erase(0, 4);
  const auto& index = name_index();
  const auto it = index.find(key);
  return it == index.end() ? std::string_view() : it->second;
}

}  // namespace flashpoint::adapters::countries
