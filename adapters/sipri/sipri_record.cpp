// SIPRI trade register records (see sipri_record.hpp). The field mapping is
// documented in docs/adapters.md.
#include "sipri/sipri_record.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "common/text.hpp"
#include "sipri/sipri_names.hpp"

namespace flashpoint::adapters::sipri {
namespace {

constexpr double kFlagConfidence = 0.85;  // confidence factor per `?` flag

struct NamedColumn {
  std::string_view name;
  int Header::*column;
  int Header::*flag;  // the `?` column that may follow, or nullptr
};

constexpr std::array kColumns = {
    NamedColumn{"Recipient", &Header::recipient, nullptr},
    NamedColumn{"Supplier", &Header::supplier, nullptr},
    NamedColumn{"Year of order", &Header::order_year, &Header::order_year_flag},
    NamedColumn{"Number ordered", &Header::ordered, &Header::ordered_flag},
    NamedColumn{"Weapon designation", &Header::designation, nullptr},
    NamedColumn{"Weapon description", &Header::description, nullptr},
    NamedColumn{"Number delivered", &Header::delivered, &Header::delivered_flag},
    NamedColumn{"Year(s) of delivery", &Header::delivery_years, nullptr},
    NamedColumn{"status", &Header::status, nullptr},
    NamedColumn{"Comments", &Header::comments, nullptr},
    NamedColumn{"SIPRI TIV per unit", &Header::tiv_unit, nullptr},
    NamedColumn{"SIPRI TIV for total order", &Header::tiv_order, nullptr},
    NamedColumn{"SIPRI TIV of delivered weapons", &Header::tiv_delivered, nullptr},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && text::istarts_with(a, b);
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// True when `word` (lower-case) occurs in `s` as a whole word.
bool has_word(std::string_view s, std::string_view word) {
  for (std::size_t i = 0; i + word.size() <= s.size(); ++i) {
    if ((i == 0 || !is_word_char(s[i - 1])) && text::istarts_with(s.substr(i), word) &&
        (i + word.size() == s.size() || !is_word_char(s[i + word.size()]))) {
      return true;
    }
  }
  return false;
}

// The first US-dollar deal value in a comment (`$572 m`, `$1.2 b`), or 0.
double dollar_value(std::string_view s) {
  for (std::size_t i = s.find('$'); i != std::string_view::npos; i = s.find('$', i + 1)) {
    std::size_t j = i + 1;
    while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) ++j;
    const auto amount = text::parse_number(s.substr(i + 1, j - i - 1));
    while (j < s.size() && s[j] == ' ') ++j;
    if (!amount || j >= s.size() || (j + 1 < s.size() && is_word_char(s[j + 1]))) continue;
    if (s[j] == 'm') return *amount * 1e6;
    if (s[j] == 'b') return *amount * 1e9;
  }
  return 0;
}

void append_hex(std::string& out, std::uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(v >> shift) & 0xFU]);
}

}  // namespace

bool parse_header(std::string_view line, Header& header, std::string& reason) {
  reason.clear();
  if (text::istarts_with(line, "SIPRI AT Database ID,") || text::istarts_with(line, "Deal ID;")) {
    reason.assign(
        "the per-delivery-year SIPRI export is not supported; export the trade register instead");
    return false;
  }
  if (!text::istarts_with(line, "Recipient,") && !text::istarts_with(line, "Supplier,")) {
    return false;
  }
  header = Header{};
  std::array<std::string_view, 128> names{};
  header.columns = text::split(line, ',', names);
  if (header.columns > names.size()) {
    reason.assign("header has more than 128 columns");
    return false;
  }
  int last_named = kNoColumn;
  const NamedColumn* last = nullptr;
  for (std::size_t i = 0; i < header.columns; ++i) {
    const std::string_view name = text::trim(names[i]);
    const int index = static_cast<int>(i);
    if (name.empty()) {
      if (last != nullptr && last->flag != nullptr && last_named == index - 1) {
        header.*(last->flag) = index;
      }
      continue;
    }
    last_named = index;
    last = nullptr;
    for (const NamedColumn& c : kColumns) {
      if (iequals(name, c.name)) {
        header.*(c.column) = index;
        last = &c;
        break;
      }
    }
  }
  for (const NamedColumn* c : {&kColumns[0], &kColumns[1], &kColumns[2], &kColumns[4]}) {
    if (header.*(c->column) == kNoColumn) {
      reason.assign("header lacks the column '").append(c->name).append("'");
      return false;
    }
  }
  return true;
}

std::string_view RecordMapper::column(int index) const {
  if (index == kNoColumn) return {};
  return text::trim(fields_[static_cast<std::size_t>(index)]);
}

bool RecordMapper::map(std::string_view line, const Header& h, std::string_view feed,
                       std::string& reason) {
  split_.resize(h.columns + 64);
  const std::size_t n = text::split(line, ',', split_);
  const std::size_t extra = n - h.columns;
  if (n > split_.size() || (extra > 0 && h.comments == kNoColumn)) {
    reason.assign("record has more fields than the header's ");
    reason.append(std::to_string(h.columns));
    return false;
  }
  fields_.resize(h.columns);
  const auto comments = static_cast<std::size_t>(h.comments);
  for (std::size_t i = 0; i < h.columns; ++i) {
    if (extra == 0 || i < comments) {
      fields_[i] = split_[i];
    } else if (i == comments) {  // Comments with its commas
      const char* begin = split_[i].data();
      const char* end = split_[i + extra].data() + split_[i + extra].size();
      fields_[i] = std::string_view(begin, static_cast<std::size_t>(end - begin));
    } else {
      fields_[i] = split_[i + extra];
    }
  }

  const std::string_view year_text = column(h.order_year);
  const auto year = text::parse_int(year_text);
  if (year_text.size() != 4 || !year || !text::valid_ymd({static_cast<int>(*year), 1, 1})) {
    reason.assign("Year of order is not a year: ");
    text::append_snippet(reason, year_text);
    return false;
  }
  event_.clear();
  const std::string_view recipient = column(h.recipient);
  const std::string_view supplier = column(h.supplier);
  const std::string_view designation = column(h.designation);
  set_id(recipient, supplier, year_text, designation);
  event_.time = text::midnight_utc({static_cast<int>(*year), 1, 1});
  event_.set(StrField::kind, "arms_transfer");
  event_.set(StrField::source, feed);
  set_party(StrField::supplier, "supplier", supplier);
  set_party(StrField::recipient, "recipient", recipient);
  if (!designation.empty()) event_.set(StrField::item, designation);
  const std::string_view recipient_code = event_.str(StrField::recipient);
  if (recipient_code == "UKR") event_.set(StrField::topic, "arms_to_ukraine");
  if (recipient_code == "PRK") event_.set(StrField::topic, "arms_to_dprk");

  text::set_attr(event_, "time_precision", "year");
  text::set_attr_num(event_, "order_year", static_cast<double>(*year));
  text::set_attr_bool(event_, "order_year_uncertain", column(h.order_year_flag) == "?");
  if (const std::string_view d = column(h.description); !d.empty()) {
    text::set_attr(event_, "description", d);
  }
  set_quantities(h);
  if (const std::string_view s = column(h.status); !s.empty()) text::set_attr(event_, "status", s);
  const std::string_view comments_text = column(h.comments);
  set_comment_facts(comments_text);
  const auto tiv = [&](std::string_view name, int col) {
    if (const auto v = text::parse_number(column(col))) text::set_attr_num(event_, name, *v);
  };
  tiv("tiv_per_unit", h.tiv_unit);
  tiv("tiv_order", h.tiv_order);
  tiv("tiv_delivered", h.tiv_delivered);
  if (!export_date_.empty()) text::set_attr(event_, "export_date", export_date_);

  int flags = 0;
  for (const int col : {h.order_year_flag, h.ordered_flag, h.delivered_flag}) {
    if (column(col) == "?") ++flags;
  }
  event_.set(NumField::confidence, std::round(std::pow(kFlagConfidence, flags) * 1000) / 1000);
  renderer_.render(event_, event_.raw);
  return true;
}

void RecordMapper::set_id(std::string_view recipient, std::string_view supplier,
                          std::string_view year, std::string_view designation) {
  std::uint64_t h = text::kFnvOffset;
  for (const std::string_view part : {recipient, supplier, year, designation}) {
    text::fold_name(part, key_);
    h = text::fnv1a64(key_, h);
    h = text::fnv1a64("|", h);
  }
  const std::uint32_t n = ++seen_[h];
  std::string& id = event_.str_mut(StrField::id);
  id.assign("sipri-");
  append_hex(id, h);
  if (n > 1) id.append("-").append(std::to_string(n));
}

void RecordMapper::set_party(StrField field, std::string_view attr_prefix, std::string_view name) {
  const Party party = map_party(name);
  if (!party.code.empty()) {
    event_.set(field, party.code);
    if (party.type == "state" || party.type == "organisation") {
      event_.push(ListField::actors, party.code);
    }
  }
  scratch_.assign(attr_prefix).append("_name");
  text::set_attr(event_, scratch_, name);
  scratch_.assign(attr_prefix).append("_type");
  text::set_attr(event_, scratch_, party.type);
}

void RecordMapper::set_quantities(const Header& h) {
  const auto ordered = text::parse_int(column(h.ordered));
  const auto delivered = text::parse_int(column(h.delivered));
  if (ordered) {
    event_.set(NumField::quantity, static_cast<double>(*ordered));
    text::set_attr_num(event_, "quantity_ordered", static_cast<double>(*ordered));
  } else if (delivered && *delivered > 0) {
    event_.set(NumField::quantity, static_cast<double>(*delivered));
  }
  text::set_attr_bool(event_, "quantity_ordered_uncertain", column(h.ordered_flag) == "?");
  if (delivered) text::set_attr_num(event_, "quantity_delivered", static_cast<double>(*delivered));
  text::set_attr_bool(event_, "quantity_delivered_uncertain", column(h.delivered_flag) == "?");

  const std::string_view years = column(h.delivery_years);
  if (years.empty()) return;
  std::vector<std::string>& list = text::set_attr_list(event_, "delivery_years");
  std::array<std::string_view, 128> parts{};
  const std::size_t n = std::min(text::split(years, ';', parts), parts.size());
  std::int64_t first = 0;
  std::int64_t last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view y = text::trim(parts[i]);
    if (y.empty()) continue;
    list.emplace_back(y);
    if (const auto v = text::parse_int(y); v && y.size() == 4) {
      first = first == 0 ? *v : std::min(first, *v);
      last = std::max(last, *v);
    }
  }
  if (first != 0) {
    text::set_attr_num(event_, "first_delivery_year", static_cast<double>(first));
    text::set_attr_num(event_, "last_delivery_year", static_cast<double>(last));
  }
}

void RecordMapper::set_comment_facts(std::string_view comments) {
  if (comments.empty()) {
    event_.set(BoolField::direct, true);
    return;
  }
  text::set_attr(event_, "comments", comments);
  event_.set(BoolField::direct, !has_word(comments, "via"));
  if (has_word(comments, "aid")) text::set_attr_bool(event_, "aid", true);
  if (const double usd = dollar_value(comments); usd > 0) event_.set(NumField::value_usd, usd);
}

}  // namespace flashpoint::adapters::sipri
