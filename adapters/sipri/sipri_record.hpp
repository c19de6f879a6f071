// SIPRI trade register records: the header (column positions found by name)
// and the mapping of one deal line onto an `arms_transfer` Event. Used by the
// SIPRI decoder, which handles lines, encodings and broken records.
//
// Thread-safety: a RecordMapper is owned by one decoder and used from one
// thread; parse_header is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/json_render.hpp"
#include "flashpoint/engine/event.hpp"

namespace flashpoint::adapters::sipri {

inline constexpr int kNoColumn = -1;

// Column indexes of the trade register header; a `?` flag column is the
// unnamed column right after the one it qualifies.
struct Header {
  std::size_t columns = 0;
  int recipient = kNoColumn;
  int supplier = kNoColumn;
  int order_year = kNoColumn;
  int order_year_flag = kNoColumn;
  int ordered = kNoColumn;
  int ordered_flag = kNoColumn;
  int designation = kNoColumn;
  int description = kNoColumn;
  int delivered = kNoColumn;
  int delivered_flag = kNoColumn;
  int delivery_years = kNoColumn;
  int status = kNoColumn;
  int comments = kNoColumn;
  int tiv_unit = kNoColumn;
  int tiv_order = kNoColumn;
  int tiv_delivered = kNoColumn;
};

// True when `line` is a trade register header, with `header` filled. False
// with `reason` empty for any other line; false with a reason for a header
// line that lacks a required column.
bool parse_header(std::string_view line, Header& header, std::string& reason);

class RecordMapper {
 public:
  // `Data generated: ...` from the preamble, kept as attrs.export_date.
  void set_export_date(std::string_view date) { export_date_.assign(date); }

  // Maps one record (UTF-8, at least header.columns fields; extra commas
  // belong to Comments) into event(). False with `reason` set when the
  // record cannot be an event.
  bool map(std::string_view line, const Header& header, std::string_view feed, std::string& reason);

  // The last mapped event, with `raw` set; valid until the next map().
  [[nodiscard]] const Event& event() const { return event_; }

 private:
  std::string_view column(int index) const;
  void set_id(std::string_view recipient, std::string_view supplier, std::string_view year,
              std::string_view designation);
  void set_party(StrField field, std::string_view attr_prefix, std::string_view name);
  void set_quantities(const Header& h);
  void set_comment_facts(std::string_view comments);

  Event event_;
  JsonRenderer renderer_;
  std::vector<std::string_view> fields_;                   // by header column
  std::vector<std::string_view> split_;                    // as split at commas
  std::unordered_map<std::uint64_t, std::uint32_t> seen_;  // id key -> occurrences
  std::string export_date_;
  std::string key_;
  std::string scratch_;
};

}  // namespace flashpoint::adapters::sipri
