// Message and title templates: literal text with {field} placeholders
// (`{actors}`, `{attrs.domain}`, in sequences `{step.field}`). Lists render
// joined by ", ", a missing field renders as "?". `{{` and `}}` are literal
// braces. Engine-internal.
#pragma once

#include <string>
#include <vector>

#include "rules/compiled.hpp"

namespace flashpoint::detail {

Template parse_template(std::string_view text, exec::Program& pool,
                        const std::vector<std::string>& steps, const SourceLoc& loc,
                        Diagnostics& diags);

void render_template(const Template& t, const exec::Program& pool, const exec::EvalContext& ctx,
                     std::string& out);

}  // namespace flashpoint::detail
