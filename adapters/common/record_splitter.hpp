// RecordSplitter: cuts a byte stream, fed in arbitrary chunks, into records
// that end at a line feed, for the GDELT, SIPRI and ACLED decoders.
//
// A record is handed out as a view that is valid only during the callback:
// it points into the caller's chunk when the record lies wholly inside it,
// otherwise into the splitter's own buffer. A trailing '\r' is dropped. In
// CSV mode a line feed inside a double-quoted field (RFC 4180) does not end
// the record; a quote opens a quoted field only at the start of a field, so a
// stray quote inside an unquoted field is plain text. Records longer than the
// limit are never buffered whole: the first `max_record` bytes are kept and
// the record is flagged `oversized`.
//
// Thread-safety: one instance per feed, used from one thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "flashpoint/adapters/decoder.hpp"

namespace flashpoint::adapters {

struct RawRecord {
  std::string_view bytes;           // without the line feed (and without a final '\r')
  Position pos;                     // line of the first byte; offset just past the record
  std::uint64_t lines = 1;          // physical lines the record spans
  bool oversized = false;           // longer than max_record; `bytes` is a prefix
  bool unterminated_quote = false;  // CSV mode: input ended inside quotes
};

class RecordSplitter {
 public:
  RecordSplitter(std::size_t max_record, bool csv_quotes)
      : max_record_(max_record), csv_(csv_quotes) {}

  // Calls `on_record(const RawRecord&)` for every record completed by `chunk`.
  template <typename F>
  void feed(std::string_view chunk, F&& on_record) {
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    while (p < end) {
      const char* nl = csv_ ? scan_csv(p, end) : find_newline(p, end);
      if (nl == nullptr) {
        buffer(std::string_view(p, static_cast<std::size_t>(end - p)));
        offset_ += static_cast<std::uint64_t>(end - p);
        return;
      }
      const std::string_view piece(p, static_cast<std::size_t>(nl - p));
      offset_ += piece.size() + 1;
      if (partial_.empty() && !oversized_) {
        emit(piece, false, on_record);
      } else {
        buffer(piece);
        emit(partial_, false, on_record);
      }
      p = nl + 1;
    }
  }

  // End of input: hands out a final record that has no line feed.
  template <typename F>
  void finish(F&& on_record) {
    if (!partial_.empty() || oversized_) emit(partial_, in_quotes_, on_record);
    in_quotes_ = just_closed_ = false;
    field_start_ = true;
  }

  [[nodiscard]] std::uint64_t offset() const { return offset_; }

 private:
  static const char* find_newline(const char* p, const char* end) {
    return static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
  }

  // Advances the quote state over [p, end); returns the line feed that ends
  // the record, or nullptr. Line feeds inside quotes are counted.
  const char* scan_csv(const char* p, const char* end) {
    for (; p < end; ++p) {
      const char c = *p;
      if (in_quotes_) {
        if (c == '"') {
          in_quotes_ = false;
          just_closed_ = true;
          continue;
        }
        if (c == '\n') ++newlines_;
        continue;
      }
      if (c == '"' && (field_start_ || just_closed_)) {
        in_quotes_ = true;  // an opening quote, or the second half of ""
        field_start_ = just_closed_ = false;
        continue;
      }
      just_closed_ = false;
      if (c == '\n') {
        field_start_ = true;
        return p;
      }
      field_start_ = (c == ',');
    }
    return nullptr;
  }

  void buffer(std::string_view bytes) {
    if (oversized_) return;
    // Room for max_record bytes plus a '\r' that may precede the line feed.
    const std::size_t limit = max_record_ < SIZE_MAX ? max_record_ + 1 : max_record_;
    const std::size_t room = limit - std::min(partial_.size(), limit);
    if (bytes.size() <= room) {
      partial_.append(bytes);
      return;
    }
    partial_.append(bytes.substr(0, room));
    partial_.resize(max_record_);
    oversized_ = true;
  }

  template <typename F>
  void emit(std::string_view bytes, bool unterminated, F& on_record) {
    RawRecord rec;
    rec.oversized = oversized_;
    if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
    if (bytes.size() > max_record_) {
      rec.oversized = true;
      bytes = bytes.substr(0, max_record_);
    }
    rec.bytes = bytes;
    rec.pos = {line_ + 1, offset_};
    rec.lines = newlines_ + 1;
    rec.unterminated_quote = unterminated;
    line_ += rec.lines;
    newlines_ = 0;
    on_record(static_cast<const RawRecord&>(rec));
    partial_.clear();
    oversized_ = false;
  }

  std::size_t max_record_;
  bool csv_;
  std::string partial_;         // bytes of the unfinished record
  bool oversized_ = false;      // the unfinished record passed the limit
  bool in_quotes_ = false;      // CSV: inside a quoted field
  bool field_start_ = true;     // CSV: the next byte starts a field
  bool just_closed_ = false;    // CSV: the previous byte closed a quoted field
  std::uint64_t newlines_ = 0;  // CSV: line feeds inside quotes in the record
  std::uint64_t line_ = 0;      // physical lines completed before the record
  std::uint64_t offset_ = 0;    // bytes consumed
};

}  // namespace flashpoint::adapters
