// Golden diagnostics: each tests/golden/rules/NAME.toml is a bad rule file;
// loading it must print exactly tests/golden/rules/NAME.expected (with
// paths relative to the repository root). Set FP_UPDATE_GOLDEN=1 to rewrite
// the expectations after a deliberate change.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "flashpoint/engine/rule_set.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("bad rule files give the expected file:line:col diagnostics", "[golden]") {
  const fs::path dir = fs::path(FP_SOURCE_DIR) / "tests/golden/rules";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".toml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  const std::string prefix = std::string(FP_SOURCE_DIR) + "/";
  for (const auto& f : files) {
    // Load by the path relative to the source dir, as a user would.
    const fs::path rel = fs::relative(f, FP_SOURCE_DIR);
    const fs::path cwd = fs::current_path();
    fs::current_path(FP_SOURCE_DIR);
    flashpoint::Diagnostics diags;
    auto rules = flashpoint::RuleSet::load({rel.string()}, diags);
    fs::current_path(cwd);
    const std::string got = flashpoint::render(diags);
    fs::path expected = f;
    expected.replace_extension(".expected");
    if (std::getenv("FP_UPDATE_GOLDEN") != nullptr) {
      std::ofstream(expected, std::ios::binary) << got;
    }
    INFO("golden file " << rel.string());
    CHECK(rules == nullptr);
    CHECK(got == slurp(expected));
  }
}
