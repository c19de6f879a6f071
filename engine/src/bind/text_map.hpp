// Maps byte offsets inside a decoded TOML string (a `when` condition, a
// macro) back to the file's line and column, so diagnostics point into the
// rule file even for multi-line and escaped strings. Engine-internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flashpoint/engine/diagnostic.hpp"

namespace flashpoint::bind {

// The byte offsets where a text's lines start, computed once per file, so
// that mapping each of a file's strings does not rescan the file from its
// top (which made loading n rules from one file O(n^2)).
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);
  // Offset of the 1-based `line`'s first byte, or npos when there is no
  // such line.
  [[nodiscard]] std::size_t line_start(std::uint32_t line) const;

 private:
  std::vector<std::size_t> starts_;
};

class TextMap {
 public:
  TextMap() = default;
  // `file_text` is the whole TOML file; (line, col) the 1-based position of
  // the string's opening quote; `decoded` is the string's value. When the
  // raw text cannot be matched to the value, every offset maps to the quote.
  // `lines`, when given, must index `file_text`.
  TextMap(std::string file, std::string_view file_text, std::uint32_t line, std::uint32_t col,
          std::string_view decoded, const LineIndex* lines = nullptr);
  // A map for text that does not come from a file (tests, inline events).
  static TextMap plain(std::string name, std::string_view text);

  [[nodiscard]] SourceLoc at(std::uint32_t offset) const;
  [[nodiscard]] SourceLoc start() const { return {file_, line_, col_}; }

 private:
  std::string file_;
  std::uint32_t line_ = 0;
  std::uint32_t col_ = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pos_;  // per decoded byte
};

}  // namespace flashpoint::bind
