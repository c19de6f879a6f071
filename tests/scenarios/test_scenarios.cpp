// Data-driven scenarios: each tests/scenarios/*.toml is a rule test file
// (rules + events + expected alerts) run through the real binary's
// `flashpoint test`, which must pass every case.
#include <catch2/catch.hpp>
#include <filesystem>

#include "integration/process.hpp"

namespace fs = std::filesystem;

TEST_CASE("scenario files pass under `flashpoint test`", "[scenario]") {
  const fs::path dir = fs::path(FP_SOURCE_DIR) / "tests/scenarios";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".toml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 3);
  fptest::TempDir tmp;
  for (const auto& f : files) {
    auto r = fptest::flashpoint("test '" + f.string() + "'", tmp);
    INFO(f.filename().string() << "\n" << r.out << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find(" passed, 0 failed\n") != std::string::npos);
  }
}
