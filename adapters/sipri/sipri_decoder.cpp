// SIPRI trade register decoder (see sipri_decoder.hpp).
#include "sipri/sipri_decoder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "common/record_splitter.hpp"
#include "common/text.hpp"
#include "sipri/sipri_record.hpp"

namespace flashpoint::adapters {
namespace {

constexpr std::size_t kMaxPreambleLines = 32;
constexpr std::size_t kMaxJoinedLines = 4;
constexpr std::ptrdiff_t kMinDataCommas = 10;  // a line with this many commas is not preamble

void append_u64(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
}

class SipriDecoder final : public Decoder {
 public:
  explicit SipriDecoder(const DecoderOptions& options)
      : options_(options), splitter_(options.max_record, false) {}

  void feed(std::string_view chunk, DecodeSink& sink) override {
    splitter_.feed(chunk, [&](const RawRecord& rec) { on_line(rec, sink); });
  }

  void finish(DecodeSink& sink) override {
    splitter_.finish([&](const RawRecord& rec) { on_line(rec, sink); });
    if (!pending_.empty()) {
      reason_.assign("record ends after ");
      append_u64(reason_, pending_fields_);
      reason_.append(" of ");
      append_u64(reason_, header_.columns);
      reason_.append(" fields (a line break the next line does not complete)");
      dead_letter(pending_pos_, pending_, sink);
      pending_.clear();
    }
    if (!header_found_ && bad_header_.empty() && preamble_lines_ > 0 &&
        preamble_lines_ <= kMaxPreambleLines) {
      reason_.assign("no SIPRI trade-register header ('Recipient,Supplier,Year of order,...')");
      dead_letter(Position{1, splitter_.offset()}, {}, sink);
    }
  }

 private:
  void on_line(const RawRecord& rec, DecodeSink& sink);
  void on_preamble(std::string_view line, const RawRecord& rec, DecodeSink& sink);
  void on_fields(std::string_view line, std::size_t fields, const Position& pos, DecodeSink& sink);
  void flush_pending(DecodeSink& sink);
  void dead_letter(const Position& pos, std::string_view raw, DecodeSink& sink) {
    sink.on_dead_letter(DeadLetter{options_.feed, pos, reason_, raw});
  }

  DecoderOptions options_;
  RecordSplitter splitter_;
  sipri::Header header_;
  sipri::RecordMapper mapper_;
  bool header_found_ = false;
  std::string bad_header_;  // set when the header line is unusable
  std::size_t preamble_lines_ = 0;
  std::string utf8_;     // the current line in UTF-8
  std::string pending_;  // a record broken over lines, so far (UTF-8)
  std::size_t pending_fields_ = 0;
  std::size_t pending_lines_ = 0;
  Position pending_pos_;
  std::string reason_;
};

void SipriDecoder::on_line(const RawRecord& rec, DecodeSink& sink) {
  if (rec.oversized) {
    flush_pending(sink);
    reason_.assign("record exceeds the size limit of ");
    append_u64(reason_, options_.max_record);
    reason_.append(" bytes");
    dead_letter(rec.pos, rec.bytes, sink);
    return;
  }
  std::string_view line = rec.bytes;
  if (!text::valid_utf8(line)) {
    utf8_.clear();
    text::append_latin1_as_utf8(line, utf8_);
    line = utf8_;
  }
  if (!header_found_) {
    on_preamble(line, rec, sink);
    return;
  }
  const std::size_t fields =
      static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
  if (!pending_.empty()) {
    if (pending_fields_ + fields - 1 <= header_.columns && !line.empty()) {
      pending_.append(line);
      pending_fields_ += fields - 1;
      ++pending_lines_;
      const Position pos{pending_pos_.line, rec.pos.end_offset};
      if (pending_fields_ == header_.columns) {
        const std::string joined = std::move(pending_);
        pending_.clear();
        on_fields(joined, header_.columns, pos, sink);
      } else if (pending_lines_ >= kMaxJoinedLines) {
        pending_pos_ = pos;
        flush_pending(sink);
      }
      return;
    }
    flush_pending(sink);
  }
  if (line.empty()) return;
  on_fields(line, fields, rec.pos, sink);
}

void SipriDecoder::on_preamble(std::string_view line, const RawRecord& rec, DecodeSink& sink) {
  if (!bad_header_.empty()) {
    reason_.assign(bad_header_);
    dead_letter(rec.pos, rec.bytes, sink);
    return;
  }
  if (sipri::parse_header(line, header_, reason_)) {
    header_found_ = true;
    return;
  }
  if (!reason_.empty()) {  // a header line with a defect: nothing after it can be read
    bad_header_.assign("no usable SIPRI header: ").append(reason_);
    reason_.assign(bad_header_);
    dead_letter(rec.pos, rec.bytes, sink);
    return;
  }
  ++preamble_lines_;
  if (text::istarts_with(line, "Data generated:")) {
    mapper_.set_export_date(text::trim(line.substr(15)));
  }
  if (std::count(line.begin(), line.end(), ',') >= kMinDataCommas) {
    reason_.assign("data line before the SIPRI trade-register header");
    dead_letter(rec.pos, rec.bytes, sink);
  } else if (preamble_lines_ > kMaxPreambleLines) {
    reason_.assign("not a SIPRI trade register: no header line in the first ");
    append_u64(reason_, kMaxPreambleLines);
    reason_.append(" lines");
    dead_letter(rec.pos, rec.bytes, sink);
  }
}

void SipriDecoder::on_fields(std::string_view line, std::size_t fields, const Position& pos,
                             DecodeSink& sink) {
  if (fields < header_.columns) {
    pending_.assign(line);
    pending_fields_ = fields;
    pending_lines_ = 1;
    pending_pos_ = pos;
    return;
  }
  if (mapper_.map(line, header_, options_.feed, reason_)) {
    const Event& e = mapper_.event();
    sink.on_event(e, pos);
  } else {
    dead_letter(pos, line, sink);
  }
}

void SipriDecoder::flush_pending(DecodeSink& sink) {
  if (pending_.empty()) return;
  reason_.assign("record has ");
  append_u64(reason_, pending_fields_);
  reason_.append(" fields, expected ");
  append_u64(reason_, header_.columns);
  if (pending_lines_ > 1) {
    reason_.append(" (joined ");
    append_u64(reason_, pending_lines_);
    reason_.append(" lines)");
  }
  dead_letter(pending_pos_, pending_, sink);
  pending_.clear();
}

}  // namespace

std::unique_ptr<Decoder> make_sipri_decoder(const DecoderOptions& options) {
  return std::make_unique<SipriDecoder>(options);
}

}  // namespace flashpoint::adapters
