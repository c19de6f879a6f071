// ACLED CSV decoder (see acled_decoder.hpp).
#include "acled/acled_decoder.hpp"

#include <array>
#include <charconv>
#include <string>
#include <vector>

#include "acled/acled_row.hpp"
#include "common/record_splitter.hpp"
#include "common/text.hpp"

namespace flashpoint::adapters {
namespace {

constexpr std::size_t kMaxFields = 256;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

void append_u64(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
}

// Splits one RFC 4180 record into fields. Quoted fields are unescaped into
// `storage` (reserved to the record's size first, so the views stay valid);
// text after a closing quote up to the next comma is kept. Returns the number
// of fields, of which at most out.size() are stored.
std::size_t split_csv(std::string_view rec, std::span<std::string_view> out, std::string& storage) {
  storage.clear();
  storage.reserve(rec.size());
  std::size_t n = 0;
  std::size_t i = 0;
  for (;;) {
    std::string_view field;
    if (i < rec.size() && rec[i] == '"') {
      const std::size_t start = storage.size();
      ++i;
      while (i < rec.size()) {
        if (rec[i] == '"') {
          if (i + 1 < rec.size() && rec[i + 1] == '"') {
            storage.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        storage.push_back(rec[i++]);
      }
      while (i < rec.size() && rec[i] != ',') storage.push_back(rec[i++]);
      field = std::string_view(storage.data() + start, storage.size() - start);
    } else {
      const std::size_t comma = rec.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? rec.size() : comma;
      field = rec.substr(i, end - i);
      i = end;
    }
    if (n < out.size()) out[n] = field;
    ++n;
    if (i >= rec.size()) return n;
    ++i;                    // the comma
    if (i == rec.size()) {  // a trailing comma: one more, empty field
      if (n < out.size()) out[n] = {};
      return n + 1;
    }
  }
}

class AcledDecoder final : public Decoder {
 public:
  explicit AcledDecoder(const DecoderOptions& options)
      : options_(options), splitter_(options.max_record, true) {}

  void feed(std::string_view chunk, DecodeSink& sink) override {
    splitter_.feed(chunk, [&](const RawRecord& rec) { on_record(rec, sink); });
  }

  void finish(DecodeSink& sink) override {
    splitter_.finish([&](const RawRecord& rec) { on_record(rec, sink); });
  }

 private:
  void on_record(const RawRecord& rec, DecodeSink& sink);
  bool on_header(std::size_t count);
  void dead_letter(const RawRecord& rec, DecodeSink& sink) {
    sink.on_dead_letter(DeadLetter{options_.feed, rec.pos, reason_, rec.bytes});
  }

  DecoderOptions options_;
  RecordSplitter splitter_;
  acled::Columns columns_;
  acled::RowMapper mapper_;
  bool header_seen_ = false;
  std::string bad_header_;  // set when the header line is unusable
  std::string first_name_;  // the header's first column name, to spot repeats
  std::array<std::string_view, kMaxFields> fields_{};
  std::string storage_;
  std::string repaired_;
  std::string reason_;
};

void AcledDecoder::on_record(const RawRecord& rec, DecodeSink& sink) {
  if (rec.oversized) {
    reason_.assign("record exceeds the size limit of ");
    append_u64(reason_, options_.max_record);
    reason_.append(" bytes");
    dead_letter(rec, sink);
    return;
  }
  if (rec.unterminated_quote) {
    reason_.assign("input ends inside a quoted field");
    dead_letter(rec, sink);
    return;
  }
  std::string_view row = rec.bytes;
  if (rec.pos.line == 1 && row.substr(0, kBom.size()) == kBom) row.remove_prefix(kBom.size());
  if (text::trim(row).empty()) return;
  if (!text::valid_utf8(row)) {
    repaired_.clear();
    text::append_repaired_utf8(row, repaired_);
    row = repaired_;
  }
  const std::size_t count = split_csv(row, fields_, storage_);
  if (count > kMaxFields) {
    reason_.assign("record has more than ");
    append_u64(reason_, kMaxFields);
    reason_.append(" fields");
    dead_letter(rec, sink);
    return;
  }
  if (!header_seen_) {
    header_seen_ = true;
    if (!on_header(count)) dead_letter(rec, sink);
    return;
  }
  if (!bad_header_.empty()) {
    reason_.assign(bad_header_);
    dead_letter(rec, sink);
    return;
  }
  if (text::trim(fields_[0]) == first_name_) return;  // the header again
  if (count != columns_.count) {
    reason_.assign("row has ");
    append_u64(reason_, count);
    reason_.append(" fields, the header has ");
    append_u64(reason_, columns_.count);
    dead_letter(rec, sink);
    return;
  }
  const std::span<const std::string_view> fields(fields_.data(), count);
  if (mapper_.map(fields, columns_, options_.feed, reason_)) {
    sink.on_event(mapper_.event(), rec.pos);
  } else {
    dead_letter(rec, sink);
  }
}

bool AcledDecoder::on_header(std::size_t count) {
  const std::span<const std::string_view> names(fields_.data(), count);
  if (acled::parse_columns(names, columns_, reason_)) {
    first_name_.assign(text::trim(fields_[0]));
    return true;
  }
  bad_header_.assign("no usable ACLED header: ").append(reason_);
  reason_.assign(bad_header_);
  return false;
}

}  // namespace

std::unique_ptr<Decoder> make_acled_decoder(const DecoderOptions& options) {
  return std::make_unique<AcledDecoder>(options);
}

}  // namespace flashpoint::adapters
