// JSON text output shared by every part that writes JSON: events (the
// engine's alert events, the adapters' rendering of CSV rows), the CLI's
// and the HTTP API's alert objects.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace flashpoint {

// Appends `s` as a JSON string, with the quotes. Escapes '"', '\\' and the
// control characters (\n, \t... or \u00XX); valid UTF-8 is copied as is and
// each byte of an invalid sequence becomes \ufffd, so the output is always
// valid JSON in valid UTF-8. Runs of plain ASCII are skipped eight bytes at
// a time.
void append_json_string(std::string& out, std::string_view s);

// Appends a number: integers up to 2^53 without a fraction, others in the
// shortest form that reads back exactly; NaN and infinities as null.
void append_json_number(std::string& out, double v);

}  // namespace flashpoint
