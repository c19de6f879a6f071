// Diagnostics are data: a code, a severity, a message and a source location.
//
// The rule compiler collects every diagnostic of a load into a Diagnostics
// list; the edge (CLI, daemon log) renders them once, as
// `file:line:col: error: message` followed by the source line and a caret.
// Plain values; no synchronisation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flashpoint {

struct SourceLoc {
  std::string file;        // as given by the user
  std::uint32_t line = 0;  // 1-based; 0 when unknown
  std::uint32_t col = 0;   // 1-based; 0 when unknown
};

enum class DiagSeverity : std::uint8_t { error, warning, note };

struct Diagnostic {
  DiagSeverity severity = DiagSeverity::error;
  std::string code;     // stable identifier, e.g. "unknown-field"
  std::string message;  // one line, no trailing period
  SourceLoc loc;
};

class Diagnostics {
 public:
  void error(std::string code, std::string message, SourceLoc loc) {
    add({DiagSeverity::error, std::move(code), std::move(message), std::move(loc)});
  }
  void warning(std::string code, std::string message, SourceLoc loc) {
    add({DiagSeverity::warning, std::move(code), std::move(message), std::move(loc)});
  }
  void add(Diagnostic d) {
    if (d.severity == DiagSeverity::error) ++errors_;
    items_.push_back(std::move(d));
  }
  void append(const Diagnostics& other) {
    for (const auto& d : other.items_) add(d);
  }
  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
};

// Renders one diagnostic: `file:line:col: error: message`, then (when the file
// can be read and the line is known) the source line and a caret under col.
std::string render(const Diagnostic& d);
// Renders all, in order, each followed by a newline.
std::string render(const Diagnostics& ds);

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `name` if it is a plausible typo, else "".
std::string_view near_miss(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace flashpoint
