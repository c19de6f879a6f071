// Event time: RFC 3339 timestamps and durations, as integers.
//
// All engine time is event time in microseconds since the Unix epoch (UTC).
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flashpoint {

using TimeUs = std::int64_t;  // microseconds since 1970-01-01T00:00:00Z
using DurationUs = std::int64_t;

inline constexpr DurationUs kSecond = 1'000'000;
inline constexpr DurationUs kMinute = 60 * kSecond;
inline constexpr DurationUs kHour = 60 * kMinute;
inline constexpr DurationUs kDay = 24 * kHour;
inline constexpr DurationUs kWeek = 7 * kDay;

// Parses RFC 3339: `2024-07-10T00:00:00Z`, `2024-07-10T09:30:00.25+09:00`
// (a space or lower-case t/z also accepted). A bare date `2024-07-10` is
// accepted as midnight UTC. Returns nullopt on anything else, including
// out-of-range fields.
std::optional<TimeUs> parse_time(std::string_view text);

// Formats as `YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` only when non-zero.
std::string format_time(TimeUs t);

// Parses a duration: an integer followed by s, m, h, d or w (`90s`, `30d`).
std::optional<DurationUs> parse_duration(std::string_view text);

// Days since the epoch for a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

}  // namespace flashpoint
