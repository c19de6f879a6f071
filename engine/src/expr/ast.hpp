// The parsed (unbound) expression tree of a rule condition.
//
// Produced by the parser from a `when` string; names are not yet resolved and
// nothing is typed. Every node keeps the byte offset of its first character
// in the source text, so later stages can point diagnostics at it.
// Engine-internal; plain values.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace flashpoint::expr {

enum class CmpOp : std::uint8_t {
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  contains,
  any_in,
  all_in,
  matches,
  startswith,
  endswith
};
std::string_view to_string(CmpOp op);

struct Node {
  enum class Kind : std::uint8_t {
    or_,
    and_,
    not_,
    compare,
    call,    // name(args)
    name,    // a dotted path, a list name or a macro name
    string,  // literal
    number,
    boolean,
    list,  // [a, b, ...] of literals
  };
  Kind kind;
  std::uint32_t offset = 0;  // byte offset in the source text
  CmpOp op = CmpOp::eq;      // compare
  std::string text;          // name / string literal / call name
  double number = 0;
  bool boolean = false;
  std::vector<std::unique_ptr<Node>> kids;
  std::uint32_t op_offset = 0;  // compare: offset of the operator
};
using NodePtr = std::unique_ptr<Node>;

}  // namespace flashpoint::expr
