// The event model: one geopolitical event as the engine sees it (DESIGN §2).
//
// Every schema field has a fixed typed slot, so compiled rules address fields
// by index and evaluation never looks a name up. An Event is a reusable
// buffer: `clear()` keeps the capacity of its strings and vectors, so a parser
// that fills the same Event for every line allocates nothing once warm.
//
// Thread-safety: a plain value type; no internal synchronisation.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flashpoint/engine/time.hpp"

namespace flashpoint {

// String-valued schema fields.
enum class StrField : std::uint8_t {
  id,
  kind,
  source,
  initiator,
  target,
  supplier,
  recipient,
  end_user,
  item,
  host,
  speaker,
  topic,
  stance,
  action,
  region,
  country,
  rule,      // alert events: the rule that fired
  severity,  // alert events: its severity
  count_
};
inline constexpr std::size_t kStrFieldCount = static_cast<std::size_t>(StrField::count_);

// Number-valued schema fields.
enum class NumField : std::uint8_t { quantity, value_usd, lat, lon, confidence, count_ };
inline constexpr std::size_t kNumFieldCount = static_cast<std::size_t>(NumField::count_);

// Bool-valued schema fields.
enum class BoolField : std::uint8_t { direct, count_ };
inline constexpr std::size_t kBoolFieldCount = static_cast<std::size_t>(BoolField::count_);

// List-of-string schema fields.
enum class ListField : std::uint8_t { actors, tags, claims, count_ };
inline constexpr std::size_t kListFieldCount = static_cast<std::size_t>(ListField::count_);

// A value under `attrs`: typed when the event arrives.
struct AttrValue {
  enum class Type : std::uint8_t { string, number, boolean, list };
  Type type = Type::string;
  std::string str;
  double num = 0;
  bool boolean = false;
  std::vector<std::string> list;
};

struct Attr {
  std::string name;
  AttrValue value;
};

class Event {
 public:
  // Required fields. `time` is microseconds since the Unix epoch, UTC.
  TimeUs time = 0;

  [[nodiscard]] bool has(StrField f) const { return (str_mask_ >> idx(f)) & 1U; }
  [[nodiscard]] std::string_view str(StrField f) const { return strs_[idx(f)]; }
  void set(StrField f, std::string_view v) {
    strs_[idx(f)].assign(v);
    str_mask_ |= (1U << idx(f));
  }
  std::string& str_mut(StrField f) {
    str_mask_ |= (1U << idx(f));
    return strs_[idx(f)];
  }
  void unset(StrField f) { str_mask_ &= ~(1U << idx(f)); }

  [[nodiscard]] bool has(NumField f) const { return (num_mask_ >> idx(f)) & 1U; }
  [[nodiscard]] double num(NumField f) const { return nums_[idx(f)]; }
  void set(NumField f, double v) {
    nums_[idx(f)] = v;
    num_mask_ |= (1U << idx(f));
  }

  [[nodiscard]] bool has(BoolField f) const { return (bool_mask_ >> idx(f)) & 1U; }
  [[nodiscard]] bool boolean(BoolField f) const { return bools_[idx(f)]; }
  void set(BoolField f, bool v) {
    bools_[idx(f)] = v;
    bool_mask_ |= (1U << idx(f));
  }

  [[nodiscard]] bool has(ListField f) const { return (list_mask_ >> idx(f)) & 1U; }
  [[nodiscard]] const std::vector<std::string>& list(ListField f) const { return lists_[idx(f)]; }
  // Marks the list present (possibly empty) and returns it for filling.
  std::vector<std::string>& list_mut(ListField f) {
    list_mask_ |= (1U << idx(f));
    return lists_[idx(f)];
  }
  void push(ListField f, std::string_view v) { list_mut(f).emplace_back(v); }

  [[nodiscard]] std::span<const Attr> attrs() const { return {attrs_.data(), attr_count_}; }
  [[nodiscard]] const AttrValue* attr(std::string_view name) const {
    for (std::size_t i = 0; i < attr_count_; ++i) {
      if (attrs_[i].name == name) return &attrs_[i].value;
    }
    return nullptr;
  }
  // Appends (or replaces) an attribute; returns it for filling.
  AttrValue& attr_mut(std::string_view name);

  // The event's JSON text as received (or as rendered for engine-made
  // events). Stored as evidence when the event makes an alert fire.
  std::string raw;

  // Engine-made alert events carry their chain depth (0 for feed events).
  std::uint8_t depth = 0;
  // Index of the rule that made this alert event; -1 for feed events.
  std::int32_t origin_rule = -1;

  // Forgets every field but keeps the buffers' capacity.
  void clear();

  // Renders the event as compact JSON with schema keys (used for engine-made
  // events and `replay --dry-run`).
  [[nodiscard]] std::string to_json() const;

 private:
  template <typename E>
  static constexpr unsigned idx(E f) {
    return static_cast<unsigned>(f);
  }

  std::array<std::string, kStrFieldCount> strs_{};
  std::array<double, kNumFieldCount> nums_{};
  std::array<bool, kBoolFieldCount> bools_{};
  std::array<std::vector<std::string>, kListFieldCount> lists_{};
  std::vector<Attr> attrs_;
  std::size_t attr_count_ = 0;  // live entries in attrs_ (rest are spare)
  std::uint32_t str_mask_ = 0;
  std::uint32_t num_mask_ = 0;
  std::uint32_t bool_mask_ = 0;
  std::uint32_t list_mask_ = 0;
};

// Schema lookup: what a top-level field name denotes.
struct FieldInfo {
  enum class Type : std::uint8_t { string, number, boolean, list, time };
  Type type;
  std::uint8_t slot;  // index into the matching *Field enum (unused for time)
};
// Returns the schema field named `name`, or nullopt (attrs.* is not here).
std::optional<FieldInfo> lookup_field(std::string_view name);
// Every schema field name, for "did you mean" suggestions and docs.
const std::vector<std::string_view>& schema_field_names();
std::string_view field_name(StrField f);
std::string_view field_name(NumField f);
std::string_view field_name(BoolField f);
std::string_view field_name(ListField f);

}  // namespace flashpoint
