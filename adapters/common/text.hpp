// Text helpers shared by the feed decoders: number and date parsing without
// locales or exceptions, field splitting, UTF-8 repair, Latin-1 conversion,
// name folding for table lookups, and typed `attrs` setters.
//
// Thread-safety: pure functions (the setters touch only the Event passed
// in); callable from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "flashpoint/engine/event.hpp"
#include "flashpoint/engine/time.hpp"

namespace flashpoint::adapters::text {

// Whole-string integer: optional '-', then 1-18 digits.
std::optional<std::int64_t> parse_int(std::string_view s);
// Whole-string finite decimal number (`40`, `-4`, `24.4686`, `1e3`).
std::optional<double> parse_number(std::string_view s);
bool all_digits(std::string_view s);

std::string_view trim(std::string_view s);

// Splits `s` at `delim` into `out` (at most out.size() fields are stored) and
// returns the number of fields in `s`.
std::size_t split(std::string_view s, char delim, std::span<std::string_view> out);

struct Ymd {
  int y = 0;
  int m = 0;
  int d = 0;
};
bool valid_ymd(const Ymd& date);
TimeUs midnight_utc(const Ymd& date);
// `YYYYMMDD`, a real calendar date.
std::optional<Ymd> parse_yyyymmdd(std::string_view s);
// Renders `YYYYMMDD` or `YYYYMMDDHHMMSS` (validated) as RFC 3339 into `out`;
// false when the digits are not a valid date-time.
bool compact_to_rfc3339(std::string_view s, std::string& out);

// True when `s` is valid UTF-8.
bool valid_utf8(std::string_view s);
// Appends `s` with every invalid UTF-8 sequence replaced by U+FFFD.
void append_repaired_utf8(std::string_view s, std::string& out);
// Appends ISO-8859-1 bytes converted to UTF-8.
void append_latin1_as_utf8(std::string_view s, std::string& out);

// Lower-case ASCII key for name tables: Latin-1 letters folded to their base
// letter (ü -> u, ô -> o, in UTF-8), every run of other characters turned
// into one space, and no leading or trailing space.
void fold_name(std::string_view s, std::string& out);

// Appends `s` quoted for a one-line reason: control bytes escaped, text past
// `max` bytes cut (on a UTF-8 boundary) and marked with "...".
void append_snippet(std::string& out, std::string_view s, std::size_t max = 40);

bool istarts_with(std::string_view s, std::string_view prefix);
// True when `needle` (lower-case ASCII) occurs in `hay` ignoring ASCII case.
bool icontains(std::string_view hay, std::string_view needle);

inline constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
std::uint64_t fnv1a64(std::string_view s, std::uint64_t h = kFnvOffset);

// Typed `attrs` setters.
void set_attr(Event& e, std::string_view name, std::string_view value);
void set_attr_num(Event& e, std::string_view name, double value);
void set_attr_bool(Event& e, std::string_view name, bool value);
std::vector<std::string>& set_attr_list(Event& e, std::string_view name);

}  // namespace flashpoint::adapters::text
