// TextMap and LineIndex: offsets inside a decoded TOML string map back to the
// file's line and column, the same with or without the per-file line index
// (the index replaced a rescan of the file per string, which was O(n^2)).
#include <catch2/catch.hpp>
#include <string>

#include "bind/text_map.hpp"

using flashpoint::bind::LineIndex;
using flashpoint::bind::TextMap;

TEST_CASE("LineIndex finds each line's first byte", "[parser]") {
  const LineIndex idx("ab\n\ncd\n");
  CHECK(idx.line_start(1) == 0);
  CHECK(idx.line_start(2) == 3);
  CHECK(idx.line_start(3) == 4);
  CHECK(idx.line_start(4) == 7);
  CHECK(idx.line_start(5) == std::string::npos);
  CHECK(idx.line_start(0) == std::string::npos);
}

TEST_CASE("TextMap gives the same places with and without a line index", "[parser]") {
  std::string file;
  for (int i = 0; i < 50; ++i) file += "[[rule]]\nid = \"r" + std::to_string(i) + "\"\n";
  file += "when = '''\nkind == \"x\" and\n  región == \"y\"'''\n";
  const std::string decoded = "kind == \"x\" and\n  región == \"y\"";
  const LineIndex idx(file);
  const TextMap with("f.toml", file, 101, 8, decoded, &idx);
  const TextMap without("f.toml", file, 101, 8, decoded);
  for (std::uint32_t off = 0; off < decoded.size(); ++off) {
    INFO("offset " << off);
    CHECK(with.at(off).line == without.at(off).line);
    CHECK(with.at(off).col == without.at(off).col);
  }
  CHECK(with.at(0).line == 102);
  CHECK(with.at(0).col == 1);
  CHECK(with.at(18).line == 103);  // the 'r' of région
  CHECK(with.at(18).col == 3);
}
