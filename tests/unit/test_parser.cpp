// Parser stage: grammar, precedence, errors with offsets, depth limit.
#include <catch2/catch.hpp>

#include "expr/parser.hpp"

using flashpoint::expr::CmpOp;
using flashpoint::expr::Node;
using flashpoint::expr::parse;
using flashpoint::expr::ParseError;

namespace {

// A compact rendering of the tree, for structural comparisons.
std::string show(const Node& n) {
  switch (n.kind) {
    case Node::Kind::or_:
    case Node::Kind::and_: {
      std::string s = n.kind == Node::Kind::or_ ? "(or" : "(and";
      for (const auto& k : n.kids) s += " " + show(*k);
      return s + ")";
    }
    case Node::Kind::not_:
      return "(not " + show(*n.kids[0]) + ")";
    case Node::Kind::compare:
      return "(" + std::string(to_string(n.op)) + " " + show(*n.kids[0]) + " " + show(*n.kids[1]) +
             ")";
    case Node::Kind::call: {
      std::string s = n.text + "(";
      for (std::size_t i = 0; i < n.kids.size(); ++i) s += (i ? "," : "") + show(*n.kids[i]);
      return s + ")";
    }
    case Node::Kind::name:
      return n.text;
    case Node::Kind::string:
      return "\"" + n.text + "\"";
    case Node::Kind::number:
      return n.text;
    case Node::Kind::boolean:
      return n.boolean ? "true" : "false";
    case Node::Kind::list: {
      std::string s = "[";
      for (std::size_t i = 0; i < n.kids.size(); ++i) s += (i ? "," : "") + show(*n.kids[i]);
      return s + "]";
    }
  }
  return "?";
}

std::string parsed(const std::string& text) {
  ParseError err;
  auto n = parse(text, err);
  if (!n) return "error@" + std::to_string(err.offset) + ": " + err.message;
  return show(*n);
}

}  // namespace

TEST_CASE("precedence: or is loosest, then and, then not", "[parser]") {
  CHECK(parsed("a == 1 or b == 2 and not c == 3") == "(or (== a 1) (and (== b 2) (not (== c 3))))");
  CHECK(parsed("(a == 1 or b == 2) and c") == "(and (or (== a 1) (== b 2)) c)");
  CHECK(parsed("not not direct") == "(not (not direct))");
}

TEST_CASE("every comparison operator parses", "[parser]") {
  CHECK(parsed("x != 'a'") == "(!= x \"a\")");
  CHECK(parsed("x < 1") == "(< x 1)");
  CHECK(parsed("x <= 1.5") == "(<= x 1.5)");
  CHECK(parsed("x > -2") == "(> x -2)");
  CHECK(parsed("x >= 1e3") == "(>= x 1e3)");
  CHECK(parsed("region in [\"a\", \"b\",]") == "(in region [\"a\",\"b\"])");
  CHECK(parsed("region not in [\"a\"]") == "(not in region [\"a\"])");
  CHECK(parsed("actors contains \"CHN\"") == "(contains actors \"CHN\")");
  CHECK(parsed("actors any_in nato") == "(any_in actors nato)");
  CHECK(parsed("actors all_in nato") == "(all_in actors nato)");
  CHECK(parsed("item matches \"^K9\"") == "(matches item \"^K9\")");
  CHECK(parsed("item startswith \"K\"") == "(startswith item \"K\")");
  CHECK(parsed("item endswith \"9\"") == "(endswith item \"9\")");
}

TEST_CASE("paths, calls and literals", "[parser]") {
  CHECK(parsed("attrs.domain == \"naval\"") == "(== attrs.domain \"naval\")");
  CHECK(parsed("provocation.region == region") == "(== provocation.region region)");
  CHECK(parsed("exists(target)") == "exists(target)");
  CHECK(parsed("len(actors) >= 2") == "(>= len(actors) 2)");
  CHECK(parsed("lower(speaker) == 'x'") == "(== lower(speaker) \"x\")");
  CHECK(parsed("direct == true") == "(== direct true)");
  CHECK(parsed("s == \"a\\\"b\"") == "(== s \"a\"b\")");
}

TEST_CASE("errors carry the offset of the token at fault", "[parser]") {
  CHECK(parsed("kind = \"x\"") == "error@5: '=' is not an operator (did you mean '=='?)");
  CHECK(parsed("kind == ") == "error@8: unexpected end of condition");
  CHECK(parsed("(kind == \"x\"") == "error@12: expected ')'");
  CHECK(parsed("kind == \"x") == "error@8: unterminated string");
  CHECK(parsed("actors contain \"x\"") ==
        "error@7: unknown operator 'contain' (did you mean 'contains'?)");
  CHECK(parsed("a == 1 == 2") == "error@7: comparisons do not chain; join them with 'and' or 'or'");
  CHECK(parsed("region not [\"a\"]") == "error@11: expected 'in' after 'not'");
  CHECK(parsed("x in [a]") == "error@6: expected a literal in a list, found 'a'");
  CHECK(parsed("a == 1 b") == "error@7: unexpected 'b'");
  CHECK(parsed("a == $") == "error@5: unexpected character '$'");
}

TEST_CASE("nesting deeper than the limit is an error, not a crash", "[parser]") {
  std::string deep(200, '(');
  deep += "a";
  deep += std::string(200, ')');
  CHECK(parsed(deep).find("nested too deeply") != std::string::npos);
  std::string nots;
  for (int i = 0; i < 200; ++i) nots += "not ";
  CHECK(parsed(nots + "a").find("nested too deeply") != std::string::npos);
  CHECK(parsed("((((a))))") == "a");
}

TEST_CASE("unknown escapes pass through to regular expressions", "[parser]") {
  CHECK(parsed(R"(t matches "\bjoin\b")") == "(matches t \"\\bjoin\\b\")");
  CHECK(parsed(R"(t == "a\\b")") == "(== t \"a\\b\")");
  CHECK(parsed(R"(t == "tab\there")") == "(== t \"tab\there\")");
}
