// JSON Lines decoder (see jsonl_decoder.hpp), on simdjson's On-Demand API.
#include "jsonl/jsonl_decoder.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <utility>

namespace flashpoint::adapters {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr std::size_t kMinParserCapacity = 4096;
constexpr std::size_t kMaxSnippet = 64;  // bytes of a value quoted in a reason

// Field ids for the required-field bookkeeping.
constexpr unsigned kSeenId = 1U;
constexpr unsigned kSeenTime = 2U;
constexpr unsigned kSeenKind = 4U;

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return is_space(c); });
}

// A word with the high bit set in each byte where `word` holds `c` (exact for
// the lowest such byte, which is the only one used).
constexpr std::uint64_t byte_matches(std::uint64_t word, char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const std::uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));
  return (x - kOnes) & ~x & kHighs;
}

// Buffer sizes grow in powers of two, so a warm decoder stops reallocating.
std::size_t round_up_pow2(std::size_t n) {
  std::size_t p = kMinParserCapacity;
  while (p < n && p <= std::numeric_limits<std::size_t>::max() / 2) p *= 2;
  return std::max(p, n);
}

// Appends `s` for a one-line reason: control bytes escaped, long text cut
// (on a UTF-8 boundary) and marked with "...".
void append_snippet(std::string& out, std::string_view s) {
  const bool cut = s.size() > kMaxSnippet;
  if (cut) {
    std::size_t n = kMaxSnippet;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0U) == 0x80U) --n;
    s = s.substr(0, n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out.push_back(kHex[u >> 4U]);
      out.push_back(kHex[u & 0xFU]);
    } else {
      out.push_back(c);
    }
  }
  if (cut) out += "...";
}

// True when `line` holds one balanced JSON object followed by more
// non-blank text. Only used to name an error once simdjson has failed.
bool has_trailing_content(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  if (i == line.size() || line[i] != '{') return false;
  int depth = 0;
  bool in_string = false;
  for (; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return !is_blank(line.substr(i + 1));
    }
  }
  return false;
}

}  // namespace

class JsonlDecoder::Impl {
 public:
  explicit Impl(DecoderOptions options) : options_(std::move(options)) {}

  void feed(std::string_view chunk, DecodeSink& sink);
  void finish(DecodeSink& sink);

 private:
  void buffer(std::string_view bytes);
  void on_line(std::string_view line, DecodeSink& sink);
  void emit_oversize(std::string_view prefix, DecodeSink& sink);
  void emit_dead_letter(std::string_view raw, DecodeSink& sink);
  void decode(std::string_view line, DecodeSink& sink);

  const char* plain_string_end(const char* start) const;
  error_code read_key(od::field& field, std::string_view& key) const;
  // The string is valid until the next read_string call.
  error_code read_string(od::value& value, std::string_view& out);

  // Parsing steps: each returns false with reason_ set.
  bool parse_document(const std::string& line);
  void check_syntax(const std::string& line);
  bool parse_field(std::string_view key, od::value& value);
  bool parse_id_number(od::value& value);
  bool parse_list(std::string_view key, od::value& value, od::json_type type,
                  std::vector<std::string>& out);
  bool parse_attrs(od::value& value, od::json_type type);
  bool parse_attr(std::string_view prefix, std::string_view key, od::value& value,
                  od::json_type type);

  bool fail_json(error_code error);
  bool fail_type(std::string_view prefix, std::string_view key, std::string_view expected);
  bool fail(std::string_view prefix, std::string_view key, std::string_view what);

  Position position() const { return {line_, offset_}; }

  DecoderOptions options_;
  od::parser parser_;
  std::unique_ptr<simdjson::dom::parser> validator_;  // made on the first bad line
  const char* doc_end_ = nullptr;                     // end of the line being parsed
  std::unique_ptr<std::uint8_t[]> unescape_buf_;      // strings with escapes
  std::size_t unescape_cap_ = 0;
  std::string partial_;      // bytes of an unfinished line
  bool discarding_ = false;  // the unfinished line is over the limit
  std::uint64_t line_ = 0;   // lines seen (the current line's number)
  std::uint64_t offset_ = 0;
  Event own_;  // the event filled, unless the sink gives one
  Event* event_ = &own_;
  unsigned seen_ = 0;
  std::string reason_;
};

void JsonlDecoder::Impl::feed(std::string_view chunk, DecodeSink& sink) {
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  while (p < end) {
    const auto rest = static_cast<std::size_t>(end - p);
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', rest));
    if (nl == nullptr) {
      buffer({p, rest});
      offset_ += rest;
      return;
    }
    const std::string_view piece(p, static_cast<std::size_t>(nl - p));
    offset_ += piece.size() + 1;
    ++line_;
    if (partial_.empty() && !discarding_) {
      on_line(piece, sink);
    } else {
      buffer(piece);
      if (discarding_) {
        emit_oversize(partial_, sink);
      } else {
        on_line(partial_, sink);
      }
      partial_.clear();
      discarding_ = false;
    }
    p = nl + 1;
  }
}

void JsonlDecoder::Impl::finish(DecodeSink& sink) {
  if (discarding_ || !partial_.empty()) {
    ++line_;
    if (discarding_) {
      emit_oversize(partial_, sink);
    } else {
      on_line(partial_, sink);
    }
  }
  partial_.clear();
  discarding_ = false;
}

// Keeps at most max_record + 1 bytes (room for a '\r' before the '\n'); past
// that the line is known to be too long and the rest of it is dropped.
void JsonlDecoder::Impl::buffer(std::string_view bytes) {
  if (discarding_) return;
  const std::size_t max = options_.max_record;
  const std::size_t limit = max == std::numeric_limits<std::size_t>::max() ? max : max + 1;
  if (bytes.size() <= limit - partial_.size()) {
    partial_.append(bytes);
    return;
  }
  if (partial_.size() < max) partial_.append(bytes.substr(0, max - partial_.size()));
  partial_.resize(std::min(partial_.size(), max));
  discarding_ = true;
}

void JsonlDecoder::Impl::on_line(std::string_view line, DecodeSink& sink) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > options_.max_record) {
    emit_oversize(line.substr(0, options_.max_record), sink);
  } else if (line.empty() || (line.front() != '{' && is_blank(line))) {
    return;
  } else {
    decode(line, sink);
  }
}

void JsonlDecoder::Impl::emit_oversize(std::string_view prefix, DecodeSink& sink) {
  reason_.assign("line exceeds ");
  std::array<char, 24> digits{};
  const auto r = std::to_chars(digits.data(), digits.data() + digits.size(), options_.max_record);
  reason_.append(digits.data(), r.ptr);
  reason_.append(" bytes");
  emit_dead_letter(prefix, sink);
}

void JsonlDecoder::Impl::emit_dead_letter(std::string_view raw, DecodeSink& sink) {
  const DeadLetter dl{options_.feed, position(), reason_, raw};
  sink.on_dead_letter(dl);
}

// The line is parsed in place in Event::raw, whose spare capacity provides
// simdjson's padding (its first byte is the string's terminating NUL, so the
// parser never mistakes stale bytes for a closing brace).
void JsonlDecoder::Impl::decode(std::string_view line, DecodeSink& sink) {
  Event* buffer = sink.event_buffer();
  event_ = buffer != nullptr ? buffer : &own_;
  event_->clear();
  std::string& raw = event_->raw;
  const std::size_t need = line.size() + simdjson::SIMDJSON_PADDING;
  if (raw.capacity() < need) raw.reserve(round_up_pow2(need));
  raw.assign(line);
  if (!parse_document(raw)) {
    check_syntax(raw);
    emit_dead_letter(raw, sink);
    return;
  }
  if (!event_->has(StrField::source)) event_->set(StrField::source, options_.feed);
  sink.on_event(*event_, position());
}

// On-Demand parsing stops at the first problem it meets, so a line that is
// both malformed and mistyped may have failed on the type. Malformed JSON is
// the better reason: validate the whole line (off the hot path) to tell.
void JsonlDecoder::Impl::check_syntax(const std::string& line) {
  if (!validator_) validator_ = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::element root;
  const error_code err = validator_->parse(line.data(), line.size(), false).get(root);
  if (err == simdjson::SUCCESS) return;
  if (has_trailing_content(line)) {
    reason_.assign("trailing content after the JSON object");
  } else {
    fail_json(err);
  }
}

bool JsonlDecoder::Impl::parse_document(const std::string& line) {
  doc_end_ = line.data() + line.size();
  if (parser_.capacity() < line.size()) {
    if (const error_code err = parser_.allocate(round_up_pow2(line.size()))) return fail_json(err);
  }

  od::document doc;
  if (const error_code err = parser_.iterate(line.data(), line.size(), line.capacity()).get(doc)) {
    return fail_json(err);
  }
  od::json_type root_type{};
  if (const error_code err = doc.type().get(root_type)) return fail_json(err);
  if (root_type != od::json_type::object) {
    reason_.assign("not a JSON object");
    return false;
  }
  od::object object;
  if (const error_code err = doc.get_object().get(object)) {
    if (has_trailing_content(line)) {
      reason_.assign("trailing content after the JSON object");
      return false;
    }
    return fail_json(err);
  }

  seen_ = 0;
  for (auto field_result : object) {
    if (const error_code err = field_result.error()) return fail_json(err);
    od::field& field = field_result.value_unsafe();
    std::string_view key;
    if (const error_code err = read_key(field, key)) return fail_json(err);
    if (!parse_field(key, field.value())) return false;
  }
  if (!doc.current_location().error()) {
    reason_.assign("trailing content after the JSON object");
    return false;
  }

  if ((seen_ & kSeenId) == 0) return fail("missing required field '", "id", "'");
  if ((seen_ & kSeenTime) == 0) return fail("missing required field '", "time", "'");
  if ((seen_ & kSeenKind) == 0) return fail("missing required field '", "kind", "'");
  return true;
}

// Keys and strings without escapes (the usual case) are used in place, found
// by a scan for the closing quote; others are unescaped by simdjson.
const char* JsonlDecoder::Impl::plain_string_end(const char* start) const {
  for (const char* p = start; p < doc_end_; p += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, sizeof word);  // the padding after the line makes this safe
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    const std::uint64_t hits = byte_matches(word, '"') | byte_matches(word, '\\');
    if (hits == 0) continue;
    const char* stop = p + std::countr_zero(hits) / 8;
    return stop < doc_end_ && *stop == '"' ? stop : nullptr;
  }
  return nullptr;
}

error_code JsonlDecoder::Impl::read_key(od::field& field, std::string_view& key) const {
  const char* start = field.key().raw();
  if (const char* end = plain_string_end(start)) {
    key = {start, static_cast<std::size_t>(end - start)};
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(key);
}

error_code JsonlDecoder::Impl::read_string(od::value& value, std::string_view& out) {
  od::raw_json_string raw;
  if (const error_code err = value.get_raw_json_string().get(raw)) return err;
  const char* start = raw.raw();
  if (const char* end = plain_string_end(start)) {
    out = {start, static_cast<std::size_t>(end - start)};
    return simdjson::SUCCESS;
  }
  // Unescaping never lengthens a string, so the line's size plus padding is enough.
  const auto need = static_cast<std::size_t>(doc_end_ - start) + simdjson::SIMDJSON_PADDING;
  if (unescape_cap_ < need) {
    unescape_cap_ = round_up_pow2(need);
    unescape_buf_ = std::make_unique<std::uint8_t[]>(unescape_cap_);
  }
  std::uint8_t* dst = unescape_buf_.get();
  return parser_.unescape(raw, dst).get(out);
}

bool JsonlDecoder::Impl::parse_field(std::string_view key, od::value& value) {
  od::json_type type{};
  if (const error_code err = value.type().get(type)) return fail_json(err);
  if (type == od::json_type::null) {
    bool is_null = false;
    if (const error_code err = value.is_null().get(is_null)) return fail_json(err);
    return true;  // null is absence, for schema fields and attrs alike
  }

  const std::optional<FieldInfo> info = lookup_field(key);
  if (!info) {
    if (key == "attrs") return parse_attrs(value, type);
    return parse_attr("", key, value, type);
  }

  switch (info->type) {
    case FieldInfo::Type::string: {
      const auto f = static_cast<StrField>(info->slot);
      if (type != od::json_type::string) {
        if (f == StrField::id) {
          if (type == od::json_type::number) return parse_id_number(value);
          return fail_type("", key, "a string or an integer");
        }
        return fail_type("", key, "a string");
      }
      std::string_view s;
      if (const error_code err = read_string(value, s)) return fail_json(err);
      if (f == StrField::id || f == StrField::kind) {
        if (s.empty()) return fail("field '", key, "' must not be empty");
        seen_ |= f == StrField::id ? kSeenId : kSeenKind;
      }
      event_->set(f, s);
      return true;
    }
    case FieldInfo::Type::time: {
      if (type != od::json_type::string) return fail_type("", key, "a string");
      std::string_view s;
      if (const error_code err = read_string(value, s)) return fail_json(err);
      const std::optional<TimeUs> t = parse_time(s);
      if (!t) {
        reason_.assign("field 'time': invalid RFC 3339 timestamp '");
        append_snippet(reason_, s);
        reason_.push_back('\'');
        return false;
      }
      event_->time = *t;
      seen_ |= kSeenTime;
      return true;
    }
    case FieldInfo::Type::number: {
      if (type != od::json_type::number) return fail_type("", key, "a number");
      double d = 0;
      if (const error_code err = value.get_double().get(d)) return fail_json(err);
      event_->set(static_cast<NumField>(info->slot), d);
      return true;
    }
    case FieldInfo::Type::boolean: {
      if (type != od::json_type::boolean) return fail_type("", key, "a bool");
      bool b = false;
      if (const error_code err = value.get_bool().get(b)) return fail_json(err);
      event_->set(static_cast<BoolField>(info->slot), b);
      return true;
    }
    case FieldInfo::Type::list: {
      auto& list = event_->list_mut(static_cast<ListField>(info->slot));
      list.clear();
      return parse_list(key, value, type, list);
    }
  }
  return true;
}

bool JsonlDecoder::Impl::parse_id_number(od::value& value) {
  od::number_type nt{};
  if (const error_code err = value.get_number_type().get(nt)) return fail_json(err);
  std::array<char, 24> digits{};
  std::to_chars_result r{};
  if (nt == od::number_type::signed_integer) {
    std::int64_t v = 0;
    if (const error_code err = value.get_int64().get(v)) return fail_json(err);
    r = std::to_chars(digits.data(), digits.data() + digits.size(), v);
  } else if (nt == od::number_type::unsigned_integer) {
    std::uint64_t v = 0;
    if (const error_code err = value.get_uint64().get(v)) return fail_json(err);
    r = std::to_chars(digits.data(), digits.data() + digits.size(), v);
  } else {
    return fail_type("", "id", "a string or an integer");
  }
  event_->set(StrField::id, {digits.data(), static_cast<std::size_t>(r.ptr - digits.data())});
  seen_ |= kSeenId;
  return true;
}

bool JsonlDecoder::Impl::parse_list(std::string_view key, od::value& value, od::json_type type,
                                    std::vector<std::string>& out) {
  if (type != od::json_type::array) return fail_type("", key, "a list of strings");
  od::array array;
  if (const error_code err = value.get_array().get(array)) return fail_json(err);
  for (auto element_result : array) {
    if (const error_code err = element_result.error()) return fail_json(err);
    od::value& element = element_result.value_unsafe();
    od::json_type element_type{};
    if (const error_code err = element.type().get(element_type)) return fail_json(err);
    if (element_type != od::json_type::string) return fail_type("", key, "a list of strings");
    std::string_view s;
    if (const error_code err = read_string(element, s)) return fail_json(err);
    out.emplace_back(s);
  }
  return true;
}

bool JsonlDecoder::Impl::parse_attrs(od::value& value, od::json_type type) {
  if (type != od::json_type::object) return fail_type("", "attrs", "an object");
  od::object object;
  if (const error_code err = value.get_object().get(object)) return fail_json(err);
  for (auto field_result : object) {
    if (const error_code err = field_result.error()) return fail_json(err);
    od::field& field = field_result.value_unsafe();
    std::string_view key;
    if (const error_code err = read_key(field, key)) return fail_json(err);
    od::value& v = field.value();
    od::json_type t{};
    if (const error_code err = v.type().get(t)) return fail_json(err);
    if (t == od::json_type::null) {
      bool is_null = false;
      if (const error_code err = v.is_null().get(is_null)) return fail_json(err);
      continue;
    }
    if (!parse_attr("attrs.", key, v, t)) return false;
  }
  return true;
}

bool JsonlDecoder::Impl::parse_attr(std::string_view prefix, std::string_view key, od::value& value,
                                    od::json_type type) {
  static constexpr std::string_view kAttrTypes = "a string, number, bool or list of strings";
  switch (type) {
    case od::json_type::string: {
      std::string_view s;
      if (const error_code err = read_string(value, s)) return fail_json(err);
      AttrValue& a = event_->attr_mut(key);
      a.str.assign(s);
      return true;
    }
    case od::json_type::number: {
      double d = 0;
      if (const error_code err = value.get_double().get(d)) return fail_json(err);
      AttrValue& a = event_->attr_mut(key);
      a.type = AttrValue::Type::number;
      a.num = d;
      return true;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (const error_code err = value.get_bool().get(b)) return fail_json(err);
      AttrValue& a = event_->attr_mut(key);
      a.type = AttrValue::Type::boolean;
      a.boolean = b;
      return true;
    }
    case od::json_type::array: {
      AttrValue& a = event_->attr_mut(key);
      a.type = AttrValue::Type::list;
      od::array array;
      if (const error_code err = value.get_array().get(array)) return fail_json(err);
      for (auto element_result : array) {
        if (const error_code err = element_result.error()) return fail_json(err);
        od::value& element = element_result.value_unsafe();
        od::json_type element_type{};
        if (const error_code err = element.type().get(element_type)) return fail_json(err);
        if (element_type != od::json_type::string) return fail_type(prefix, key, kAttrTypes);
        std::string_view s;
        if (const error_code err = read_string(element, s)) return fail_json(err);
        a.list.emplace_back(s);
      }
      return true;
    }
    default:
      return fail_type(prefix, key, kAttrTypes);
  }
}

bool JsonlDecoder::Impl::fail_json(error_code error) {
  reason_.assign("invalid JSON: ");
  reason_.append(simdjson::error_message(error));
  return false;
}

bool JsonlDecoder::Impl::fail_type(std::string_view prefix, std::string_view key,
                                   std::string_view expected) {
  reason_.assign("field '");
  reason_.append(prefix);
  append_snippet(reason_, key);
  reason_.append("' must be ");
  reason_.append(expected);
  return false;
}

bool JsonlDecoder::Impl::fail(std::string_view prefix, std::string_view key,
                              std::string_view what) {
  reason_.assign(prefix);
  append_snippet(reason_, key);
  reason_.append(what);
  return false;
}

JsonlDecoder::JsonlDecoder(DecoderOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

JsonlDecoder::~JsonlDecoder() = default;

void JsonlDecoder::feed(std::string_view chunk, DecodeSink& sink) { impl_->feed(chunk, sink); }

void JsonlDecoder::finish(DecodeSink& sink) { impl_->finish(sink); }

}  // namespace flashpoint::adapters
