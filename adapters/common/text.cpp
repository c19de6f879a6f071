// Text helpers shared by the feed decoders (see text.hpp).
#include "common/text.hpp"

#include <simdjson.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

namespace flashpoint::adapters::text {
namespace {

constexpr char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int digits_value(std::string_view s) {
  int v = 0;
  for (const char c : s) v = v * 10 + (c - '0');
  return v;
}

// Base letter of a Latin-1 code point U+00C0..U+00FF, or 0 when it has none.
char latin1_base(unsigned cp) {
  static constexpr char kBase[] =
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"   // U+00C0..U+00DF
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";  // U+00E0..U+00FF
  static_assert(sizeof(kBase) == 65);
  if (cp < 0xC0 || cp > 0xFF) return 0;
  return kBase[cp - 0xC0];
}

void append_utf8(unsigned cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80;
  unsigned hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < (k == 1 ? lo : 0x80U) || b > (k == 1 ? hi : 0xBFU)) return 0;
  }
  return n;
}

}  // namespace

std::optional<std::int64_t> parse_int(std::string_view s) {
  const std::size_t digits = (!s.empty() && s[0] == '-') ? s.size() - 1 : s.size();
  if (digits == 0 || digits > 18) return std::nullopt;
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  // Fast path for plain decimals of up to 15 digits (`-6.18181818181819`,
  // `24.4686`, `4`): the digits and the power of ten are exact doubles, so
  // one division rounds correctly.
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  std::uint64_t mantissa = 0;
  std::size_t digits = 0;
  std::size_t fraction = 0;
  bool point = false;
  bool plain = i < s.size();
  for (; i < s.size() && plain; ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
      fraction += point ? 1 : 0;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      plain = false;
    }
  }
  if (plain && digits > 0 && digits <= 15) {
    const double v = static_cast<double>(mantissa) / kPow10[fraction];
    return s[0] == '-' ? -v : v;
  }
  const char* first = s.data();
  if (*first == '+') ++first;
  double v = 0;
  const auto r = std::from_chars(first, s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t split(std::string_view s, char delim, std::span<std::string_view> out) {
  std::size_t n = 0;
  std::size_t start = 0;
  const char* data = s.data();
  const auto cut = [&](std::size_t pos) {
    if (n < out.size()) out[n] = std::string_view(data + start, pos - start);
    ++n;
    start = pos + 1;
  };
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    // Eight bytes at a time: an exact mask of the bytes equal to `delim`.
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    const std::uint64_t pattern = 0x0101010101010101ULL * static_cast<unsigned char>(delim);
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + i, 8);
      const std::uint64_t x = word ^ pattern;
      std::uint64_t hits = ~(((x & kLow7) + kLow7) | x | kLow7);
      while (hits != 0) {
        cut(i + static_cast<std::size_t>(std::countr_zero(hits) >> 3));
        hits &= hits - 1;
      }
    }
  }
  for (; i < s.size(); ++i) {
    if (data[i] == delim) cut(i);
  }
  if (n < out.size()) out[n] = std::string_view(data + start, s.size() - start);
  return n + 1;
}

bool valid_ymd(const Ymd& date) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (date.y < 1 || date.y > 9999 || date.m < 1 || date.m > 12 || date.d < 1) return false;
  const bool leap = (date.y % 4 == 0 && date.y % 100 != 0) || date.y % 400 == 0;
  const int days = kDays[date.m - 1] + (date.m == 2 && leap ? 1 : 0);
  return date.d <= days;
}

TimeUs midnight_utc(const Ymd& date) {
  return days_from_civil(date.y, static_cast<unsigned>(date.m), static_cast<unsigned>(date.d)) *
         kDay;
}

std::optional<Ymd> parse_yyyymmdd(std::string_view s) {
  if (s.size() != 8 || !all_digits(s)) return std::nullopt;
  const Ymd date{digits_value(s.substr(0, 4)), digits_value(s.substr(4, 2)),
                 digits_value(s.substr(6, 2))};
  if (!valid_ymd(date)) return std::nullopt;
  return date;
}

bool compact_to_rfc3339(std::string_view s, std::string& out) {
  if ((s.size() != 8 && s.size() != 14) || !all_digits(s)) return false;
  if (!parse_yyyymmdd(s.substr(0, 8))) return false;
  std::string_view hms = s.size() == 14 ? s.substr(8) : std::string_view("000000");
  if (digits_value(hms.substr(0, 2)) > 23 || digits_value(hms.substr(2, 2)) > 59 ||
      digits_value(hms.substr(4, 2)) > 60) {
    return false;
  }
  out.clear();
  out.append(s.substr(0, 4)).append("-").append(s.substr(4, 2)).append("-");
  out.append(s.substr(6, 2)).append("T").append(hms.substr(0, 2)).append(":");
  out.append(hms.substr(2, 2)).append(":").append(hms.substr(4, 2)).append("Z");
  return true;
}

bool valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

void append_repaired_utf8(std::string_view s, std::string& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
}

void append_latin1_as_utf8(std::string_view s, std::string& out) {
  for (const char c : s) append_utf8(static_cast<unsigned char>(c), out);
}

void fold_name(std::string_view s, std::string& out) {
  out.clear();
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    const auto b = static_cast<unsigned char>(c);
    if (b == 0xC3 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0U) == 0x80U) {
      c = latin1_base(0xC0U + (static_cast<unsigned char>(s[i + 1]) & 0x3FU));  // U+00C0..U+00FF
      ++i;
    } else if (b >= 0x80) {
      c = 0;
    }
    if (c != 0 && is_alnum(c)) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(lower(c));
    } else {
      space = true;
    }
  }
}

void append_snippet(std::string& out, std::string_view s, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool cut = s.size() > max;
  if (cut) {
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0U) == 0x80U) --n;
    s = s.substr(0, n);
  }
  out.push_back('\'');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out.push_back(kHex[u >> 4U]);
      out.push_back(kHex[u & 0xFU]);
    } else {
      out.push_back(c);
    }
  }
  if (cut) out += "...";
  out.push_back('\'');
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[i]) != lower(prefix[i])) return false;
  }
  return true;
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (istarts_with(hay.substr(i), needle)) return true;
  }
  return false;
}

std::uint64_t fnv1a64(std::string_view s, std::uint64_t h) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

void set_attr(Event& e, std::string_view name, std::string_view value) {
  AttrValue& a = e.attr_mut(name);
  a.type = AttrValue::Type::string;
  a.str.assign(value);
}

void set_attr_num(Event& e, std::string_view name, double value) {
  AttrValue& a = e.attr_mut(name);
  a.type = AttrValue::Type::number;
  a.num = value;
}

void set_attr_bool(Event& e, std::string_view name, bool value) {
  AttrValue& a = e.attr_mut(name);
  a.type = AttrValue::Type::boolean;
  a.boolean = value;
}

std::vector<std::string>& set_attr_list(Event& e, std::string_view name) {
  AttrValue& a = e.attr_mut(name);
  a.type = AttrValue::Type::list;
  a.list.clear();
  return a.list;
}

}  // namespace flashpoint::adapters::text
