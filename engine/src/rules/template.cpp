// Parsing and rendering of {field} templates.
#include "rules/template.hpp"

#include "bind/binder.hpp"

namespace flashpoint::detail {

Template parse_template(std::string_view text, exec::Program& pool,
                        const std::vector<std::string>& steps, const SourceLoc& loc,
                        Diagnostics& diags) {
  Template t;
  std::string lit;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      lit += c;
      ++i;
      continue;
    }
    if (c != '{') {
      lit += c;
      continue;
    }
    const auto close = text.find('}', i);
    if (close == std::string_view::npos) {
      diags.error("template", "unclosed '{' in template (write '{{' for a literal brace)", loc);
      return t;
    }
    const auto path = text.substr(i + 1, close - i - 1);
    auto op = bind::resolve_path(path, pool, steps, loc, diags);
    if (!lit.empty()) {
      t.parts.push_back({std::move(lit), false, {}});
      lit.clear();
    }
    if (op) t.parts.push_back({std::string(path), true, *op});
    i = close;
  }
  if (!lit.empty()) t.parts.push_back({std::move(lit), false, {}});
  return t;
}

void render_template(const Template& t, const exec::Program& pool, const exec::EvalContext& ctx,
                     std::string& out) {
  out.clear();
  for (const auto& p : t.parts) {
    if (!p.field) {
      out += p.text;
    } else if (!exec::append_value(pool, p.op, ctx, out)) {
      out += '?';
    }
  }
}

}  // namespace flashpoint::detail
