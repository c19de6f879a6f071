// JsonRenderer (see json_render.hpp). The field order and types come from
// the engine's schema (schema_field_names, lookup_field), so a new schema
// field is rendered without a change here.
#include "common/json_render.hpp"

#include "flashpoint/engine/json.hpp"

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

void append_list(std::string& out, const std::vector<std::string>& list) {
  out.push_back('[');
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, list[i]);
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
        append_json_string(out, cached_text_);
        break;
      case Type::string:
        if (const auto field = static_cast<StrField>(slot); e.has(field)) {
          append_key(out, f.key);
          append_json_string(out, e.str(field));
        }
        break;
      case Type::number:
        if (const auto field = static_cast<NumField>(slot); e.has(field)) {
          append_key(out, f.key);
          append_json_number(out, e.num(field));
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
      append_json_string(out, attrs[i].name);
      out.push_back(':');
      const AttrValue& v = attrs[i].value;
      switch (v.type) {
        case AttrValue::Type::string:
          append_json_string(out, v.str);
          break;
        case AttrValue::Type::number:
          append_json_number(out, v.num);
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
