// Lexer and recursive-descent parser for rule conditions (grammar in
// parser.hpp).
#include "expr/parser.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

namespace flashpoint::expr {

std::string_view to_string(CmpOp op) {
  switch (op) {
    case CmpOp::eq:
      return "==";
    case CmpOp::ne:
      return "!=";
    case CmpOp::lt:
      return "<";
    case CmpOp::le:
      return "<=";
    case CmpOp::gt:
      return ">";
    case CmpOp::ge:
      return ">=";
    case CmpOp::in:
      return "in";
    case CmpOp::not_in:
      return "not in";
    case CmpOp::contains:
      return "contains";
    case CmpOp::any_in:
      return "any_in";
    case CmpOp::all_in:
      return "all_in";
    case CmpOp::matches:
      return "matches";
    case CmpOp::startswith:
      return "startswith";
    case CmpOp::endswith:
      return "endswith";
  }
  return "?";
}

const std::vector<std::string_view>& operator_words() {
  static const std::vector<std::string_view> words = {"and",        "or",      "not",    "in",
                                                      "contains",   "any_in",  "all_in", "matches",
                                                      "startswith", "endswith"};
  return words;
}

namespace {

enum class Tok : std::uint8_t {
  end,
  ident,
  string,
  number,
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  dot,
  op,  // == != < <= > >=
  error
};

struct Token {
  Tok type = Tok::end;
  std::uint32_t offset = 0;
  std::string_view text;  // raw text (ident / op / number)
  std::string value;      // decoded string literal
};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

class Parser {
 public:
  Parser(std::string_view text, ParseError& error) : src_(text), error_(error) { next(); }

  NodePtr parse_all() {
    auto n = parse_or(0);
    if (!n) return nullptr;
    if (tok_.type != Tok::end) {
      if (tok_.type == Tok::ident) {
        return fail(tok_.offset,
                    "unexpected '" + std::string(tok_.text) + "'" + hint_for(tok_.text));
      }
      return fail(tok_.offset, "unexpected " + describe(tok_) + " after the end of the condition");
    }
    return n;
  }

 private:
  // ---- lexer ----
  void next() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    tok_ = Token{};
    tok_.offset = static_cast<std::uint32_t>(pos_);
    if (pos_ >= src_.size()) {
      tok_.type = Tok::end;
      return;
    }
    const char c = src_[pos_];
    auto single = [&](Tok t) {
      tok_.type = t;
      tok_.text = src_.substr(pos_, 1);
      ++pos_;
    };
    switch (c) {
      case '(':
        return single(Tok::lparen);
      case ')':
        return single(Tok::rparen);
      case '[':
        return single(Tok::lbracket);
      case ']':
        return single(Tok::rbracket);
      case ',':
        return single(Tok::comma);
      case '.':
        if (pos_ + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))
          break;
        return single(Tok::dot);
      case '=':
      case '!':
      case '<':
      case '>': {
        const bool two = pos_ + 1 < src_.size() && src_[pos_ + 1] == '=';
        if ((c == '=' || c == '!') && !two) {
          tok_.type = Tok::error;
          tok_.text = src_.substr(pos_, 1);
          tok_.value = c == '=' ? "'=' is not an operator (did you mean '=='?)"
                                : "'!' is not an operator (did you mean '!=' or 'not'?)";
          return;
        }
        tok_.type = Tok::op;
        tok_.text = src_.substr(pos_, two ? 2 : 1);
        pos_ += two ? 2 : 1;
        return;
      }
      case '"':
      case '\'':
        return lex_string(c);
      default:
        break;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '+') {
      std::size_t end = pos_ + 1;
      while (end < src_.size() &&
             (std::isalnum(static_cast<unsigned char>(src_[end])) || src_[end] == '.' ||
              ((src_[end] == '-' || src_[end] == '+') &&
               (src_[end - 1] == 'e' || src_[end - 1] == 'E')))) {
        ++end;
      }
      tok_.type = Tok::number;
      tok_.text = src_.substr(pos_, end - pos_);
      pos_ = end;
      return;
    }
    if (ident_start(c)) {
      std::size_t end = pos_ + 1;
      while (end < src_.size() && ident_char(src_[end])) ++end;
      tok_.type = Tok::ident;
      tok_.text = src_.substr(pos_, end - pos_);
      pos_ = end;
      return;
    }
    tok_.type = Tok::error;
    tok_.text = src_.substr(pos_, 1);
    tok_.value = "unexpected character '" + std::string(1, c) + "'";
  }

  void lex_string(char quote) {
    std::size_t i = pos_ + 1;
    std::string out;
    while (i < src_.size() && src_[i] != quote) {
      char ch = src_[i];
      if (ch == '\\' && i + 1 < src_.size()) {
        const char e = src_[i + 1];
        switch (e) {
          case 'n':
            ch = '\n';
            break;
          case 't':
            ch = '\t';
            break;
          case '\\':
          case '"':
          case '\'':
            ch = e;
            break;
          default:
            // Any other escape passes through, so RE2 sees `\b`, `\d`, `\.`.
            out += '\\';
            ch = e;
        }
        ++i;
      }
      out += ch;
      ++i;
    }
    if (i >= src_.size()) {
      tok_.type = Tok::error;
      tok_.value = "unterminated string";
      return;
    }
    tok_.type = Tok::string;
    tok_.text = src_.substr(pos_, i + 1 - pos_);
    tok_.value = std::move(out);
    pos_ = i + 1;
  }

  // ---- helpers ----
  static std::string describe(const Token& t) {
    switch (t.type) {
      case Tok::end:
        return "end of condition";
      case Tok::string:
        return "string " + std::string(t.text);
      default:
        return "'" + std::string(t.text) + "'";
    }
  }

  static std::string hint_for(std::string_view word) {
    static const std::vector<std::string_view> ops = {"and",        "or",      "not",    "in",
                                                      "contains",   "any_in",  "all_in", "matches",
                                                      "startswith", "endswith"};
    std::string best;
    std::size_t best_d = 99;
    for (auto o : ops) {
      // Cheap distance: common prefix/suffix and length.
      std::size_t d = 0;
      const std::size_t n = std::max(o.size(), word.size());
      for (std::size_t i = 0; i < n; ++i) {
        if (i >= o.size() || i >= word.size() || o[i] != word[i]) ++d;
      }
      if (d < best_d) {
        best_d = d;
        best = std::string(o);
      }
    }
    if (best_d <= 2 && word.size() > 2) return " (did you mean '" + best + "'?)";
    return "";
  }

  NodePtr fail(std::uint32_t offset, std::string msg) {
    if (!failed_) {
      failed_ = true;
      error_.offset = offset;
      error_.message = std::move(msg);
    }
    return nullptr;
  }

  bool is_word(std::string_view w) const { return tok_.type == Tok::ident && tok_.text == w; }

  static NodePtr make(Node::Kind k, std::uint32_t off) {
    auto n = std::make_unique<Node>();
    n->kind = k;
    n->offset = off;
    return n;
  }

  // ---- grammar ----
  NodePtr parse_or(int depth) {
    if (depth > kMaxDepth) return fail(tok_.offset, "condition nested too deeply");
    auto left = parse_and(depth + 1);
    if (!left) return nullptr;
    if (!is_word("or")) return left;
    auto n = make(Node::Kind::or_, left->offset);
    n->kids.push_back(std::move(left));
    while (is_word("or")) {
      next();
      auto r = parse_and(depth + 1);
      if (!r) return nullptr;
      n->kids.push_back(std::move(r));
    }
    return n;
  }

  NodePtr parse_and(int depth) {
    auto left = parse_not(depth + 1);
    if (!left) return nullptr;
    if (!is_word("and")) return left;
    auto n = make(Node::Kind::and_, left->offset);
    n->kids.push_back(std::move(left));
    while (is_word("and")) {
      next();
      auto r = parse_not(depth + 1);
      if (!r) return nullptr;
      n->kids.push_back(std::move(r));
    }
    return n;
  }

  NodePtr parse_not(int depth) {
    if (depth > kMaxDepth) return fail(tok_.offset, "condition nested too deeply");
    if (is_word("not")) {
      const auto off = tok_.offset;
      next();
      auto inner = parse_not(depth + 1);
      if (!inner) return nullptr;
      auto n = make(Node::Kind::not_, off);
      n->kids.push_back(std::move(inner));
      return n;
    }
    return parse_cmp(depth + 1);
  }

  std::optional<CmpOp> peek_op() {
    if (tok_.type == Tok::op) {
      const auto t = tok_.text;
      if (t == "==") return CmpOp::eq;
      if (t == "!=") return CmpOp::ne;
      if (t == "<") return CmpOp::lt;
      if (t == "<=") return CmpOp::le;
      if (t == ">") return CmpOp::gt;
      if (t == ">=") return CmpOp::ge;
    }
    if (tok_.type == Tok::ident) {
      const auto t = tok_.text;
      if (t == "in") return CmpOp::in;
      if (t == "not") return CmpOp::not_in;  // must be followed by "in"
      if (t == "contains") return CmpOp::contains;
      if (t == "any_in") return CmpOp::any_in;
      if (t == "all_in") return CmpOp::all_in;
      if (t == "matches") return CmpOp::matches;
      if (t == "startswith") return CmpOp::startswith;
      if (t == "endswith") return CmpOp::endswith;
    }
    return std::nullopt;
  }

  NodePtr parse_cmp(int depth) {
    auto left = parse_operand(depth + 1);
    if (!left) return nullptr;
    auto op = peek_op();
    if (!op) {
      if (tok_.type == Tok::error) return fail(tok_.offset, tok_.value);
      if (tok_.type == Tok::ident && tok_.text != "and" && tok_.text != "or") {
        return fail(tok_.offset,
                    "unknown operator '" + std::string(tok_.text) + "'" + hint_for(tok_.text));
      }
      return left;
    }
    const auto op_off = tok_.offset;
    next();
    if (*op == CmpOp::not_in) {
      if (!is_word("in")) return fail(tok_.offset, "expected 'in' after 'not'");
      next();
    }
    auto right = parse_operand(depth + 1);
    if (!right) return nullptr;
    auto n = make(Node::Kind::compare, left->offset);
    n->op = *op;
    n->op_offset = op_off;
    n->kids.push_back(std::move(left));
    n->kids.push_back(std::move(right));
    if (peek_op() && !is_word("not")) {
      return fail(tok_.offset, "comparisons do not chain; join them with 'and' or 'or'");
    }
    return n;
  }

  NodePtr parse_literal() {
    const auto off = tok_.offset;
    switch (tok_.type) {
      case Tok::string: {
        auto n = make(Node::Kind::string, off);
        n->text = tok_.value;
        next();
        return n;
      }
      case Tok::number: {
        double v = 0;
        const auto t = tok_.text;
        const char* first = t.data();
        if (!t.empty() && t[0] == '+') ++first;
        auto [p, ec] = std::from_chars(first, t.data() + t.size(), v);
        if (ec != std::errc() || p != t.data() + t.size()) {
          return fail(off, "invalid number '" + std::string(t) + "'");
        }
        auto n = make(Node::Kind::number, off);
        n->number = v;
        n->text = std::string(t);
        next();
        return n;
      }
      case Tok::ident:
        if (tok_.text == "true" || tok_.text == "false") {
          auto n = make(Node::Kind::boolean, off);
          n->boolean = tok_.text == "true";
          next();
          return n;
        }
        [[fallthrough]];
      default:
        return fail(off, "expected a literal in a list, found " + describe(tok_));
    }
  }

  NodePtr parse_operand(int depth) {
    if (depth > kMaxDepth) return fail(tok_.offset, "condition nested too deeply");
    const auto off = tok_.offset;
    switch (tok_.type) {
      case Tok::error:
        return fail(off, tok_.value);
      case Tok::end:
        return fail(off, "unexpected end of condition");
      case Tok::string:
      case Tok::number:
        return parse_literal();
      case Tok::lparen: {
        next();
        auto inner = parse_or(depth + 1);
        if (!inner) return nullptr;
        if (tok_.type != Tok::rparen) return fail(tok_.offset, "expected ')'");
        next();
        return inner;
      }
      case Tok::lbracket: {
        next();
        auto n = make(Node::Kind::list, off);
        while (tok_.type != Tok::rbracket) {
          auto item = parse_literal();
          if (!item) return nullptr;
          n->kids.push_back(std::move(item));
          if (tok_.type == Tok::comma) {
            next();
          } else if (tok_.type != Tok::rbracket) {
            return fail(tok_.offset, "expected ',' or ']' in list");
          }
        }
        next();
        return n;
      }
      case Tok::ident: {
        if (tok_.text == "true" || tok_.text == "false") return parse_literal();
        if (tok_.text == "and" || tok_.text == "or" || tok_.text == "in") {
          return fail(off, "expected a value before '" + std::string(tok_.text) + "'");
        }
        std::string path(tok_.text);
        next();
        if (tok_.type == Tok::lparen) {
          next();
          auto n = make(Node::Kind::call, off);
          n->text = std::move(path);
          while (tok_.type != Tok::rparen) {
            auto arg = parse_or(depth + 1);
            if (!arg) return nullptr;
            n->kids.push_back(std::move(arg));
            if (tok_.type == Tok::comma) {
              next();
            } else if (tok_.type != Tok::rparen) {
              return fail(tok_.offset, "expected ',' or ')' in call");
            }
          }
          next();
          return n;
        }
        while (tok_.type == Tok::dot) {
          next();
          if (tok_.type != Tok::ident) return fail(tok_.offset, "expected a name after '.'");
          path += '.';
          path += tok_.text;
          next();
        }
        auto n = make(Node::Kind::name, off);
        n->text = std::move(path);
        return n;
      }
      default:
        return fail(off, "unexpected " + describe(tok_));
    }
  }

  std::string_view src_;
  ParseError& error_;
  std::size_t pos_ = 0;
  Token tok_;
  bool failed_ = false;
};

}  // namespace

NodePtr parse(std::string_view text, ParseError& error) {
  Parser p(text, error);
  return p.parse_all();
}

}  // namespace flashpoint::expr
