// Rendering of diagnostics and the "did you mean" helpers.
#include "flashpoint/engine/diagnostic.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

namespace flashpoint {
namespace {

std::string_view severity_word(DiagSeverity s) {
  switch (s) {
    case DiagSeverity::error:
      return "error";
    case DiagSeverity::warning:
      return "warning";
    case DiagSeverity::note:
      return "note";
  }
  return "error";
}

// Returns line `n` (1-based) of `path`, or nullopt.
std::optional<std::string> read_line(const std::string& path, std::uint32_t n) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string line;
  for (std::uint32_t i = 1; std::getline(in, line); ++i) {
    if (i == n) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string render(const Diagnostic& d) {
  std::ostringstream out;
  if (!d.loc.file.empty()) {
    out << d.loc.file;
    if (d.loc.line > 0) {
      out << ':' << d.loc.line;
      if (d.loc.col > 0) out << ':' << d.loc.col;
    }
    out << ": ";
  }
  out << severity_word(d.severity) << ": " << d.message << '\n';
  if (d.loc.line > 0 && !d.loc.file.empty()) {
    if (auto line = read_line(d.loc.file, d.loc.line)) {
      out << "  " << *line << '\n';
      if (d.loc.col > 0) {
        std::string pad;
        // Keep tabs so the caret lines up under tab-indented text.
        for (std::uint32_t i = 0; i + 1 < d.loc.col && i < line->size(); ++i) {
          pad += (*line)[i] == '\t' ? '\t' : ' ';
        }
        out << "  " << pad << "^\n";
      }
    }
  }
  return out.str();
}

std::string render(const Diagnostics& ds) {
  std::string out;
  for (const auto& d : ds.items()) out += render(d);
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance: insert, delete, substitute, and
  // swap of two adjacent characters each cost one.
  const std::size_t w = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * w);
  for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t v =
          std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, d[(i - 2) * w + j - 2] + 1);
      }
      d[i * w + j] = v;
    }
  }
  return d[a.size() * w + b.size()];
}

std::string_view near_miss(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_d = ~std::size_t{0};
  for (auto c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 3));
  return best_d <= limit ? best : std::string_view{};
}

}  // namespace flashpoint
