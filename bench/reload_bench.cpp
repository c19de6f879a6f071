// fp_reload_bench: the time of a daemon rule reload for a rule pack, the way
// cmd/daemon/pipeline.cpp does it: RuleSet::load (read -> resolve -> parse ->
// bind -> lower -> index, on the worker thread) and then Engine::reload (on
// the loop thread, keeping the state of unchanged rules). Single-threaded;
// used by bench/scaling.sh (docs/performance.md).
//
//   fp_reload_bench [--runs K] PATH...   (rule files or folders)
//
// Prints one line: rules, runs, then the median and minimum milliseconds of
// load, engine reload and their sum.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "flashpoint/engine/diagnostic.hpp"
#include "flashpoint/engine/engine.hpp"
#include "flashpoint/engine/rule_set.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double minimum(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

int main(int argc, char** argv) {
  int runs = 10;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: fp_reload_bench [--runs K] PATH...\n");
    return 2;
  }

  flashpoint::Diagnostics first_diags;
  auto first = flashpoint::RuleSet::load(paths, first_diags);
  if (!first) {
    std::fprintf(stderr, "%s", flashpoint::render(first_diags).c_str());
    return 1;
  }
  flashpoint::Engine engine(first, {});

  std::vector<double> load_ms;
  std::vector<double> swap_ms;
  std::vector<double> total_ms;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = Clock::now();
    flashpoint::Diagnostics diags;
    auto rules = flashpoint::RuleSet::load(paths, diags);
    const double load = ms_since(t0);
    if (!rules) return 1;
    const auto t1 = Clock::now();
    engine.reload(rules);
    const double swap = ms_since(t1);
    load_ms.push_back(load);
    swap_ms.push_back(swap);
    total_ms.push_back(load + swap);
  }
  std::printf(
      "rules %zu runs %d load_ms_median %.2f load_ms_min %.2f reload_ms_median %.3f reload_ms_min "
      "%.3f "
      "total_ms_median %.2f total_ms_min %.2f\n",
      first->rules().size(), runs, median(load_ms), minimum(load_ms), median(swap_ms),
      minimum(swap_ms), median(total_ms), minimum(total_ms));
  return 0;
}
