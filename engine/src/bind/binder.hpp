// The binder: resolves names in a parsed condition and type-checks it,
// emitting a lowered exec::Program.
//
// Names resolve in this order: macro, list, earlier sequence step
// (`alias.field`), schema field, `attrs.NAME`. Errors go to the Diagnostics
// with the file position of the offending token; binding goes on after an
// error so one load reports everything. Engine-internal; not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bind/text_map.hpp"
#include "exec/program.hpp"
#include "expr/ast.hpp"
#include "flashpoint/engine/diagnostic.hpp"

namespace flashpoint::bind {

struct MacroDef {
  std::string name;
  std::string text;
  TextMap map;
  expr::NodePtr ast;  // null when the macro failed to parse (already reported)
};

struct Scope {
  const std::map<std::string, std::shared_ptr<const exec::ConstList>>* lists = nullptr;
  const std::map<std::string, MacroDef>* macros = nullptr;
  std::vector<std::string> steps;  // aliases of earlier steps, in order
};

// Binds `ast` (parsed from text mapped by `map`) into a fresh Program.
// Returns false when any error was reported.
bool bind_condition(const expr::Node& ast, const TextMap& map, const Scope& scope,
                    exec::Program& out, Diagnostics& diags);

// Parses and binds a condition string. An empty string binds to `true`.
bool compile_condition(std::string_view text, const TextMap& map, const Scope& scope,
                       exec::Program& out, Diagnostics& diags);

// Resolves a field path (as used by `key`, `by`, templates and threshold
// fields) to an operand over the current event; nullopt (with a diagnostic
// at `loc`) when unknown.
std::optional<exec::Operand> resolve_path(std::string_view path, exec::Program& prog,
                                          const std::vector<std::string>& steps,
                                          const SourceLoc& loc, Diagnostics& diags,
                                          bool suggest = true);

}  // namespace flashpoint::bind
