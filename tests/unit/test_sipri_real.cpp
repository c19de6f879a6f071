// SIPRI decoder end to end on the real trade-register extract in
// ../shared/data/real/sipri: one event per deal, every party name mapped,
// counts per recipient and supplier as in the raw file (and SOURCES.md).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../../adapters/sipri/sipri_decoder.hpp"

namespace {

using namespace flashpoint::adapters;
namespace fs = std::filesystem;

const fs::path kRealDir = fs::path(FP_SOURCE_DIR) / ".." / "shared" / "data" / "real" / "sipri";
const char* const kRegister = "sipri_trade-register_2025-03-13_focus-states_extract.csv";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Tally : DecodeSink {
  std::vector<std::string> ids, raws, dead;
  std::map<std::string, int> kinds, recipients, suppliers, supplier_codes, types;
  std::set<std::uint64_t> lines;
  int raw_differs = 0;
  void on_event(const flashpoint::Event& e, const Position& pos) override {
    using flashpoint::StrField;
    ids.emplace_back(e.str(StrField::id));
    raws.push_back(e.raw);
    raw_differs += e.raw == e.to_json() ? 0 : 1;
    lines.insert(pos.line);
    ++kinds[std::string(e.str(StrField::kind))];
    ++recipients[e.attr("recipient_name")->str];
    ++suppliers[e.attr("supplier_name")->str];
    ++supplier_codes[std::string(e.str(StrField::supplier))];
    ++types[e.attr("recipient_type")->str];
    ++types[e.attr("supplier_type")->str];
  }
  void on_dead_letter(const DeadLetter& dl) override { dead.emplace_back(dl.reason); }
};

Tally decode(const std::string& text, std::size_t chunk) {
  DecoderOptions options;
  options.feed = "sipri";
  auto decoder = make_sipri_decoder(options);
  Tally tally;
  for (std::size_t i = 0; i < text.size(); i += chunk) {
    decoder->feed(std::string_view(text).substr(i, chunk), tally);
  }
  decoder->finish(tally);
  return tally;
}

bool have_real_data() {
  if (fs::exists(kRealDir)) return true;
  WARN("SIPRI real-data test skipped: ../shared/data/real not found");
  return false;
}

}  // namespace

TEST_CASE("SIPRI real trade register: one event per deal", "[sipri]") {
  if (!have_real_data()) return;
  const std::string text = slurp(kRealDir / kRegister);
  // Raw counts: data lines after the 12-line head, less the 4 continuation
  // lines of broken records (they start with the comma that ends Comments).
  std::istringstream in(text);
  std::string line;
  std::map<std::string, int> raw_recipients;
  std::map<std::string, int> raw_suppliers;
  int n = 0;
  int data_lines = 0;
  int continuations = 0;
  while (std::getline(in, line)) {
    if (++n <= 12) continue;
    ++data_lines;
    if (line.rfind(',', 0) == 0) {
      ++continuations;
    } else {
      const std::size_t comma = line.find(',');
      ++raw_recipients[line.substr(0, comma)];
      ++raw_suppliers[line.substr(comma + 1, line.find(',', comma + 1) - comma - 1)];
    }
  }
  CHECK(data_lines == 2319);
  CHECK(continuations == 4);

  const Tally tally = decode(text, 65536);
  CHECK(tally.dead.empty());
  CHECK(tally.raw_differs == 0);
  CHECK(tally.ids.size() == 2315);
  CHECK(tally.kinds == std::map<std::string, int>{{"arms_transfer", 2315}});
  CHECK(std::set<std::string>(tally.ids.begin(), tally.ids.end()).size() == 2315);
  CHECK(tally.recipients == raw_recipients);
  CHECK(tally.suppliers == raw_suppliers);
  CHECK(tally.types.count("unmapped") == 0);  // every name in the file is in the tables
  CHECK(tally.types.at("non_state") == 8);
  CHECK(tally.types.at("organisation") == 2);
  // SOURCES.md counts (its supplier counts leave out the broken records).
  CHECK(tally.recipients.at("Ukraine") == 443);
  CHECK(tally.recipients.at("South Korea") == 276);
  CHECK(tally.recipients.at("Japan") == 173);
  CHECK(tally.recipients.at("North Korea") == 159);
  CHECK(tally.recipients.at("Taiwan") == 153);
  CHECK(tally.recipients.at("China") == 140);
  CHECK(tally.supplier_codes.at("USA") == 736 + 1);  // + Cote d'Ivoire 2024, broken
  CHECK(tally.supplier_codes.at("RUS") == 265);
  CHECK(tally.supplier_codes.at("CHN") == 177);
  CHECK(tally.supplier_codes.at("DEU") == 141 + 1);  // + Saudi Arabia 2024, broken
  CHECK(tally.supplier_codes.at("SUN") == 123);
  CHECK(tally.supplier_codes.at("FRA") == 112);
  for (const std::uint64_t broken : {260U, 1171U, 1720U, 2234U}) CHECK(tally.lines.count(broken));

  // Re-importing gives the same ids, whatever the chunking.
  const Tally again = decode(text, 7);
  CHECK(again.ids == tally.ids);
  CHECK(again.raws == tally.raws);
}

TEST_CASE("SIPRI TIV tables are not trade registers", "[sipri]") {
  if (!have_real_data()) return;
  for (const char* name : {"sipri_tiv-table_by-recipient_1950-2024_generated-2024-10-13.csv",
                           "sipri_tiv-table_by-supplier_1950-2024_generated-2024-10-13.csv"}) {
    INFO(name);
    const Tally tally = decode(slurp(kRealDir / name), 4096);
    CHECK(tally.ids.empty());
    REQUIRE_FALSE(tally.dead.empty());
    CHECK(tally.dead[0].find("SIPRI") != std::string::npos);
  }
}
