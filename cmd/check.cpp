// `flashpoint check PATH...`: load and type-check rule files.
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"

namespace flashpoint::cmd {

int run_check(const std::vector<std::string>& paths) {
  Diagnostics diags;
  auto rules = RuleSet::load(paths, diags);
  print_diagnostics(diags);
  if (!rules) {
    std::fprintf(stderr, "%zu error(s)\n", diags.error_count());
    return kExitFinding;
  }
  std::size_t enabled = 0;
  for (const auto& r : rules->rules()) enabled += r.enabled ? 1 : 0;
  std::printf("ok: %zu rules (%zu enabled) in %zu files\n", rules->rules().size(), enabled,
              rules->files().size());
  return kExitOk;
}

}  // namespace flashpoint::cmd
