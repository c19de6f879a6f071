// Unit tests: RFC 3339 parsing and formatting, durations, civil dates.
#include <catch2/catch.hpp>
#include <string>

#include "flashpoint/engine/time.hpp"

using flashpoint::days_from_civil;
using flashpoint::format_time;
using flashpoint::kDay;
using flashpoint::kHour;
using flashpoint::kMinute;
using flashpoint::kSecond;
using flashpoint::kWeek;
using flashpoint::parse_duration;
using flashpoint::parse_time;
using flashpoint::TimeUs;

namespace {
// 2024-07-10T00:00:00Z
constexpr TimeUs kJul10 = 1720569600LL * kSecond;
}  // namespace

TEST_CASE("days_from_civil matches known dates", "[time]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1970, 1, 2) == 1);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(2024, 7, 10) == 19914);
  CHECK(days_from_civil(1600, 1, 1) == -135140);
}

TEST_CASE("parse_time accepts RFC 3339 UTC timestamps", "[time]") {
  CHECK(parse_time("2024-07-10T00:00:00Z") == kJul10);
  CHECK(parse_time("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_time("2024-03-01T00:00:16Z") == 1709251216LL * kSecond);
  CHECK(parse_time("2024-07-10T23:59:59Z") == kJul10 + kDay - kSecond);
  CHECK(parse_time("1969-12-31T23:59:59Z") == -kSecond);
}

TEST_CASE("parse_time accepts lower case and space separators", "[time]") {
  CHECK(parse_time("2024-07-10t00:00:00z") == kJul10);
  CHECK(parse_time("2024-07-10 00:00:00Z") == kJul10);
  CHECK(parse_time("2024-07-10T00:00:00z") == kJul10);
}

TEST_CASE("parse_time accepts a bare date as midnight UTC", "[time]") {
  CHECK(parse_time("2024-07-10") == kJul10);
  CHECK(parse_time("1970-01-01") == 0);
}

TEST_CASE("parse_time applies offsets", "[time]") {
  CHECK(parse_time("2024-07-10T09:00:00+09:00") == kJul10);
  CHECK(parse_time("2024-07-09T18:30:00-05:30") == kJul10);
  CHECK(parse_time("2024-07-10T00:00:00+00:00") == kJul10);
  CHECK(parse_time("2024-07-10T00:00:00-00:00") == kJul10);
  CHECK(parse_time("2024-07-10T00:00:00+23:59") == kJul10 - 23 * kHour - 59 * kMinute);
}

TEST_CASE("parse_time keeps fractional seconds to the microsecond", "[time]") {
  CHECK(parse_time("2024-07-10T00:00:00.5Z") == kJul10 + 500000);
  CHECK(parse_time("2024-07-10T00:00:00.25Z") == kJul10 + 250000);
  CHECK(parse_time("2024-07-10T00:00:00.000001Z") == kJul10 + 1);
  CHECK(parse_time("2024-07-10T00:00:00.123456Z") == kJul10 + 123456);
  // Digits past the microsecond are truncated, not rounded.
  CHECK(parse_time("2024-07-10T00:00:00.1234569Z") == kJul10 + 123456);
  CHECK(parse_time("2024-07-10T00:00:00.999999999Z") == kJul10 + 999999);
  CHECK(parse_time("2024-07-10T09:30:00.25+09:00") == kJul10 + 30 * kMinute + 250000);
  CHECK(parse_time("1969-12-31T23:59:59.5Z") == -500000);
}

TEST_CASE("parse_time handles leap years", "[time]") {
  CHECK(parse_time("2024-02-29T00:00:00Z").has_value());
  CHECK(parse_time("2000-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_time("2023-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_time("1900-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_time("2024-02-30").has_value());
  CHECK(parse_time("2024-03-01") == *parse_time("2024-02-29") + kDay);
}

TEST_CASE("parse_time clamps a leap second to :59", "[time]") {
  CHECK(parse_time("2016-12-31T23:59:60Z") == parse_time("2016-12-31T23:59:59Z"));
  CHECK_FALSE(parse_time("2016-12-31T23:59:61Z").has_value());
}

TEST_CASE("parse_time rejects invalid fields", "[time]") {
  const char* bad[] = {
      "",
      "2024",
      "2024-07",
      "2024-13-01",
      "2024-00-10",
      "2024-07-00",
      "2024-07-32",
      "2024-04-31",
      "2024-07-10T24:00:00Z",
      "2024-07-10T23:60:00Z",
      "2024-07-10T00:00:00",              // no offset
      "2024-07-10T00:00Z",                // no seconds
      "2024-07-10T00:00:00.Z",            // empty fraction
      "2024-07-10T00:00:00.1234567890Z",  // more than 9 digits
      "2024-07-10T00:00:00+0900",
      "2024-07-10T00:00:00+09",
      "2024-07-10T00:00:00+24:00",
      "2024-07-10T00:00:00+09:60",
      "2024-07-10X00:00:00Z",
      "2024-07-10T00:00:00Zjunk",
      "2024-07-10T00:00:00Z ",
      " 2024-07-10T00:00:00Z",
      "2024/07/10",
      "24-07-10",
      "2024-7-10",
      "2024-07-10T0:00:00Z",
      "+024-07-10",
      "2024-07-1a",
      "2024-07-10T",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(parse_time(text).has_value());
  }
}

TEST_CASE("parse_time keeps results within four-digit years", "[time]") {
  CHECK(parse_time("0000-01-01") == days_from_civil(0, 1, 1) * kDay);
  CHECK(parse_time("0000-01-01T00:00:00-01:00").has_value());
  CHECK_FALSE(parse_time("0000-01-01T00:00:00+01:00").has_value());
  CHECK(parse_time("9999-12-31T23:59:59.999999Z").has_value());
  CHECK(parse_time("9999-12-31T23:59:59+01:00").has_value());
  CHECK_FALSE(parse_time("9999-12-31T23:59:59-00:01").has_value());
  for (const char* text : {"0000-01-01T00:00:00-01:00", "9999-12-31T23:59:59.999999Z"}) {
    INFO(text);
    CHECK(parse_time(format_time(*parse_time(text))) == parse_time(text));
  }
}

TEST_CASE("format_time renders UTC with optional microseconds", "[time]") {
  CHECK(format_time(kJul10) == "2024-07-10T00:00:00Z");
  CHECK(format_time(0) == "1970-01-01T00:00:00Z");
  CHECK(format_time(kJul10 + 250000) == "2024-07-10T00:00:00.250000Z");
  CHECK(format_time(kJul10 + 1) == "2024-07-10T00:00:00.000001Z");
  CHECK(format_time(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_time(-kDay) == "1969-12-31T00:00:00Z");
  CHECK(format_time(*parse_time("0001-01-01")) == "0001-01-01T00:00:00Z");
  CHECK(format_time(*parse_time("9999-12-31T23:59:59Z")) == "9999-12-31T23:59:59Z");
}

TEST_CASE("format_time and parse_time round trip", "[time]") {
  const TimeUs samples[] = {0,
                            1,
                            -1,
                            kJul10,
                            kJul10 + 123456,
                            *parse_time("2000-02-29T12:34:56.789Z"),
                            *parse_time("1900-03-01T00:00:00Z"),
                            *parse_time("2100-12-31T23:59:59.999999Z")};
  for (const TimeUs t : samples) {
    INFO(t);
    CHECK(parse_time(format_time(t)) == t);
  }
  // Every day over four years, at an odd time of day.
  for (TimeUs t = *parse_time("2023-01-01T01:02:03.000004Z"); t < *parse_time("2027-01-01");
       t += kDay) {
    REQUIRE(parse_time(format_time(t)) == t);
  }
}

TEST_CASE("parse_duration reads the five units", "[time]") {
  CHECK(parse_duration("90s") == 90 * kSecond);
  CHECK(parse_duration("15m") == 15 * kMinute);
  CHECK(parse_duration("12h") == 12 * kHour);
  CHECK(parse_duration("30d") == 30 * kDay);
  CHECK(parse_duration("2w") == 2 * kWeek);
  CHECK(parse_duration("0s") == 0);
  CHECK(parse_duration("007d") == 7 * kDay);
}

TEST_CASE("parse_duration rejects malformed text", "[time]") {
  const char* bad[] = {"",   "s",   "30",   "-5d", "+5d", "5 d", " 5d", "5d ",
                       "5x", "5ms", "1.5h", "d30", "5D",  "5dd", "1e3s"};
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(parse_duration(text).has_value());
  }
}

TEST_CASE("parse_duration rejects overflow", "[time]") {
  // int64 microseconds hold about 292,471 years.
  CHECK(parse_duration("15250284w") == 15250284LL * kWeek);
  CHECK_FALSE(parse_duration("15250285w").has_value());
  CHECK_FALSE(parse_duration("9223372036854775807s").has_value());
  CHECK_FALSE(parse_duration("99999999999999999999999s").has_value());
  CHECK(parse_duration("9223372036854s") == 9223372036854LL * kSecond);
  CHECK_FALSE(parse_duration("9223372036855s").has_value());
}
