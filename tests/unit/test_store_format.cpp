// `flashpoint alerts --format json|csv|table` renderings, byte for byte.
#include <catch2/catch.hpp>

#include "test_store_util.hpp"

using namespace flashpoint;
using namespace flashpoint::store;

namespace {

std::vector<AlertRow> fixture() {
  AlertRow a;
  a.id = 1;
  a.rule_id = "korea/direct-arms-to-ukraine";
  a.rule_hash = "abc";
  a.severity = "critical";
  a.title = "Direct arms, \"Ukraine\"";
  a.message = "KOR sent arms to UKR, directly";
  a.key = "KOR|UKR";
  a.event_time = "2024-06-01T00:00:00Z";
  a.fired_at = "2025-01-01T12:00:00.5Z";
  a.status = "open";
  a.claims = {"C9", "C10"};
  a.tags = {"korea"};
  a.evidence = {"e1", "e2"};
  a.evidence_sources = {"wire", "wire"};

  AlertRow b;
  b.id = 12;
  b.rule_id = "nato-asia/euro-presence-near-china";
  b.severity = "low";
  b.title = "Presence";
  b.message = "line one\nline two\ttab \\ slash";
  b.event_time = "2024-07-10T09:30:00Z";
  b.fired_at = "2025-01-01T12:00:01Z";
  b.status = "acked";
  b.note = "seen";
  b.evidence = {"x\"y"};
  return {a, b};
}

}  // namespace

TEST_CASE("json output is one array with the documented keys", "[store]") {
  const std::string expected =
      "[\n"
      R"({"id":1,"rule":"korea/direct-arms-to-ukraine","severity":"critical",)"
      R"("title":"Direct arms, \"Ukraine\"","message":"KOR sent arms to UKR, directly",)"
      R"("key":"KOR|UKR","event_time":"2024-06-01T00:00:00Z","fired_at":"2025-01-01T12:00:00.5Z",)"
      R"("status":"open","note":null,"claims":["C9","C10"],"tags":["korea"],)"
      R"("evidence":["e1","e2"]},)"
      "\n"
      R"({"id":12,"rule":"nato-asia/euro-presence-near-china","severity":"low","title":"Presence",)"
      R"("message":"line one\nline two\ttab \\ slash","key":"",)"
      R"("event_time":"2024-07-10T09:30:00Z","fired_at":"2025-01-01T12:00:01Z",)"
      R"("status":"acked","note":"seen","claims":[],"tags":[],"evidence":["x\"y"]})"
      "\n]\n";
  CHECK(format_alerts_json(fixture()) == expected);
  CHECK(format_alerts_json({}) == "[]\n");
}

TEST_CASE("json strings escape control characters and repair bad UTF-8", "[store]") {
  std::string out;
  append_json_string(out, std::string("a\x01\x1f\b\f\r\"\\/ é 中 \xff\xc3"));
  CHECK(out == "\"a\\u0001\\u001f\\b\\f\\r\\\"\\\\/ é 中 \\ufffd\\ufffd\"");
}

TEST_CASE("csv output follows RFC 4180", "[store]") {
  const std::string expected =
      "id,event_time,fired_at,severity,rule,title,message,key,status,note,claims,tags,evidence\r\n"
      "1,2024-06-01T00:00:00Z,2025-01-01T12:00:00.5Z,critical,korea/direct-arms-to-ukraine,"
      "\"Direct arms, \"\"Ukraine\"\"\",\"KOR sent arms to UKR, directly\",KOR|UKR,open,,"
      "C9;C10,korea,e1;e2\r\n"
      "12,2024-07-10T09:30:00Z,2025-01-01T12:00:01Z,low,nato-asia/"
      "euro-presence-near-china,Presence,"
      "\"line one\nline two\ttab \\ slash\",,acked,seen,,,\"x\"\"y\"\r\n";
  CHECK(format_alerts_csv(fixture()) == expected);
  CHECK(format_alerts_csv({}) ==
        "id,event_time,fired_at,severity,rule,title,message,key,status,note,claims,tags,"
        "evidence\r\n");
}

TEST_CASE("table output is aligned and ends with a count", "[store]") {
  const std::string expected =
      "ID  DATE        SEVERITY  RULE                                MESSAGE\n"
      " 1  2024-06-01  critical  korea/direct-arms-to-ukraine        KOR sent arms to UKR, "
      "directly\n"
      "12  2024-07-10  low       nato-asia/euro-presence-near-china  line one line two tab \\ "
      "slash\n"
      "2 alerts\n";
  CHECK(format_alerts_table(fixture()) == expected);
  CHECK(format_alerts_table({}) == "0 alerts\n");
  auto one = fixture();
  one.resize(1);
  CHECK_THAT(format_alerts_table(one), Catch::EndsWith("\n1 alert\n"));
}

TEST_CASE("table output truncates long messages and rule ids to the width", "[store]") {
  auto rows = fixture();
  rows[0].message = std::string(300, 'm');
  rows[1].rule_id = "a-rule-id-that-is-far-too-long-for-the-rule-column-of-the-table";
  rows[1].message = "ünïcödé " + std::string(200, 'u');
  const std::string table = format_alerts_table(rows);
  std::size_t start = 0;
  int lines = 0;
  while (start < table.size()) {
    const std::size_t end = table.find('\n', start);
    const std::string line = table.substr(start, end - start);
    std::size_t width = 0;
    for (char c : line) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    CHECK(width <= 120);
    start = end + 1;
    ++lines;
  }
  CHECK(lines == 4);
  CHECK_THAT(table, Catch::Contains("a-rule-id-that-is-far-too-long-for-th..."));
  CHECK_THAT(table, Catch::Contains("mmm...\n"));
  CHECK_THAT(table, Catch::Contains("ünïcödé uuu"));
  const std::size_t first_row = table.find('\n') + 1;
  const std::string row = table.substr(first_row, table.find('\n', first_row) - first_row);
  CHECK(row.size() == 120);
}
