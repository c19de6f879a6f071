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

constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes `v` (< 100) as two digits.
char* put2(char* p, std::uint64_t v) {
  p[0] = kPairs[2 * v];
  p[1] = kPairs[2 * v + 1];
  return p + 2;
}

// Writes `v` zero-padded to at least four digits.
char* put_year(char* p, std::uint64_t v) {
  if (v < 10000) return put2(put2(p, v / 100), v % 100);
  char tmp[24];
  int n = 0;
  for (; v != 0; v /= 10) tmp[n++] = static_cast<char>('0' + v % 10);
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
  p = put_year(p, static_cast<std::uint64_t>(year));
  *p++ = '-';
  p = put2(p, month);
  *p++ = '-';
  p = put2(p, day);
  *p++ = 'T';
  p = put2(p, secs / 3600);
  *p++ = ':';
  p = put2(p, secs / 60 % 60);
  *p++ = ':';
  p = put2(p, secs % 60);
  if (micros != 0) {
    *p++ = '.';
    p = put2(put2(put2(p, micros / 10000), micros / 100 % 100), micros % 100);
  }
  *p++ = 'Z';
  return {buf_, static_cast<std::size_t>(p - buf_)};
}

}  // namespace flashpoint::store::detail
