// Recursive-descent parser for rule conditions.
//
// Grammar (loosest first; keywords are lower-case words):
//
//   expr     := or_expr
//   or_expr  := and_expr ("or" and_expr)*
//   and_expr := not_expr ("and" not_expr)*
//   not_expr := "not" not_expr | cmp
//   cmp      := operand [cmp_op operand]
//   cmp_op   := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in"
//             | "contains" | "any_in" | "all_in" | "matches"
//             | "startswith" | "endswith"
//   operand  := STRING | NUMBER | "true" | "false" | list | call | path
//             | "(" expr ")"
//   list     := "[" [literal ("," literal)* [","]] "]"
//   call     := IDENT "(" [expr ("," expr)*] ")"
//   path     := IDENT ("." IDENT)*
//
// Strings are double- or single-quoted with backslash escapes. Nesting is
// limited to kMaxDepth levels. Errors carry the byte offset of the token at
// fault. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "expr/ast.hpp"

namespace flashpoint::expr {

inline constexpr int kMaxDepth = 64;

struct ParseError {
  std::uint32_t offset = 0;
  std::string message;
};

// Parses `text`; on failure returns nullptr and fills `error`.
NodePtr parse(std::string_view text, ParseError& error);

// Words reserved by the grammar (for "did you mean" on operators).
const std::vector<std::string_view>& operator_words();

}  // namespace flashpoint::expr
