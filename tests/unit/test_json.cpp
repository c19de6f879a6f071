// The shared JSON writer (flashpoint/engine/json.hpp): escaping, UTF-8
// validation on both the eight-byte fast path and the byte path, numbers.
#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "flashpoint/engine/json.hpp"

namespace {

std::string quoted(const std::string& s) {
  std::string out;
  flashpoint::append_json_string(out, s);
  return out;
}

std::string number(double v) {
  std::string out;
  flashpoint::append_json_number(out, v);
  return out;
}

}  // namespace

TEST_CASE("append_json_string escapes quotes, backslashes and control characters", "[json]") {
  CHECK(quoted("") == R"("")");
  CHECK(quoted("plain ascii text, longer than eight bytes") ==
        R"("plain ascii text, longer than eight bytes")");
  CHECK(quoted("a\"b\\c") == R"("a\"b\\c")");
  CHECK(quoted("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(quoted(std::string("\x01\x1f\x00z", 4)) == R"("\u0001\u001f\u0000z")");
  CHECK(quoted("/ is not escaped") == R"("/ is not escaped")");
  // The character to escape at every position of an eight-byte block.
  for (std::size_t at = 0; at < 20; ++at) {
    std::string s(20, 'x');
    s[at] = '"';
    std::string want = "\"" + std::string(at, 'x') + "\\\"" + std::string(19 - at, 'x') + "\"";
    CHECK(quoted(s) == want);
  }
}

TEST_CASE("append_json_string keeps valid UTF-8 and replaces invalid bytes", "[json]") {
  CHECK(quoted("Seoul 서울, Москва, 北京 🚢") == "\"Seoul 서울, Москва, 北京 🚢\"");
  CHECK(quoted("\xff") == R"("\ufffd")");
  CHECK(quoted("ab\xc3") == R"("ab\ufffd")");                            // truncated at the end
  CHECK(quoted("\xc0\xaf") == R"("\ufffd\ufffd")");                      // overlong
  CHECK(quoted("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");            // surrogate
  CHECK(quoted("\xf4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
  // An invalid byte inside an otherwise plain eight-byte block.
  CHECK(quoted("abcdefgh\x80ijklmnop") == R"("abcdefgh\ufffdijklmnop")");
  // A valid sequence split across two blocks.
  CHECK(quoted("abcdefg\xc3\xa9xyz") == "\"abcdefg\xc3\xa9xyz\"");
}

TEST_CASE("append_json_number writes integers plainly and never NaN", "[json]") {
  CHECK(number(0) == "0");
  CHECK(number(-42) == "-42");
  CHECK(number(9007199254740992.0) == "9007199254740992");
  CHECK(number(0.1) == "0.1");
  CHECK(number(1e300) == "1e+300");
  CHECK(number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(number(std::numeric_limits<double>::infinity()) == "null");
}
