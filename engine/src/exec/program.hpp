// A bound, lowered rule condition: a closed program over event slots.
//
// The binder turns a parsed expression into a Program: names become field
// slots, list names become constant sets, regexes are compiled once, and
// nodes live in one flat array. Evaluating a Program reads the event through
// slots and never allocates (lower() writes into per-program scratch
// buffers owned by the caller's EvalScratch). Immutable after building;
// evaluation is const and may run on any thread with its own scratch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <re2/re2.h>

#include "expr/ast.hpp"
#include "flashpoint/engine/event.hpp"

namespace flashpoint::exec {

// A constant list of strings. Entries may be dated (member only for events
// whose time falls in [from, until)).
class ConstList {
 public:
  void add(std::string value, TimeUs from, TimeUs until);
  void finalize();  // builds the lookup structure
  [[nodiscard]] bool contains(std::string_view v, TimeUs at) const;
  [[nodiscard]] std::size_t size() const { return values_.size(); }
  [[nodiscard]] const std::vector<std::string>& values() const { return values_; }
  [[nodiscard]] bool dated() const { return dated_; }
  [[nodiscard]] bool member_at(std::size_t i, TimeUs at) const {
    return !dated_ || (at >= from_[i] && at < until_[i]);
  }

 private:
  std::vector<std::string> values_;
  std::vector<TimeUs> from_;
  std::vector<TimeUs> until_;
  bool dated_ = false;
  // For larger undated lists: a hash set of views into values_.
  std::unordered_set<std::string_view> set_;
};

inline constexpr TimeUs kTimeMin = INT64_MIN;
inline constexpr TimeUs kTimeMax = INT64_MAX;

// Static types known at bind time. `dynamic` is a value under attrs.
enum class Type : std::uint8_t { boolean, string, number, time, list, dynamic };
std::string_view to_string(Type t);

// Where an operand's value comes from.
enum class Src : std::uint8_t {
  const_str,   // strs[idx]
  const_num,   // nums[idx]
  const_bool,  // idx != 0
  const_time,  // times[idx]
  const_list,  // lists[idx]
  field_str,   // event string slot
  field_num,
  field_bool,
  field_list,
  field_time,
  attr,      // attr_names[idx]
  fn_lower,  // lower(operands[idx]) into scratch[aux]
  fn_len,    // len(operands[idx])
};

struct Operand {
  Src src = Src::const_bool;
  std::uint8_t slot = 0;  // field slot
  std::int8_t step = -1;  // -1: the current event; k: sequence step k's event
  std::uint32_t idx = 0;  // pool index (see Src)
  std::uint32_t aux = 0;  // scratch slot for fn_lower
  Type type = Type::boolean;
};

struct Node {
  enum class Op : std::uint8_t {
    const_true,
    const_false,
    and_,
    or_,
    not_,
    compare,
    exists,
    truthy
  };
  Op op = Op::const_true;
  expr::CmpOp cmp = expr::CmpOp::eq;
  std::uint32_t first = 0;  // and/or/not: first index into Program::kids
  std::uint32_t count = 0;  // and/or/not: number of kids
  Operand a;                // compare / exists / truthy
  Operand b;                // compare
  std::uint32_t regex = 0;  // matches: index into regexes
};

// Per-evaluation context: the event and, for sequence steps, the events
// bound to earlier steps.
struct EvalContext {
  const Event* event = nullptr;
  const Event* const* steps = nullptr;  // steps[k] for k < n_steps
  std::size_t n_steps = 0;
  std::string* scratch = nullptr;  // Program::scratch_count buffers
};

struct Program {
  std::vector<Node> nodes;
  std::vector<std::uint32_t> kids;
  std::uint32_t root = 0;
  std::vector<std::string> strs;
  std::vector<double> nums;
  std::vector<TimeUs> times;
  std::vector<std::shared_ptr<const ConstList>> lists;
  std::vector<std::unique_ptr<re2::RE2>> regexes;
  std::vector<std::string> attr_names;
  std::vector<Operand> operands;
  std::uint32_t scratch_count = 0;

  // Conjuncts of the root (the root itself when it is no `and`) that read
  // only the current event, not earlier sequence steps: a prefilter to test
  // once per event before a condition is tested against many partial
  // matches. `event_only` is true when that is the whole condition. Filled
  // by find_event_only().
  std::vector<std::uint32_t> event_conjuncts;
  bool event_only = false;

  [[nodiscard]] bool eval(const EvalContext& ctx) const { return eval_node(root, ctx); }
  // False when some event-only conjunct fails for ctx's event (the steps of
  // ctx are not read); true otherwise.
  [[nodiscard]] bool prefilter(const EvalContext& ctx) const {
    for (auto i : event_conjuncts) {
      if (!eval_node(i, ctx)) return false;
    }
    return true;
  }
  void find_event_only();
  [[nodiscard]] bool eval_node(std::uint32_t i, const EvalContext& ctx) const;
  // True when the program is the constant `true` (e.g. an empty condition).
  [[nodiscard]] bool always_true() const { return nodes[root].op == Node::Op::const_true; }
};

// Appends the operand's value as text (lists joined by `list_sep`, times as
// RFC 3339); returns false (appending nothing) when the value is missing.
bool append_value(const Program& p, const Operand& o, const EvalContext& ctx, std::string& out,
                  std::string_view list_sep = ", ");
// The operand's numeric value, or nullopt when missing or not a number.
std::optional<double> number_value(const Program& p, const Operand& o, const EvalContext& ctx);
// The operand's string values: each element of a list, or the one string.
// Returns false when the value is missing or of another type.
bool string_values(const Program& p, const Operand& o, const EvalContext& ctx,
                   std::vector<std::string_view>& out);

}  // namespace flashpoint::exec
