// The compiled form of a rule set, as the engine runs it: per rule the
// lowered conditions, operator specs and templates, plus the kind index.
// Built once by the loader; immutable afterwards. Engine-internal.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "exec/program.hpp"
#include "flashpoint/engine/rule_set.hpp"

namespace flashpoint::detail {

// A message or title template: literal text and {field} placeholders.
struct Template {
  struct Part {
    std::string text;  // literal text, or the placeholder path
    bool field = false;
    exec::Operand op;  // when field
  };
  std::vector<Part> parts;
};

struct StepSpec {
  std::string as;
  exec::Program when;
  DurationUs within = 0;  // from the previous step (unused for step 0)
};

struct ThresholdSpec {
  enum class Mode : std::uint8_t { count, distinct, sum };
  DurationUs within = 0;
  Mode mode = Mode::count;
  std::uint64_t count = 0;
  exec::Operand field;  // distinct / sum
  double min = 0;
};

struct AbsenceSpec {
  std::string as;
  exec::Program after;
  exec::Program expect;  // may refer to `as.field` (step 0)
  DurationUs within = 0;
};

struct TensionSpec {
  struct Side {
    std::string literal;  // a code, when not a field
    bool field = false;
    exec::Operand op;
  };
  Side a;
  Side b;
  double weight = 1.0;
};

struct CompiledRule {
  RuleInfo info;
  exec::Program when;              // stateless and threshold condition
  exec::Program aux;               // pools for operands of keys, templates, tension
  std::vector<exec::Operand> key;  // `key`, else the threshold's `by`
  Template title;
  Template message;
  DurationUs throttle = 0;
  std::optional<ThresholdSpec> threshold;
  std::vector<StepSpec> steps;  // sequences
  std::optional<AbsenceSpec> absence;
  std::optional<TensionSpec> tension;
  std::uint32_t scratch = 0;  // largest scratch_count among the programs
};

// One condition to test for an event of a given kind.
struct Sub {
  std::uint32_t rule = 0;
  // Which condition: 0 = `when` (stateless/threshold), or a step index for
  // sequences, or 0 = after / 1 = expect for absence.
  std::uint8_t cond = 0;
  // (rule, cond) order: the order conditions are tested in.
  friend auto operator<=>(const Sub&, const Sub&) = default;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The conditions of one kind (or of no kind in particular), split once more
// on the event's region and on its actors: a condition that needs the region
// to be one of a constant set, or one of the actors to be in one, is filed
// under each of those values, so an event meets only the conditions it
// could satisfy. Every list is in (rule, cond) order.
struct SubList {
  std::vector<Sub> rest;  // conditions not narrowed by region or actor
  std::unordered_map<std::string, std::vector<Sub>, StringHash, std::equal_to<>> by_region;
  std::unordered_map<std::string, std::vector<Sub>, StringHash, std::equal_to<>> by_actor;
  [[nodiscard]] bool empty() const { return rest.empty() && by_region.empty() && by_actor.empty(); }
};

struct KindIndex {
  std::unordered_map<std::string, SubList, StringHash, std::equal_to<>> by_kind;
  SubList any;  // conditions that cannot be narrowed by kind
  [[nodiscard]] const SubList* find(std::string_view kind) const {
    auto it = by_kind.find(kind);
    return it == by_kind.end() ? nullptr : &it->second;
  }
};

// The conditions of `list` that `ev` could satisfy, in (rule, cond) order
// and each once. Returns `rest` itself when nothing narrower applies,
// otherwise fills and returns `buf`.
const std::vector<Sub>& candidates(const SubList& list, const Event& ev, std::vector<Sub>& buf);

struct CompiledRules {
  std::vector<CompiledRule> rules;
  std::vector<RuleInfo> infos;  // rules[i].info, for RuleSet::rules()
  std::vector<std::string> files;
  KindIndex index;
  std::uint32_t max_scratch = 0;
};

// The kinds a condition can match, or nullopt when it cannot be narrowed.
std::optional<std::vector<std::string>> kinds_of(const exec::Program& p);
// The values a condition requires of a string field (as kinds_of does for
// `kind`), or nullopt when it does not constrain the field.
std::optional<std::vector<std::string>> values_of(const exec::Program& p, StrField field);
// The values of which a list field of the event must hold at least one for
// the condition to be true (`actors any_in [..]`, `actors contains ".."`), or
// nullopt when it does not constrain the field.
std::optional<std::vector<std::string>> any_values_of(const exec::Program& p, ListField field);
// Files condition `sub` (program `p`) under the narrowest of its region or
// actor constraints, or under `rest`.
void file_sub(SubList& list, Sub sub, const exec::Program& p);

}  // namespace flashpoint::detail
