// Offset-to-location mapping for TOML string values.
#include "bind/text_map.hpp"

namespace flashpoint::bind {
namespace {

// Byte offset of (line, col) in text, or npos.
std::size_t offset_of(std::string_view text, std::uint32_t line, std::uint32_t col,
                      const LineIndex* lines) {
  std::size_t off = 0;
  if (lines != nullptr) {
    off = lines->line_start(line);
    if (off == std::string_view::npos) return off;
  } else {
    for (std::uint32_t l = 1; l < line; ++l) {
      off = text.find('\n', off);
      if (off == std::string_view::npos) return off;
      ++off;
    }
  }
  // toml++ columns count UTF-8 code points; our rule files are mostly ASCII.
  std::size_t cur = 1;
  while (cur < col && off < text.size() && text[off] != '\n') {
    const auto c = static_cast<unsigned char>(text[off]);
    ++off;
    while (off < text.size() && (static_cast<unsigned char>(text[off]) & 0xC0U) == 0x80U) ++off;
    (void)c;
    ++cur;
  }
  return off;
}

std::size_t utf8_len_of_codepoint(std::uint32_t cp) {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  for (std::size_t at = text.find('\n'); at != std::string_view::npos;
       at = text.find('\n', at + 1)) {
    starts_.push_back(at + 1);
  }
}

std::size_t LineIndex::line_start(std::uint32_t line) const {
  if (line == 0 || line > starts_.size()) return std::string_view::npos;
  return starts_[line - 1];
}

TextMap::TextMap(std::string file, std::string_view text, std::uint32_t line, std::uint32_t col,
                 std::string_view decoded, const LineIndex* lines)
    : file_(std::move(file)), line_(line), col_(col) {
  std::size_t i = offset_of(text, line, col, lines);
  if (i == std::string_view::npos || i >= text.size()) return;
  const char q = text[i];
  if (q != '"' && q != '\'') return;
  const bool multi = text.substr(i, 3) == std::string_view(q == '"' ? "\"\"\"" : "'''");
  const bool basic = q == '"';
  std::uint32_t l = line;
  std::uint32_t c = col;
  auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < text.size(); ++k, ++i) {
      if (text[i] == '\n') {
        ++l;
        c = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
        ++c;
      }
    }
  };
  advance(multi ? 3 : 1);
  if (multi) {
    if (text.substr(i, 1) == "\n")
      advance(1);
    else if (text.substr(i, 2) == "\r\n")
      advance(2);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pos;
  pos.reserve(decoded.size());
  while (i < text.size() && pos.size() < decoded.size()) {
    const char ch = text[i];
    if (basic && ch == '\\' && i + 1 < text.size()) {
      const char e = text[i + 1];
      if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
        // Line-ending backslash: trims the newline and following whitespace.
        advance(1);
        while (i < text.size() &&
               (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
          advance(1);
        }
        continue;
      }
      const auto here = std::make_pair(l, c);
      std::size_t produced = 1;
      std::size_t consumed = 2;
      if (e == 'u' || e == 'U') {
        const std::size_t digits = e == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        for (std::size_t k = 0; k < digits && i + 2 + k < text.size(); ++k) {
          const char h = text[i + 2 + k];
          cp = cp * 16 + static_cast<std::uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        produced = utf8_len_of_codepoint(cp);
        consumed = 2 + digits;
      }
      for (std::size_t k = 0; k < produced; ++k) pos.push_back(here);
      advance(consumed);
      continue;
    }
    pos.emplace_back(l, c);
    advance(1);
  }
  if (pos.size() == decoded.size()) pos_ = std::move(pos);
}

TextMap TextMap::plain(std::string name, std::string_view text) {
  TextMap m;
  m.file_ = std::move(name);
  m.line_ = 1;
  m.col_ = 1;
  std::uint32_t l = 1;
  std::uint32_t c = 1;
  for (char ch : text) {
    m.pos_.emplace_back(l, c);
    if (ch == '\n') {
      ++l;
      c = 1;
    } else {
      ++c;
    }
  }
  return m;
}

SourceLoc TextMap::at(std::uint32_t offset) const {
  if (pos_.empty()) return start();
  if (offset >= pos_.size()) {
    // Just past the end: one column after the last character.
    const auto& last = pos_.back();
    return {file_, last.first, last.second + 1};
  }
  return {file_, pos_[offset].first, pos_[offset].second};
}

}  // namespace flashpoint::bind
