// The country table behind countries.hpp: ISO 3166-1 alpha-3, numeric and
// FIPS 10-4 codes with a short English name (from the iso-codes 3166-1 list
// joined with the GeoNames country table's FIPS column), and the lookups by
// code.
#include <algorithm>
#include <array>
#include <string>

#include "common/countries.hpp"

namespace flashpoint::adapters::countries {
namespace {

// Sorted by ISO3.
constexpr Country kCountries[] = {
    {"ABW", 533, "AA", "Aruba"},
    {"AFG", 4, "AF", "Afghanistan"},
    {"AGO", 24, "AO", "Angola"},
    {"AIA", 660, "AV", "Anguilla"},
    {"ALA", 248, "", "Aland Islands"},
    {"ALB", 8, "AL", "Albania"},
    {"AND", 20, "AN", "Andorra"},
    {"ARE", 784, "AE", "United Arab Emirates"},
    {"ARG", 32, "AR", "Argentina"},
    {"ARM", 51, "AM", "Armenia"},
    {"ASM", 16, "AQ", "American Samoa"},
    {"ATA", 10, "AY", "Antarctica"},
    {"ATF", 260, "FS", "French Southern Territories"},
    {"ATG", 28, "AC", "Antigua and Barbuda"},
    {"AUS", 36, "AS", "Australia"},
    {"AUT", 40, "AU", "Austria"},
    {"AZE", 31, "AJ", "Azerbaijan"},
    {"BDI", 108, "BY", "Burundi"},
    {"BEL", 56, "BE", "Belgium"},
    {"BEN", 204, "BN", "Benin"},
    {"BES", 535, "", "Bonaire, Sint Eustatius and Saba"},
    {"BFA", 854, "UV", "Burkina Faso"},
    {"BGD", 50, "BG", "Bangladesh"},
    {"BGR", 100, "BU", "Bulgaria"},
    {"BHR", 48, "BA", "Bahrain"},
    {"BHS", 44, "BF", "Bahamas"},
    {"BIH", 70, "BK", "Bosnia and Herzegovina"},
    {"BLM", 652, "TB", "Saint Barthelemy"},
    {"BLR", 112, "BO", "Belarus"},
    {"BLZ", 84, "BH", "Belize"},
    {"BMU", 60, "BD", "Bermuda"},
    {"BOL", 68, "BL", "Bolivia"},
    {"BRA", 76, "BR", "Brazil"},
    {"BRB", 52, "BB", "Barbados"},
    {"BRN", 96, "BX", "Brunei Darussalam"},
    {"BTN", 64, "BT", "Bhutan"},
    {"BVT", 74, "BV", "Bouvet Island"},
    {"BWA", 72, "BC", "Botswana"},
    {"CAF", 140, "CT", "Central African Republic"},
    {"CAN", 124, "CA", "Canada"},
    {"CCK", 166, "CK", "Cocos (Keeling) Islands"},
    {"CHE", 756, "SZ", "Switzerland"},
    {"CHL", 152, "CI", "Chile"},
    {"CHN", 156, "CH", "China"},
    {"CIV", 384, "IV", "Cote d'Ivoire"},
    {"CMR", 120, "CM", "Cameroon"},
    {"COD", 180, "CG", "Congo, The Democratic Republic of the"},
    {"COG", 178, "CF", "Congo"},
    {"COK", 184, "CW", "Cook Islands"},
    {"COL", 170, "CO", "Colombia"},
    {"COM", 174, "CN", "Comoros"},
    {"CPV", 132, "CV", "Cabo Verde"},
    {"CRI", 188, "CS", "Costa Rica"},
    {"CUB", 192, "CU", "Cuba"},
    {"CUW", 531, "UC", "Curacao"},
    {"CXR", 162, "KT", "Christmas Island"},
    {"CYM", 136, "CJ", "Cayman Islands"},
    {"CYP", 196, "CY", "Cyprus"},
    {"CZE", 203, "EZ", "Czechia"},
    {"DEU", 276, "GM", "Germany"},
    {"DJI", 262, "DJ", "Djibouti"},
    {"DMA", 212, "DO", "Dominica"},
    {"DNK", 208, "DA", "Denmark"},
    {"DOM", 214, "DR", "Dominican Republic"},
    {"DZA", 12, "AG", "Algeria"},
    {"ECU", 218, "EC", "Ecuador"},
    {"EGY", 818, "EG", "Egypt"},
    {"ERI", 232, "ER", "Eritrea"},
    {"ESH", 732, "WI", "Western Sahara"},
    {"ESP", 724, "SP", "Spain"},
    {"EST", 233, "EN", "Estonia"},
    {"ETH", 231, "ET", "Ethiopia"},
    {"FIN", 246, "FI", "Finland"},
    {"FJI", 242, "FJ", "Fiji"},
    {"FLK", 238, "FK", "Falkland Islands (Malvinas)"},
    {"FRA", 250, "FR", "France"},
    {"FRO", 234, "FO", "Faroe Islands"},
    {"FSM", 583, "FM", "Micronesia, Federated States of"},
    {"GAB", 266, "GB", "Gabon"},
    {"GBR", 826, "UK", "United Kingdom"},
    {"GEO", 268, "GG", "Georgia"},
    {"GGY", 831, "GK", "Guernsey"},
    {"GHA", 288, "GH", "Ghana"},
    {"GIB", 292, "GI", "Gibraltar"},
    {"GIN", 324, "GV", "Guinea"},
    {"GLP", 312, "GP", "Guadeloupe"},
    {"GMB", 270, "GA", "Gambia"},
    {"GNB", 624, "PU", "Guinea-Bissau"},
    {"GNQ", 226, "EK", "Equatorial Guinea"},
    {"GRC", 300, "GR", "Greece"},
    {"GRD", 308, "GJ", "Grenada"},
    {"GRL", 304, "GL", "Greenland"},
    {"GTM", 320, "GT", "Guatemala"},
    {"GUF", 254, "FG", "French Guiana"},
    {"GUM", 316, "GQ", "Guam"},
    {"GUY", 328, "GY", "Guyana"},
    {"HKG", 344, "HK", "Hong Kong"},
    {"HMD", 334, "HM", "Heard Island and McDonald Islands"},
    {"HND", 340, "HO", "Honduras"},
    {"HRV", 191, "HR", "Croatia"},
    {"HTI", 332, "HA", "Haiti"},
    {"HUN", 348, "HU", "Hungary"},
    {"IDN", 360, "ID", "Indonesia"},
    {"IMN", 833, "IM", "Isle of Man"},
    {"IND", 356, "IN", "India"},
    {"IOT", 86, "IO", "British Indian Ocean Territory"},
    {"IRL", 372, "EI", "Ireland"},
    {"IRN", 364, "IR", "Iran"},
    {"IRQ", 368, "IZ", "Iraq"},
    {"ISL", 352, "IC", "Iceland"},
    {"ISR", 376, "IS", "Israel"},
    {"ITA", 380, "IT", "Italy"},
    {"JAM", 388, "JM", "Jamaica"},
    {"JEY", 832, "JE", "Jersey"},
    {"JOR", 400, "JO", "Jordan"},
    {"JPN", 392, "JA", "Japan"},
    {"KAZ", 398, "KZ", "Kazakhstan"},
    {"KEN", 404, "KE", "Kenya"},
    {"KGZ", 417, "KG", "Kyrgyzstan"},
    {"KHM", 116, "CB", "Cambodia"},
    {"KIR", 296, "KR", "Kiribati"},
    {"KNA", 659, "SC", "Saint Kitts and Nevis"},
    {"KOR", 410, "KS", "South Korea"},
    {"KWT", 414, "KU", "Kuwait"},
    {"LAO", 418, "LA", "Laos"},
    {"LBN", 422, "LE", "Lebanon"},
    {"LBR", 430, "LI", "Liberia"},
    {"LBY", 434, "LY", "Libya"},
    {"LCA", 662, "ST", "Saint Lucia"},
    {"LIE", 438, "LS", "Liechtenstein"},
    {"LKA", 144, "CE", "Sri Lanka"},
    {"LSO", 426, "LT", "Lesotho"},
    {"LTU", 440, "LH", "Lithuania"},
    {"LUX", 442, "LU", "Luxembourg"},
    {"LVA", 428, "LG", "Latvia"},
    {"MAC", 446, "MC", "Macao"},
    {"MAF", 663, "RN", "Saint Martin (French part)"},
    {"MAR", 504, "MO", "Morocco"},
    {"MCO", 492, "MN", "Monaco"},
    {"MDA", 498, "MD", "Moldova"},
    {"MDG", 450, "MA", "Madagascar"},
    {"MDV", 462, "MV", "Maldives"},
    {"MEX", 484, "MX", "Mexico"},
    {"MHL", 584, "RM", "Marshall Islands"},
    {"MKD", 807, "MK", "North Macedonia"},
    {"MLI", 466, "ML", "Mali"},
    {"MLT", 470, "MT", "Malta"},
    {"MMR", 104, "BM", "Myanmar"},
    {"MNE", 499, "MJ", "Montenegro"},
    {"MNG", 496, "MG", "Mongolia"},
    {"MNP", 580, "CQ", "Northern Mariana Islands"},
    {"MOZ", 508, "MZ", "Mozambique"},
    {"MRT", 478, "MR", "Mauritania"},
    {"MSR", 500, "MH", "Montserrat"},
    {"MTQ", 474, "MB", "Martinique"},
    {"MUS", 480, "MP", "Mauritius"},
    {"MWI", 454, "MI", "Malawi"},
    {"MYS", 458, "MY", "Malaysia"},
    {"MYT", 175, "MF", "Mayotte"},
    {"NAM", 516, "WA", "Namibia"},
    {"NCL", 540, "NC", "New Caledonia"},
    {"NER", 562, "NG", "Niger"},
    {"NFK", 574, "NF", "Norfolk Island"},
    {"NGA", 566, "NI", "Nigeria"},
    {"NIC", 558, "NU", "Nicaragua"},
    {"NIU", 570, "NE", "Niue"},
    {"NLD", 528, "NL", "Netherlands"},
    {"NOR", 578, "NO", "Norway"},
    {"NPL", 524, "NP", "Nepal"},
    {"NRU", 520, "NR", "Nauru"},
    {"NZL", 554, "NZ", "New Zealand"},
    {"OMN", 512, "MU", "Oman"},
    {"PAK", 586, "PK", "Pakistan"},
    {"PAN", 591, "PM", "Panama"},
    {"PCN", 612, "PC", "Pitcairn"},
    {"PER", 604, "PE", "Peru"},
    {"PHL", 608, "RP", "Philippines"},
    {"PLW", 585, "PS", "Palau"},
    {"PNG", 598, "PP", "Papua New Guinea"},
    {"POL", 616, "PL", "Poland"},
    {"PRI", 630, "RQ", "Puerto Rico"},
    {"PRK", 408, "KN", "North Korea"},
    {"PRT", 620, "PO", "Portugal"},
    {"PRY", 600, "PA", "Paraguay"},
    {"PSE", 275, "WE", "Palestine, State of"},
    {"PYF", 258, "FP", "French Polynesia"},
    {"QAT", 634, "QA", "Qatar"},
    {"REU", 638, "RE", "Reunion"},
    {"ROU", 642, "RO", "Romania"},
    {"RUS", 643, "RS", "Russian Federation"},
    {"RWA", 646, "RW", "Rwanda"},
    {"SAU", 682, "SA", "Saudi Arabia"},
    {"SDN", 729, "SU", "Sudan"},
    {"SEN", 686, "SG", "Senegal"},
    {"SGP", 702, "SN", "Singapore"},
    {"SGS", 239, "SX", "South Georgia and the South Sandwich Islands"},
    {"SHN", 654, "SH", "Saint Helena, Ascension and Tristan da Cunha"},
    {"SJM", 744, "SV", "Svalbard and Jan Mayen"},
    {"SLB", 90, "BP", "Solomon Islands"},
    {"SLE", 694, "SL", "Sierra Leone"},
    {"SLV", 222, "ES", "El Salvador"},
    {"SMR", 674, "SM", "San Marino"},
    {"SOM", 706, "SO", "Somalia"},
    {"SPM", 666, "SB", "Saint Pierre and Miquelon"},
    {"SRB", 688, "RI", "Serbia"},
    {"SSD", 728, "OD", "South Sudan"},
    {"STP", 678, "TP", "Sao Tome and Principe"},
    {"SUR", 740, "NS", "Suriname"},
    {"SVK", 703, "LO", "Slovakia"},
    {"SVN", 705, "SI", "Slovenia"},
    {"SWE", 752, "SW", "Sweden"},
    {"SWZ", 748, "WZ", "Eswatini"},
    {"SXM", 534, "NN", "Sint Maarten (Dutch part)"},
    {"SYC", 690, "SE", "Seychelles"},
    {"SYR", 760, "SY", "Syria"},
    {"TCA", 796, "TK", "Turks and Caicos Islands"},
    {"TCD", 148, "CD", "Chad"},
    {"TGO", 768, "TO", "Togo"},
    {"THA", 764, "TH", "Thailand"},
    {"TJK", 762, "TI", "Tajikistan"},
    {"TKL", 772, "TL", "Tokelau"},
    {"TKM", 795, "TX", "Turkmenistan"},
    {"TLS", 626, "TT", "Timor-Leste"},
    {"TON", 776, "TN", "Tonga"},
    {"TTO", 780, "TD", "Trinidad and Tobago"},
    {"TUN", 788, "TS", "Tunisia"},
    {"TUR", 792, "TU", "Turkiye"},
    {"TUV", 798, "TV", "Tuvalu"},
    {"TWN", 158, "TW", "Taiwan"},
    {"TZA", 834, "TZ", "Tanzania"},
    {"UGA", 800, "UG", "Uganda"},
    {"UKR", 804, "UP", "Ukraine"},
    {"UMI", 581, "", "United States Minor Outlying Islands"},
    {"URY", 858, "UY", "Uruguay"},
    {"USA", 840, "US", "United States"},
    {"UZB", 860, "UZ", "Uzbekistan"},
    {"VAT", 336, "VT", "Holy See (Vatican City State)"},
    {"VCT", 670, "VC", "Saint Vincent and the Grenadines"},
    {"VEN", 862, "VE", "Venezuela"},
    {"VGB", 92, "VI", "Virgin Islands, British"},
    {"VIR", 850, "VQ", "Virgin Islands, U.S."},
    {"VNM", 704, "VM", "Vietnam"},
    {"VUT", 548, "NH", "Vanuatu"},
    {"WLF", 876, "WF", "Wallis and Futuna"},
    {"WSM", 882, "WS", "Samoa"},
    {"XKX", 0, "KV", "Kosovo"},
    {"YEM", 887, "YM", "Yemen"},
    {"ZAF", 710, "SF", "South Africa"},
    {"ZMB", 894, "ZA", "Zambia"},
    {"ZWE", 716, "ZI", "Zimbabwe"},
};

// FIPS 10-4 codes of places that ISO files under another country.
struct FipsAlias {
  std::string_view fips;
  std::string_view iso3;
};
constexpr FipsAlias kFipsAliases[] = {
    {"GZ", "PSE"},  // Gaza Strip
    {"RB", "SRB"},  // Serbia (code used 2006-2008)
    {"YI", "SRB"},  // Serbia and Montenegro, still used by GDELT for Serbia
    {"JN", "SJM"},  // Jan Mayen
    {"AT", "AUS"},  // Ashmore and Cartier Islands
    {"CR", "AUS"},  // Coral Sea Islands
    {"BQ", "UMI"},  // Navassa Island
    {"FQ", "UMI"},  // Baker Island
    {"HQ", "UMI"},  // Howland Island
    {"DQ", "UMI"},  // Jarvis Island
    {"JQ", "UMI"},  // Johnston Atoll
    {"KQ", "UMI"},  // Kingman Reef
    {"LQ", "UMI"},  // Palmyra Atoll
    {"MQ", "UMI"},  // Midway Islands
    {"WQ", "UMI"},  // Wake Island
    {"BS", "ATF"},  // Bassas da India
    {"EU", "ATF"},  // Europa Island
    {"GO", "ATF"},  // Glorioso Islands
    {"JU", "ATF"},  // Juan de Nova Island
    {"TE", "ATF"},  // Tromelin Island
    {"NT", "CUW"},  // Netherlands Antilles (dissolved 2010)
};

constexpr int kFipsSlots = 26 * 26;

int fips_slot(std::string_view fips) {
  if (fips.size() != 2) return -1;
  const char a = fips[0];
  const char b = fips[1];
  if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return -1;
  return (a - 'A') * 26 + (b - 'A');
}

// FIPS slot -> ISO3, built once.
const std::array<std::string_view, kFipsSlots>& fips_index() {
  static const std::array<std::string_view, kFipsSlots> index = [] {
    std::array<std::string_view, kFipsSlots> t{};
    for (const Country& c : kCountries) {
      if (const int s = fips_slot(c.fips); s >= 0) t[static_cast<std::size_t>(s)] = c.iso3;
    }
    for (const FipsAlias& a : kFipsAliases) {
      if (const int s = fips_slot(a.fips); s >= 0) t[static_cast<std::size_t>(s)] = a.iso3;
    }
    return t;
  }();
  return index;
}

}  // namespace

std::span<const Country> all() { return kCountries; }

std::string_view find_iso3(std::string_view code) {
  if (code.size() != 3) return {};
  const auto it = std::lower_bound(std::begin(kCountries), std::end(kCountries), code,
                                   [](const Country& c, std::string_view k) { return c.iso3 < k; });
  return (it != std::end(kCountries) && it->iso3 == code) ? it->iso3 : std::string_view();
}

std::string_view from_fips(std::string_view fips) {
  const int s = fips_slot(fips);
  return s < 0 ? std::string_view() : fips_index()[static_cast<std::size_t>(s)];
}

std::string_view from_numeric(int numeric) {
  if (numeric <= 0) return {};
  for (const Country& c : kCountries) {
    if (c.numeric == numeric) return c.iso3;
  }
  return {};
}

}  // namespace flashpoint::adapters::countries
