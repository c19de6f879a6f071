// The event model (see event.hpp): reuse, schema lookup and JSON rendering.
#include "flashpoint/engine/event.hpp"

#include "flashpoint/engine/json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace flashpoint {
namespace {

using Type = FieldInfo::Type;

struct FieldEntry {
  std::string_view name;
  FieldInfo info;
};

constexpr FieldEntry str_entry(std::string_view name, StrField f) {
  return {name, {Type::string, static_cast<std::uint8_t>(f)}};
}
constexpr FieldEntry num_entry(std::string_view name, NumField f) {
  return {name, {Type::number, static_cast<std::uint8_t>(f)}};
}
constexpr FieldEntry bool_entry(std::string_view name, BoolField f) {
  return {name, {Type::boolean, static_cast<std::uint8_t>(f)}};
}
constexpr FieldEntry list_entry(std::string_view name, ListField f) {
  return {name, {Type::list, static_cast<std::uint8_t>(f)}};
}

// Every schema field, in schema (and to_json) order.
constexpr std::array kFields = {
    str_entry("id", StrField::id),
    FieldEntry{"time", {Type::time, 0}},
    str_entry("kind", StrField::kind),
    str_entry("source", StrField::source),
    list_entry("actors", ListField::actors),
    str_entry("initiator", StrField::initiator),
    str_entry("target", StrField::target),
    str_entry("supplier", StrField::supplier),
    str_entry("recipient", StrField::recipient),
    str_entry("end_user", StrField::end_user),
    bool_entry("direct", BoolField::direct),
    str_entry("item", StrField::item),
    num_entry("quantity", NumField::quantity),
    num_entry("value_usd", NumField::value_usd),
    str_entry("host", StrField::host),
    str_entry("speaker", StrField::speaker),
    str_entry("topic", StrField::topic),
    str_entry("stance", StrField::stance),
    str_entry("action", StrField::action),
    str_entry("region", StrField::region),
    str_entry("country", StrField::country),
    num_entry("lat", NumField::lat),
    num_entry("lon", NumField::lon),
    num_entry("confidence", NumField::confidence),
    list_entry("tags", ListField::tags),
    str_entry("rule", StrField::rule),
    str_entry("severity", StrField::severity),
    list_entry("claims", ListField::claims),
};

// Open-addressing hash of the field names (built at compile time), so a
// lookup is usually one probe and one short comparison.
constexpr std::size_t kHashSize = 128;
constexpr std::uint8_t kEmpty = 0xFF;

constexpr std::size_t name_hash(std::string_view name) {
  const auto first = static_cast<unsigned char>(name.front());
  const auto last = static_cast<unsigned char>(name.back());
  return (first * 7U + last * 3U + name.size()) & (kHashSize - 1);
}

constexpr std::array<std::uint8_t, kHashSize> make_hash_table() {
  std::array<std::uint8_t, kHashSize> table{};
  for (auto& t : table) t = kEmpty;
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    std::size_t h = name_hash(kFields[i].name);
    while (table[h] != kEmpty) h = (h + 1) & (kHashSize - 1);
    table[h] = static_cast<std::uint8_t>(i);
  }
  return table;
}
constexpr std::array<std::uint8_t, kHashSize> kHashTable = make_hash_table();

template <typename Word>
Word load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Name equality with a few word compares (overlapping loads, never past the
// end of either name).
bool same(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8 && n <= 16) {
    return load<std::uint64_t>(x) == load<std::uint64_t>(y) &&
           load<std::uint64_t>(x + n - 8) == load<std::uint64_t>(y + n - 8);
  }
  if (n >= 4 && n < 8) {
    return load<std::uint32_t>(x) == load<std::uint32_t>(y) &&
           load<std::uint32_t>(x + n - 4) == load<std::uint32_t>(y + n - 4);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

template <std::size_t N>
constexpr std::array<std::string_view, N> names_of(Type type) {
  std::array<std::string_view, N> names{};
  for (const auto& e : kFields) {
    if (e.info.type == type) names[e.info.slot] = e.name;
  }
  return names;
}
constexpr auto kStrNames = names_of<kStrFieldCount>(Type::string);
constexpr auto kNumNames = names_of<kNumFieldCount>(Type::number);
constexpr auto kBoolNames = names_of<kBoolFieldCount>(Type::boolean);
constexpr auto kListNames = names_of<kListFieldCount>(Type::list);

template <std::size_t N>
constexpr bool all_named(const std::array<std::string_view, N>& names) {
  for (const auto& n : names) {
    if (n.empty()) return false;
  }
  return true;
}
static_assert(all_named(kStrNames) && all_named(kNumNames) && all_named(kBoolNames) &&
                  all_named(kListNames),
              "every *Field enumerator needs an entry in kFields");

void append_json_list(std::string& out, const std::vector<std::string>& list) {
  out.push_back('[');
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, list[i]);
  }
  out.push_back(']');
}

void append_key(std::string& out, std::string_view key) {
  if (out.size() > 1) out.push_back(',');
  append_json_string(out, key);
  out.push_back(':');
}

}  // namespace

AttrValue& Event::attr_mut(std::string_view name) {
  Attr* slot = nullptr;
  for (std::size_t i = 0; i < attr_count_; ++i) {
    if (attrs_[i].name == name) {
      slot = &attrs_[i];
      break;
    }
  }
  if (slot == nullptr) {
    if (attr_count_ == attrs_.size()) attrs_.emplace_back();
    slot = &attrs_[attr_count_++];
    slot->name.assign(name);
  }
  AttrValue& v = slot->value;
  v.type = AttrValue::Type::string;
  v.str.clear();
  v.num = 0;
  v.boolean = false;
  v.list.clear();
  return v;
}

void Event::clear() {
  time = 0;
  for (auto& s : strs_) s.clear();
  for (auto& l : lists_) l.clear();
  attr_count_ = 0;
  str_mask_ = 0;
  num_mask_ = 0;
  bool_mask_ = 0;
  list_mask_ = 0;
  raw.clear();
  depth = 0;
  origin_rule = -1;
}

std::string Event::to_json() const {
  std::string out;
  out.reserve(256);
  out.push_back('{');
  for (const auto& e : kFields) {
    const std::uint8_t slot = e.info.slot;
    switch (e.info.type) {
      case Type::time:
        append_key(out, e.name);
        append_json_string(out, format_time(time));
        break;
      case Type::string:
        if ((str_mask_ >> slot) & 1U) {
          append_key(out, e.name);
          append_json_string(out, strs_[slot]);
        }
        break;
      case Type::number:
        if ((num_mask_ >> slot) & 1U) {
          append_key(out, e.name);
          append_json_number(out, nums_[slot]);
        }
        break;
      case Type::boolean:
        if ((bool_mask_ >> slot) & 1U) {
          append_key(out, e.name);
          out += bools_[slot] ? "true" : "false";
        }
        break;
      case Type::list:
        if ((list_mask_ >> slot) & 1U) {
          append_key(out, e.name);
          append_json_list(out, lists_[slot]);
        }
        break;
    }
  }
  if (attr_count_ > 0) {
    append_key(out, "attrs");
    out.push_back('{');
    for (std::size_t i = 0; i < attr_count_; ++i) {
      if (i > 0) out.push_back(',');
      const Attr& a = attrs_[i];
      append_json_string(out, a.name);
      out.push_back(':');
      switch (a.value.type) {
        case AttrValue::Type::string:
          append_json_string(out, a.value.str);
          break;
        case AttrValue::Type::number:
          append_json_number(out, a.value.num);
          break;
        case AttrValue::Type::boolean:
          out += a.value.boolean ? "true" : "false";
          break;
        case AttrValue::Type::list:
          append_json_list(out, a.value.list);
          break;
      }
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

std::optional<FieldInfo> lookup_field(std::string_view name) {
  if (name.empty()) return std::nullopt;
  for (std::size_t h = name_hash(name);; h = (h + 1) & (kHashSize - 1)) {
    const std::uint8_t i = kHashTable[h];
    if (i == kEmpty) return std::nullopt;
    if (same(kFields[i].name, name)) return kFields[i].info;
  }
}

const std::vector<std::string_view>& schema_field_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    v.reserve(kFields.size());
    for (const auto& e : kFields) v.push_back(e.name);
    return v;
  }();
  return names;
}

std::string_view field_name(StrField f) { return kStrNames[static_cast<std::size_t>(f)]; }
std::string_view field_name(NumField f) { return kNumNames[static_cast<std::size_t>(f)]; }
std::string_view field_name(BoolField f) { return kBoolNames[static_cast<std::size_t>(f)]; }
std::string_view field_name(ListField f) { return kListNames[static_cast<std::size_t>(f)]; }

}  // namespace flashpoint
