// JsonRenderer (see json_render.hpp). The field order and types come from
// the engine's schema (schema_field_names, lookup_field), so a new schema
// field is rendered without a change here.
#include "common/json_render.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace flashpoint::adapters {
namespace {

struct FieldSlot {
  std::string key;  // `"name":`
  FieldInfo info;
};

const std::vector<FieldSlot>& fields() {
  static const std::vector<FieldSlot> all = [] {
    std::vector<FieldSlot> v;
    for (const std::string_view name : schema_field_names()) {
      if (const auto info = lookup_field(name)) {
        FieldSlot slot{std::string(1, '"'), *info};
        slot.key.append(name).append("\":");
        v.push_back(std::move(slot));
      }
    }
    return v;
  }();
  return all;
}

constexpr std::array<bool, 256> make_escape_table() {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}
constexpr std::array<bool, 256> kEscape = make_escape_table();

// True when one of the eight bytes of `w` is below 0x20, '"' or '\\'.
bool any_to_escape(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto zero_byte = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (below_space | zero_byte(w ^ (kOnes * '"')) | zero_byte(w ^ (kOnes * '\\'))) != 0;
}

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size()) {  // skip eight plain bytes at a time
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, 8);
      if (!any_to_escape(w)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i++]);
    if (!kEscape[c]) continue;
    out.append(s.data() + run, i - 1 - run);
    run = i;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4U], kHex[c & 0xFU]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  std::array<char, 32> buf{};
  std::to_chars_result r{};
  constexpr double kExactIntLimit = 9007199254740992.0;  // 2^53
  if (v == std::trunc(v) && std::fabs(v) <= kExactIntLimit) {
    r = std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<std::int64_t>(v));
  } else {
    r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  }
  out.append(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
}

void append_list(std::string& out, const std::vector<std::string>& list) {
  out.push_back('[');
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_string(out, list[i]);
  }
  out.push_back(']');
}

void append_key(std::string& out, const std::string& key) {
  if (out.size() > 1) out.push_back(',');
  out.append(key);
}

}  // namespace

void JsonRenderer::render(const Event& e, std::string& out) {
  using Type = FieldInfo::Type;
  out.clear();
  out.push_back('{');
  for (const FieldSlot& f : fields()) {
    const std::uint8_t slot = f.info.slot;
    switch (f.info.type) {
      case Type::time:
        if (cached_text_.empty() || cached_time_ != e.time) {
          cached_time_ = e.time;
          cached_text_ = format_time(e.time);
        }
        append_key(out, f.key);
        append_string(out, cached_text_);
        break;
      case Type::string:
        if (const auto field = static_cast<StrField>(slot); e.has(field)) {
          append_key(out, f.key);
          append_string(out, e.str(field));
        }
        break;
      case Type::number:
        if (const auto field = static_cast<NumField>(slot); e.has(field)) {
          append_key(out, f.key);
          append_number(out, e.num(field));
        }
        break;
      case Type::boolean:
        if (const auto field = static_cast<BoolField>(slot); e.has(field)) {
          append_key(out, f.key);
          out.append(e.boolean(field) ? "true" : "false");
        }
        break;
      case Type::list:
        if (const auto field = static_cast<ListField>(slot); e.has(field)) {
          append_key(out, f.key);
          append_list(out, e.list(field));
        }
        break;
    }
  }
  const auto attrs = e.attrs();
  if (!attrs.empty()) {
    if (out.size() > 1) out.push_back(',');
    out.append("\"attrs\":{");
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_string(out, attrs[i].name);
      out.push_back(':');
      const AttrValue& v = attrs[i].value;
      switch (v.type) {
        case AttrValue::Type::string:
          append_string(out, v.str);
          break;
        case AttrValue::Type::number:
          append_number(out, v.num);
          break;
        case AttrValue::Type::boolean:
          out.append(v.boolean ? "true" : "false");
          break;
        case AttrValue::Type::list:
          append_list(out, v.list);
          break;
      }
    }
    out.push_back('}');
  }
  out.push_back('}');
}

}  // namespace flashpoint::adapters
