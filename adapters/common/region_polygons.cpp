// Region polygons behind regions.hpp, as (latitude, longitude) vertices in
// degrees. They are deliberately coarse: sea regions follow the coast to
// within roughly 20-50 km and take in the port cities on it; land regions
// (ukraine, europe, korean_peninsula) follow borders to the same precision.
// A point in two polygons belongs to the one listed first.
#include <algorithm>
#include <array>
#include <cmath>

#include "common/regions.hpp"

namespace flashpoint::adapters::regions {
namespace {

// Taiwan, the Penghu, Kinmen and Matsu islands, and the Fujian coast.
constexpr LatLon kTaiwanStrait[] = {
    {21.8, 118.5}, {23.5, 117.0}, {24.5, 117.8}, {25.5, 118.8},
    {26.6, 119.4}, {26.6, 122.2}, {21.8, 122.2},
};

// Both Koreas with their coastal waters, Jeju and the Northern Limit Line
// islands.
constexpr LatLon kKoreanPeninsula[] = {
    {39.75, 124.0}, {40.25, 124.25}, {40.45, 124.95}, {41.15, 126.3}, {41.4, 128.2}, {42.0, 128.05},
    {42.2, 129.2},  {42.9, 129.75},  {42.3, 130.75},  {41.8, 130.1},  {40.7, 129.6}, {39.8, 128.0},
    {39.2, 127.8},  {38.2, 128.8},   {37.0, 129.6},   {35.5, 129.6},  {34.9, 129.2}, {34.4, 128.0},
    {33.0, 127.1},  {33.0, 126.0},   {34.3, 125.8},   {35.8, 126.1},  {36.9, 125.9}, {37.5, 124.5},
    {38.1, 124.5},  {38.8, 124.9},
};

// The Yellow Sea with the Bohai Gulf, Shandong's coast and Dalian.
constexpr LatLon kYellowSea[] = {
    {31.6, 121.9}, {32.8, 120.9}, {34.6, 119.3}, {37.2, 118.9}, {38.5, 117.6},
    {39.3, 118.3}, {40.0, 119.6}, {40.8, 121.0}, {40.0, 122.3}, {39.75, 124.0},
    {37.5, 126.0}, {34.3, 126.2}, {33.2, 126.3},
};

// The Sea of Japan (East Sea) from the Korea Strait to the Tatar Strait, with
// Vladivostok; Japan's own coast is the boundary.
constexpr LatLon kSeaOfJapan[] = {
    {34.0, 129.2}, {34.2, 130.8}, {35.7, 133.0}, {36.0, 136.0}, {37.5, 137.0}, {38.0, 138.9},
    {39.7, 139.9}, {41.3, 140.0}, {42.5, 139.8}, {43.4, 140.9}, {45.6, 141.5}, {46.6, 141.8},
    {50.0, 142.0}, {52.0, 141.4}, {52.0, 140.5}, {48.9, 140.3}, {46.0, 138.0}, {43.3, 132.2},
    {42.6, 130.7}, {38.5, 128.5}, {36.0, 129.5}, {35.1, 129.2},
};

// The East China Sea: Zhejiang and Shanghai's coast, the Senkaku/Diaoyu
// islands, the Ryukyus to Okinawa and Miyako, western Kyushu's waters.
constexpr LatLon kEastChinaSea[] = {
    {26.6, 119.6}, {28.0, 120.6}, {29.9, 121.4}, {30.6, 121.0}, {31.4, 121.0}, {31.6, 121.9},
    {33.2, 126.3}, {34.0, 128.6}, {33.9, 129.2}, {33.3, 129.6}, {32.5, 129.6}, {31.2, 130.0},
    {30.0, 130.4}, {28.3, 129.6}, {26.8, 128.6}, {24.0, 125.6}, {24.0, 122.2}, {26.6, 122.2},
};

// The South China Sea with the Gulfs of Tonkin and Thailand, Hainan, the
// Paracel and Spratly islands, Hong Kong, Manila, Singapore and Cam Ranh.
constexpr LatLon kSouthChinaSea[] = {
    {21.8, 108.3}, {21.6, 109.6},  {21.0, 110.6}, {21.7, 112.3}, {22.6, 113.6}, {22.6, 114.5},
    {23.0, 116.3}, {23.5, 117.0},  {21.8, 118.5}, {21.8, 121.0}, {18.5, 120.7}, {16.5, 120.2},
    {14.9, 120.2}, {14.7, 121.1},  {14.4, 121.1}, {13.8, 120.6}, {12.0, 119.8}, {10.5, 119.2},
    {8.5, 117.2},  {7.0, 116.8},   {5.9, 116.1},  {4.5, 114.0},  {1.6, 110.4},  {1.0, 109.0},
    {-3.0, 108.0}, {-3.0, 106.0},  {0.0, 104.5},  {1.15, 103.6}, {2.5, 103.6},  {3.8, 103.5},
    {6.2, 102.3},  {7.2, 100.6},   {9.0, 99.6},   {12.5, 99.9},  {13.4, 100.6}, {12.5, 101.5},
    {11.0, 103.0}, {10.4, 104.5},  {8.6, 104.8},  {9.5, 106.5},  {10.2, 106.8}, {11.9, 109.1},
    {14.0, 109.2}, {16.1, 108.15}, {17.5, 106.6}, {19.0, 105.7}, {20.5, 106.5}, {21.5, 107.9},
};

// Ukraine within its internationally recognised borders, Crimea included.
constexpr LatLon kUkraine[] = {
    {51.5, 23.6},  {51.75, 24.4}, {51.9, 25.5},   {51.5, 27.0},  {51.6, 28.5},  {51.5, 30.0},
    {51.3, 30.6},  {52.1, 31.3},  {52.37, 31.8},  {52.35, 34.1}, {51.8, 34.4},  {51.25, 35.2},
    {50.5, 35.6},  {50.4, 36.6},  {50.1, 38.0},   {49.95, 40.1}, {49.0, 40.1},  {48.3, 39.9},
    {47.85, 38.3}, {47.1, 38.2},  {46.6, 36.8},   {46.1, 35.2},  {45.45, 35.9}, {45.35, 36.7},
    {44.9, 35.6},  {44.35, 34.0}, {44.45, 33.35}, {45.4, 32.4},  {46.0, 32.8},  {46.5, 31.6},
    {46.3, 30.8},  {45.2, 29.7},  {45.4, 28.2},   {46.3, 28.95}, {46.5, 29.9},  {47.0, 29.9},
    {47.6, 29.3},  {48.45, 28.3}, {48.4, 26.65},  {47.9, 25.0},  {48.1, 22.9},  {48.4, 22.15},
    {49.1, 22.6},  {49.6, 22.7},  {50.3, 23.5},   {50.8, 24.1},
};

// The Baltic Sea with the Gulfs of Finland and Bothnia and the Sound, plus the
// Baltic states and Kaliningrad; St Petersburg, Helsinki, Stockholm,
// Copenhagen and Gdansk are in.
constexpr LatLon kBalticSea[] = {
    {54.5, 10.0}, {54.0, 11.0}, {53.9, 12.5}, {53.85, 14.5}, {54.0, 16.0}, {54.0, 19.0},
    {54.3, 22.8}, {54.0, 23.5}, {54.2, 25.5}, {54.7, 25.9},  {55.3, 26.7}, {55.7, 26.6},
    {56.1, 28.2}, {56.9, 27.8}, {57.5, 27.6}, {58.4, 27.6},  {59.0, 28.0}, {59.4, 28.1},
    {59.8, 30.6}, {60.1, 30.4}, {60.2, 29.0}, {60.4, 27.0},  {60.4, 25.0}, {60.5, 22.0},
    {60.8, 21.3}, {63.0, 21.5}, {65.0, 25.3}, {65.9, 24.5},  {65.7, 22.0}, {63.9, 20.1},
    {62.5, 17.6}, {61.0, 17.0}, {60.3, 18.3}, {59.4, 17.8},  {58.6, 16.8}, {57.3, 16.4},
    {56.2, 15.5}, {55.4, 14.2}, {55.5, 12.8}, {56.0, 12.6},  {56.1, 12.2}, {55.6, 11.0},
    {55.0, 10.0},
};

// The Black Sea and the Sea of Azov with their port cities (Novorossiysk,
// Sochi, Batumi, Samsun, Trabzon, Varna, Burgas, Constanta).
constexpr LatLon kBlackSea[] = {
    {41.2, 29.0},  {41.0, 30.5}, {41.15, 31.5}, {41.5, 32.5},   {41.9, 34.0},  {41.95, 35.2},
    {41.25, 36.3}, {41.2, 37.5}, {40.95, 39.0}, {40.95, 40.5},  {41.5, 41.75}, {42.2, 41.8},
    {43.0, 41.1},  {43.6, 39.8}, {44.2, 38.9},  {44.75, 37.95}, {44.9, 37.25}, {45.2, 36.7},
    {46.0, 38.0},  {47.1, 39.3}, {47.3, 38.2},  {46.6, 35.3},   {46.2, 33.5},  {46.6, 31.0},
    {46.2, 30.2},  {45.3, 29.8}, {44.1, 28.55}, {43.2, 27.85},  {42.45, 27.4}, {41.95, 28.1},
};

// North of the Arctic Circle.
constexpr LatLon kArctic[] = {
    {66.5, -180.0},
    {90.0, -180.0},
    {90.0, 180.0},
    {66.5, 180.0},
};

// The Mediterranean with the Adriatic and the Aegean and their islands
// (Sicily, Sardinia, Corsica, Crete, Cyprus, Malta, the Balearics). The
// European shore is traced just offshore (so Barcelona, Marseille, Rome,
// Athens stay in `europe`); the African and Levantine shores take in their
// ports (Tartus, Latakia, Beirut, Haifa, Alexandria, Benghazi, Tripoli).
constexpr LatLon kMediterranean[] = {
    {36.0, -5.6}, {36.55, -4.3}, {36.6, -2.2}, {37.5, -0.6}, {39.3, -0.1},  {40.5, 0.8},
    {41.2, 2.3},  {41.8, 3.3},   {42.3, 3.4},  {43.2, 3.8},  {43.15, 5.3},  {42.95, 6.0},
    {43.55, 7.3}, {44.2, 8.9},   {43.5, 10.1}, {42.4, 11.0}, {41.6, 12.1},  {40.6, 14.0},
    {40.0, 15.3}, {38.9, 15.9},  {38.0, 15.6}, {37.9, 16.1}, {38.4, 16.6},  {39.0, 17.2},
    {40.3, 17.0}, {39.8, 18.4},  {41.2, 16.9}, {42.0, 15.0}, {43.7, 13.55}, {45.3, 12.5},
    {45.6, 13.6}, {44.9, 13.6},  {44.0, 15.0}, {43.4, 16.2}, {42.6, 18.0},  {42.0, 19.0},
    {41.2, 19.4}, {40.4, 19.3},  {39.6, 19.8}, {38.5, 20.5}, {37.5, 21.3},  {36.7, 21.6},
    {36.3, 22.5}, {37.2, 23.2},  {37.8, 23.5}, {38.3, 24.3}, {39.2, 23.4},  {40.4, 22.9},
    {40.2, 24.0}, {40.85, 24.4}, {40.8, 26.0}, {40.0, 26.2}, {39.5, 26.5},  {38.5, 27.0},
    {37.0, 27.4}, {36.6, 28.2},  {36.2, 29.6}, {37.0, 30.8}, {36.1, 32.8},  {36.9, 34.7},
    {36.7, 36.3}, {35.5, 35.9},  {34.9, 36.0}, {34.4, 35.9}, {33.9, 35.6},  {32.8, 35.1},
    {32.1, 34.9}, {31.5, 34.55}, {31.0, 33.8}, {31.1, 32.3}, {31.0, 29.9},  {31.2, 27.2},
    {31.9, 24.0}, {32.6, 22.6},  {32.0, 20.1}, {30.2, 19.4}, {30.3, 18.0},  {31.0, 16.6},
    {32.3, 15.1}, {32.75, 13.2}, {33.1, 11.2}, {33.8, 10.0}, {34.7, 10.6},  {35.8, 10.5},
    {36.8, 10.0}, {37.2, 9.8},   {36.8, 7.7},  {36.65, 3.0}, {35.6, -0.6},  {35.1, -2.9},
    {35.5, -5.4},
};

// Mainland Europe to the Urals, the Ural river and the Caucasus crest, and
// European Russia; the Atlantic and North Sea coasts are traced just offshore.
constexpr LatLon kEuropeMainland[] = {
    {36.9, -9.0},   {38.7, -9.6}, {41.0, -8.8},  {42.9, -9.4}, {43.8, -7.8},   {43.7, -5.6},
    {43.6, -3.8},   {43.5, -1.8}, {44.6, -1.4},  {46.2, -1.4}, {47.2, -2.4},   {47.6, -3.5},
    {47.9, -4.6},   {48.4, -4.9}, {48.8, -3.5},  {48.7, -1.9}, {49.75, -1.95}, {49.5, 0.0},
    {50.0, 1.4},    {51.1, 2.0},  {51.5, 3.3},   {52.1, 4.15}, {52.9, 4.6},    {53.5, 5.5},
    {53.6, 7.0},    {53.95, 8.5}, {55.0, 8.3},   {56.5, 8.0},  {57.1, 8.6},    {57.75, 10.7},
    {57.7, 11.6},   {58.9, 11.0}, {58.0, 8.0},   {57.9, 7.0},  {58.9, 5.4},    {60.4, 4.9},
    {62.0, 4.9},    {62.6, 5.9},  {63.5, 8.3},   {64.5, 10.5}, {65.5, 11.8},   {66.5, 12.5},
    {66.5, 60.0},   {61.0, 59.5}, {56.0, 59.0},  {51.5, 58.5}, {51.0, 55.0},   {51.2, 51.0},
    {47.1, 51.9},   {45.5, 48.5}, {43.0, 47.5},  {41.9, 48.3}, {42.5, 45.5},   {42.7, 44.5},
    {43.35, 42.45}, {43.4, 39.9}, {41.25, 29.1}, {40.0, 26.1}, {35.0, 26.2},   {34.8, 23.0},
    {36.3, 14.8},   {37.5, 11.3}, {38.6, 8.4},   {37.2, 0.0},  {36.0, -5.4},
};

// Great Britain and Ireland with the Irish Sea.
constexpr LatLon kEuropeBritishIsles[] = {
    {50.0, -5.8}, {50.6, -1.2},  {50.9, 1.5},  {51.4, 1.6},   {52.9, 1.9},   {53.6, 0.3},
    {55.0, -1.3}, {56.0, -2.4},  {57.7, -1.7}, {58.7, -2.9},  {58.7, -5.1},  {58.5, -7.0},
    {57.0, -7.6}, {55.45, -7.5}, {54.6, -8.8}, {54.3, -10.2}, {53.3, -10.3}, {52.0, -10.5},
    {51.4, -9.9}, {51.6, -8.0},  {52.1, -6.3}, {53.35, -6.0}, {54.6, -5.4},  {52.8, -4.8},
    {51.7, -5.3}, {51.0, -4.5},
};

// The North Atlantic north of the Tropic of Cancer (the NATO treaty area's
// southern limit) and south of the Arctic Circle, with the North Sea,
// Iceland, the Faroes, the Azores, Madeira, the Canaries and Bermuda. The
// American coast is traced just offshore.
constexpr LatLon kNorthAtlantic[] = {
    {23.5, -75.0}, {26.5, -79.6}, {29.0, -80.5}, {31.0, -80.8}, {32.5, -79.8}, {34.5, -76.5},
    {35.3, -75.3}, {36.9, -75.8}, {38.5, -74.8}, {39.5, -74.0}, {40.4, -73.7}, {41.0, -71.8},
    {41.2, -70.0}, {43.0, -70.2}, {44.2, -68.5}, {44.5, -66.9}, {43.5, -65.7}, {44.6, -63.3},
    {45.3, -60.9}, {46.0, -59.7}, {46.6, -52.6}, {47.6, -52.5}, {49.5, -53.4}, {51.5, -55.4},
    {53.5, -55.7}, {55.0, -58.5}, {58.0, -61.5}, {60.5, -64.5}, {66.5, -61.0}, {66.5, 14.0},
    {62.0, 7.0},   {58.5, 7.0},   {57.8, 10.7},  {55.0, 9.0},   {53.5, 9.0},   {52.5, 5.0},
    {51.0, 3.0},   {50.5, 1.8},   {49.5, 0.5},   {48.8, -1.5},  {48.0, -3.0},  {47.0, -1.8},
    {45.0, -0.8},  {43.3, -1.5},  {43.3, -3.0},  {42.0, -8.3},  {37.0, -8.5},  {36.1, -5.6},
    {35.8, -6.1},  {34.1, -7.0},  {33.3, -8.6},  {31.5, -9.9},  {29.5, -10.3}, {27.5, -13.4},
    {23.5, -16.3},
};

// The Indian Ocean from southern Africa to western Australia with the Gulf of
// Aden, the Arabian Sea to the Gulf of Oman, the Bay of Bengal, the Andaman
// Sea, the Strait of Malacca and the Timor Sea; Sri Lanka, the Maldives,
// Diego Garcia and the port cities on its shores are in.
constexpr LatLon kIndianOcean[] = {
    {-60.0, 20.0},  {-34.8, 20.0},  {-34.1, 25.6},  {-33.0, 27.9},  {-29.8, 30.9},  {-25.9, 32.4},
    {-19.8, 34.7},  {-15.0, 40.5},  {-10.5, 40.3},  {-6.8, 39.1},   {-4.0, 39.5},   {2.0, 45.2},
    {5.0, 47.8},    {10.4, 50.9},   {11.8, 51.2},   {11.3, 49.0},   {10.3, 45.0},   {11.5, 43.0},
    {12.6, 43.3},   {12.9, 45.0},   {14.6, 49.0},   {17.1, 54.0},   {20.0, 57.7},   {22.5, 59.8},
    {23.5, 58.4},   {25.1, 56.2},   {26.2, 56.5},   {25.6, 57.8},   {25.4, 60.6},   {25.2, 62.3},
    {24.9, 67.1},   {23.0, 68.5},   {21.0, 72.7},   {19.1, 73.0},   {15.4, 73.9},   {12.9, 74.85},
    {8.1, 77.5},    {9.3, 79.3},    {13.1, 80.2},   {16.0, 81.2},   {17.7, 83.1},   {20.3, 86.5},
    {21.7, 88.0},   {22.0, 90.0},   {22.4, 91.95},  {20.2, 92.8},   {16.5, 94.3},   {16.9, 96.1},
    {16.3, 97.6},   {12.5, 98.6},   {9.0, 98.3},    {7.9, 98.45},   {6.5, 100.0},   {5.4, 100.4},
    {3.0, 101.5},   {2.2, 102.3},   {1.3, 103.5},   {1.0, 103.1},   {1.7, 101.4},   {3.8, 98.6},
    {5.2, 97.1},    {5.6, 95.3},    {3.0, 96.3},    {0.0, 98.8},    {-0.9, 100.2},  {-3.8, 102.1},
    {-5.9, 104.5},  {-6.9, 106.5},  {-7.8, 110.0},  {-8.4, 114.0},  {-8.8, 115.1},  {-9.0, 119.0},
    {-10.4, 123.4}, {-9.2, 126.0},  {-12.4, 130.8}, {-14.5, 129.0}, {-17.0, 122.3}, {-20.3, 118.6},
    {-22.0, 113.9}, {-31.9, 116.0}, {-34.5, 115.0}, {-35.0, 118.0}, {-60.0, 118.0},
};

// The western Pacific from the Arafura Sea to the Bering Sea's southern edge:
// Japan's islands (beyond its marginal seas), the Kurils, Kamchatka's
// Pacific coast, the Philippines outside the South China Sea, Guam, Palau and
// the island chains to the date line.
constexpr LatLon kWesternPacific[] = {
    {-12.0, 132.0}, {-12.0, 180.0}, {60.0, 180.0}, {60.0, 166.0}, {56.0, 161.0}, {51.0, 156.3},
    {45.5, 148.0},  {43.8, 145.3},  {45.6, 142.0}, {43.0, 139.3}, {40.0, 139.5}, {37.0, 136.4},
    {35.5, 132.5},  {34.0, 130.3},  {33.6, 129.6}, {31.0, 129.5}, {28.0, 128.3}, {24.0, 122.5},
    {21.8, 121.3},  {18.5, 120.5},  {14.0, 120.0}, {10.0, 118.3}, {7.0, 116.3},  {5.0, 116.5},
    {4.0, 117.5},   {1.0, 119.0},   {-3.0, 119.0}, {-5.5, 122.5}, {-8.5, 122.0}, {-8.5, 125.5},
    {-9.5, 130.0},
};

constexpr std::array kShapes = {
    Shape{"taiwan_strait", kTaiwanStrait},
    Shape{"korean_peninsula", kKoreanPeninsula},
    Shape{"yellow_sea", kYellowSea},
    Shape{"sea_of_japan", kSeaOfJapan},
    Shape{"east_china_sea", kEastChinaSea},
    Shape{"south_china_sea", kSouthChinaSea},
    Shape{"ukraine", kUkraine},
    Shape{"baltic_sea", kBalticSea},
    Shape{"black_sea", kBlackSea},
    Shape{"arctic", kArctic},
    Shape{"mediterranean", kMediterranean},
    Shape{"europe", kEuropeMainland},
    Shape{"europe", kEuropeBritishIsles},
    Shape{"north_atlantic", kNorthAtlantic},
    Shape{"indian_ocean", kIndianOcean},
    Shape{"western_pacific", kWesternPacific},
};

struct Box {
  double lat_min, lat_max, lon_min, lon_max;
};

Box bounds(std::span<const LatLon> v) {
  Box b{90, -90, 180, -180};
  for (const LatLon& p : v) {
    b.lat_min = std::min(b.lat_min, p.lat);
    b.lat_max = std::max(b.lat_max, p.lat);
    b.lon_min = std::min(b.lon_min, p.lon);
    b.lon_max = std::max(b.lon_max, p.lon);
  }
  return b;
}

const std::array<Box, kShapes.size()>& boxes() {
  static const std::array<Box, kShapes.size()> all = [] {
    std::array<Box, kShapes.size()> b{};
    for (std::size_t i = 0; i < kShapes.size(); ++i) b[i] = bounds(kShapes[i].vertices);
    return b;
  }();
  return all;
}

// Even-odd ray casting, longitude as x and latitude as y.
bool contains(std::span<const LatLon> v, double lat, double lon) {
  bool inside = false;
  for (std::size_t i = 0, j = v.size() - 1; i < v.size(); j = i++) {
    const LatLon& a = v[i];
    const LatLon& b = v[j];
    if ((a.lat > lat) != (b.lat > lat)) {
      const double x = a.lon + (lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
      if (lon < x) inside = !inside;
    }
  }
  return inside;
}

}  // namespace

std::string_view region_at(double lat, double lon) {
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 ||
      lon > 180) {
    return {};
  }
  const auto& box = boxes();
  for (std::size_t i = 0; i < kShapes.size(); ++i) {
    const Box& b = box[i];
    if (lat < b.lat_min || lat > b.lat_max || lon < b.lon_min || lon > b.lon_max) continue;
    if (contains(kShapes[i].vertices, lat, lon)) return kShapes[i].region;
  }
  return {};
}

std::span<const Shape> shapes() { return kShapes; }

}  // namespace flashpoint::adapters::regions
