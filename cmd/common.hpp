// Shared helpers of the `flashpoint` subcommands: exit codes, diagnostics
// output, rule loading and input reading. Used from the main thread only.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flashpoint/engine/diagnostic.hpp"
#include "flashpoint/engine/rule_set.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::cmd {

// Exit codes (DESIGN §4): 0 ok, 1 a finding, 2 usage or I/O error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFinding = 1;
inline constexpr int kExitUsage = 2;

// Prints diagnostics to stderr, rendered with source lines and carets.
void print_diagnostics(const Diagnostics& diags);

// Loads rules from files/folders; prints diagnostics; nullptr on errors.
std::shared_ptr<const RuleSet> load_rules(const std::vector<std::string>& paths);

// Reads a whole input ("-" is stdin) in chunks, calling `chunk` for each.
// Returns false (with `error` set) when the input cannot be read.
bool read_chunks(const std::string& path, std::size_t chunk_size,
                 const std::function<void(std::string_view)>& chunk, std::string& error);

// Reads the first bytes of a file (for format detection); "" for stdin.
std::string read_head(const std::string& path, std::size_t n);

// True when stderr is a terminal (progress bars).
bool stderr_is_tty();

// Parses `--since`: a duration back from `now` (`30d`) or an RFC 3339 time.
std::optional<TimeUs> parse_since(const std::string& text, TimeUs now);

// Sets one field of an alert filter from text, as `flashpoint alerts` and
// GET /alerts take it: since, until (durations back from `now` or times),
// severity, rule, status, claim, tag, actor, region. Returns "" when set,
// the problem when the value is bad ("severity is one of ..."), nullopt
// when `key` is none of these (the caller's own parameters).
std::optional<std::string> set_alert_filter(store::AlertFilter& filter, std::string_view key,
                                            const std::string& value, TimeUs now);

}  // namespace flashpoint::cmd
