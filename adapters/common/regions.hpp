// Region codes of DESIGN §2 derived from coordinates.
//
// Each region is one or more coarse polygons (vertices every 50-300 km, in
// region_polygons.cpp). A point gets the first region in priority order whose
// polygon holds it: the seas and the two land theatres around them first
// (taiwan_strait, korean_peninsula, yellow_sea, sea_of_japan, east_china_sea,
// south_china_sea, ukraine, baltic_sea, black_sea, arctic, mediterranean),
// then the wide areas (europe, north_atlantic, indian_ocean, western_pacific).
// Sea polygons take in coastal port cities and islands of their sea; see
// docs/adapters.md for what each region covers.
//
// Thread-safety: pure functions over static data; callable from any thread.
#pragma once

#include <span>
#include <string_view>

namespace flashpoint::adapters::regions {

struct LatLon {
  double lat;
  double lon;
};

struct Shape {
  std::string_view region;  // region code
  std::span<const LatLon> vertices;
};

// The region code for a point, or an empty view when no polygon holds it (or
// the coordinates are out of range). The result points to static storage.
std::string_view region_at(double lat, double lon);

// Every polygon, in priority order.
std::span<const Shape> shapes();

}  // namespace flashpoint::adapters::regions
