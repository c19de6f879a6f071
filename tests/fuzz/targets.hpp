// Fuzz targets: one per parser. Each takes arbitrary bytes and must never
// crash, hang or leak, whatever it is given. Used by the libFuzzer mains in
// libfuzzer/ (clang, FP_FUZZ=ON) and by the corpus replay test under ctest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fpfuzz {

using Target = void (*)(const std::uint8_t* data, std::size_t size);

void expr(const std::uint8_t* data, std::size_t size);   // the condition parser + binder
void rules(const std::uint8_t* data, std::size_t size);  // the rule loader (TOML)
void jsonl(const std::uint8_t* data, std::size_t size);  // JSON Lines events
void gdelt(const std::uint8_t* data, std::size_t size);
void sipri(const std::uint8_t* data, std::size_t size);
void acled(const std::uint8_t* data, std::size_t size);
// The HTTP request path of `run` and `serve`: Beast's request parser with the
// server's limits, then the API's routing and parameter, query and body
// parsing (http_api.hpp), short of the database work.
void http(const std::uint8_t* data, std::size_t size);
// The engine state reader (Engine::restore_state) over a rule set with
// windows, a sequence, an absence and tension; a state that restores is run
// on and saved again.
void state(const std::uint8_t* data, std::size_t size);
// The rules `state` restores into (kept for the seed generator).
extern const char* const kStateRules;

struct Named {
  const char* name;
  Target fn;
};
const std::vector<Named>& all_targets();

}  // namespace fpfuzz
