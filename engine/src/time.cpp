// RFC 3339 timestamps and durations (see time.hpp).
#include "flashpoint/engine/time.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace flashpoint {
namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at text[pos..pos+n); false if any is not a digit.
constexpr bool read_digits(std::string_view text, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > text.size()) return false;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  out = v;
  return true;
}

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in seconds since the epoch.
constexpr std::int64_t kFirstSecond = -62167219200;
constexpr std::int64_t kLastSecond = 253402300799;

constexpr bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned days_in_month(std::int64_t y, unsigned m) {
  constexpr std::array<unsigned char, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29U : kDays[m - 1];
}

struct Civil {
  std::int64_t y;
  unsigned m;
  unsigned d;
};

// Inverse of days_from_civil (H. Hinnant's algorithm).
constexpr Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {m <= 2 ? y + 1 : y, m, d};
}

void put2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<TimeUs> parse_time(std::string_view text) {
  // YYYY-MM-DD
  unsigned year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (text.size() < 10 || !read_digits(text, 0, 4, year) || text[4] != '-' ||
      !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, day);
  if (text.size() == 10) return days * kDay;

  // [Tt ]HH:MM:SS
  const char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  if (!read_digits(text, 11, 2, hour) || text.size() < 19 || text[13] != ':' ||
      !read_digits(text, 14, 2, minute) || text[16] != ':' || !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (second == 60) second = 59;  // leap second: clamp, no leap-second table

  // [.fraction]: up to 9 digits, truncated to microseconds.
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos])) {
      if (pos - start < 6) micros = micros * 10 + (text[pos] - '0');
      ++pos;
    }
    const std::size_t n = pos - start;
    if (n == 0 || n > 9) return std::nullopt;
    for (std::size_t i = n; i < 6; ++i) micros *= 10;
  }

  // Z | z | (+|-)HH:MM
  if (pos >= text.size()) return std::nullopt;
  std::int64_t offset_s = 0;
  const char z = text[pos];
  if (z == 'Z' || z == 'z') {
    ++pos;
  } else if (z == '+' || z == '-') {
    unsigned oh = 0;
    unsigned om = 0;
    if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, om)) {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset_s = static_cast<std::int64_t>(oh) * 3600 + static_cast<std::int64_t>(om) * 60;
    if (z == '-') offset_s = -offset_s;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const std::int64_t secs = days * 86400 + static_cast<std::int64_t>(hour) * 3600 +
                            static_cast<std::int64_t>(minute) * 60 + second - offset_s;
  // An offset may carry the instant out of the four-digit years, which
  // format_time could not render back in this syntax.
  if (secs < kFirstSecond || secs > kLastSecond) return std::nullopt;
  return secs * kSecond + micros;
}

std::string format_time(TimeUs t) {
  std::int64_t days = t / kDay;
  std::int64_t rem = t % kDay;
  if (rem < 0) {
    rem += kDay;
    --days;
  }
  const Civil c = civil_from_days(days);
  const auto secs = static_cast<unsigned>(rem / kSecond);
  const auto micros = static_cast<unsigned>(rem % kSecond);

  std::string out;
  out.reserve(32);
  std::int64_t y = c.y;
  if (y < 0) {
    out.push_back('-');
    y = -y;
  }
  // At least four year digits.
  std::array<char, 20> ydigits{};
  std::size_t n = 0;
  do {
    ydigits[n++] = static_cast<char>('0' + y % 10);
    y /= 10;
  } while (y > 0);
  for (std::size_t i = n; i < 4; ++i) out.push_back('0');
  while (n > 0) out.push_back(ydigits[--n]);
  out.push_back('-');
  put2(out, c.m);
  out.push_back('-');
  put2(out, c.d);
  out.push_back('T');
  put2(out, secs / 3600);
  out.push_back(':');
  put2(out, secs / 60 % 60);
  out.push_back(':');
  put2(out, secs % 60);
  if (micros != 0) {
    out.push_back('.');
    unsigned div = 100000;
    for (int i = 0; i < 6; ++i) {
      out.push_back(static_cast<char>('0' + micros / div % 10));
      div /= 10;
    }
  }
  out.push_back('Z');
  return out;
}

std::optional<DurationUs> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  DurationUs unit = 0;
  switch (text.back()) {
    case 's':
      unit = kSecond;
      break;
    case 'm':
      unit = kMinute;
      break;
    case 'h':
      unit = kHour;
      break;
    case 'd':
      unit = kDay;
      break;
    case 'w':
      unit = kWeek;
      break;
    default:
      return std::nullopt;
  }
  constexpr DurationUs kMax = std::numeric_limits<DurationUs>::max();
  DurationUs count = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (!is_digit(c)) return std::nullopt;
    const int digit = c - '0';
    if (count > (kMax - digit) / 10) return std::nullopt;
    count = count * 10 + digit;
  }
  if (count > kMax / unit) return std::nullopt;
  return count * unit;
}

}  // namespace flashpoint
