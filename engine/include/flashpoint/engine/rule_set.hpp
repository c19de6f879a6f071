// A compiled, immutable rule set: what `flashpoint check` validates and what
// the engine runs.
//
// Compiling is a pipeline (read -> resolve -> parse -> bind -> lower ->
// index); all of a load's diagnostics are collected. A RuleSet is immutable
// once built and may be shared between threads (std::shared_ptr<const>).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flashpoint/engine/alert.hpp"
#include "flashpoint/engine/diagnostic.hpp"

namespace flashpoint {

// Which stateful operator a rule uses.
enum class RuleType : std::uint8_t { stateless, threshold, sequence, absence };
std::string_view to_string(RuleType t);

// What users see of a rule (the catalogue, `show`, the store's rule table).
struct RuleInfo {
  std::string id;
  std::string title;
  Severity severity = Severity::medium;
  std::string message;
  std::string rationale;
  std::vector<std::string> claims;
  std::vector<std::string> tags;
  std::vector<std::string> key;  // key field paths
  bool enabled = true;
  RuleType type = RuleType::stateless;
  bool has_tension = false;
  SourceLoc loc;           // where the [[rule]] table starts
  std::string hash;        // hex digest of the rule's resolved definition
  std::string definition;  // the resolved definition hashed above (canonical text)
};

namespace detail {
struct CompiledRules;  // engine-private
}

class RuleSet {
 public:
  // Loads and compiles rule files. Each path is a file or a folder (its
  // *.toml files, recursively, in name order). Returns nullptr when any
  // error was found; warnings may be present either way.
  static std::shared_ptr<const RuleSet> load(const std::vector<std::string>& paths,
                                             Diagnostics& diags);
  // Compiles TOML text held in memory (`name` is used in diagnostics).
  struct Source {
    std::string name;
    std::string text;
  };
  static std::shared_ptr<const RuleSet> compile(const std::vector<Source>& sources,
                                                Diagnostics& diags);

  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  [[nodiscard]] const std::vector<RuleInfo>& rules() const;
  [[nodiscard]] const detail::CompiledRules& compiled() const { return *impl_; }
  // Files the set was loaded from (after folder expansion).
  [[nodiscard]] const std::vector<std::string>& files() const;

  explicit RuleSet(std::unique_ptr<detail::CompiledRules> impl);

 private:
  std::unique_ptr<detail::CompiledRules> impl_;
};

}  // namespace flashpoint
