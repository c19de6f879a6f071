// Replays the fuzz corpora (tests/fuzz/corpus/<target>/) under ctest, and
// for each seed a fixed set of deterministic mutations (truncations, byte
// flips, duplications), so every CI run exercises the parsers' error paths.
// A crash, sanitizer report or hang fails the run.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/targets.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void run(fpfuzz::Target fn, const std::string& s) {
  fn(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

}  // namespace

TEST_CASE("fuzz corpora and their mutations replay without a crash", "[fuzz]") {
  const fs::path root = fs::path(FP_SOURCE_DIR) / "tests/fuzz/corpus";
  for (const auto& t : fpfuzz::all_targets()) {
    const fs::path dir = root / t.name;
    REQUIRE(fs::is_directory(dir));
    std::size_t seeds = 0;
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;  // SplitMix64 state: deterministic mutations
    auto next = [&x] {
      std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
      return z ^ (z >> 31U);
    };
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      ++seeds;
      const std::string seed = slurp(e.path());
      INFO("target " << t.name << " seed " << e.path().filename().string());
      run(t.fn, seed);
      run(t.fn, "");
      for (int m = 0; m < 64 && !seed.empty(); ++m) {
        std::string s = seed;
        switch (next() % 4) {
          case 0:
            s.resize(next() % s.size());
            break;
          case 1:
            for (int k = 0; k < 4; ++k) s[next() % s.size()] = static_cast<char>(next() & 0xFFU);
            break;
          case 2: {
            const auto at = next() % s.size();
            s.insert(at, s.substr(next() % s.size(), 64));
            break;
          }
          default:
            s.insert(next() % s.size(), 1, static_cast<char>("\n\t\",{}[]\\'\0"[next() % 11]));
        }
        run(t.fn, s);
      }
    }
    CHECK(seeds > 0);
  }
}
