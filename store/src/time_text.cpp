#include "time_text.hpp"

#include <cstdint>

namespace flashpoint::store::detail {
namespace {

// Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

// Writes `v` zero-padded to `width` digits (more when it needs more).
char* put_digits(char* p, std::uint64_t v, int width) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n < width) tmp[n++] = '0';
  while (n > 0) *p++ = tmp[--n];
  return p;
}

}  // namespace

std::string_view TimeText::format(TimeUs t) {
  std::int64_t days = t / kDay;
  std::int64_t rem = t % kDay;
  if (rem < 0) {
    rem += kDay;
    --days;
  }
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(days, year, month, day);
  const auto secs = static_cast<std::uint64_t>(rem / kSecond);
  const auto micros = static_cast<std::uint64_t>(rem % kSecond);

  char* p = buf_;
  if (year < 0) {
    *p++ = '-';
    year = -year;
  }
  p = put_digits(p, static_cast<std::uint64_t>(year), 4);
  *p++ = '-';
  p = put_digits(p, month, 2);
  *p++ = '-';
  p = put_digits(p, day, 2);
  *p++ = 'T';
  p = put_digits(p, secs / 3600, 2);
  *p++ = ':';
  p = put_digits(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, secs % 60, 2);
  if (micros != 0) {
    *p++ = '.';
    p = put_digits(p, micros, 6);
  }
  *p++ = 'Z';
  return {buf_, static_cast<std::size_t>(p - buf_)};
}

}  // namespace flashpoint::store::detail
