#include "flashpoint/store/format.hpp"

#include <algorithm>

namespace flashpoint::store {

void append_json_list(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, items[i]);
  }
  out += ']';
}

namespace {

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

// Display width, counted in code points (continuation bytes do not count).
std::size_t text_width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// `s` on one line (control characters become spaces), cut to `width`
// code points with "..." when longer.
std::string fit(std::string_view s, std::size_t width) {
  std::string flat(s);
  for (char& c : flat) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (text_width(flat) <= width) return flat;
  const std::size_t keep = width > 3 ? width - 3 : 0;
  std::size_t points = 0;
  std::size_t i = 0;
  for (; i < flat.size(); ++i) {
    if ((static_cast<unsigned char>(flat[i]) & 0xC0) != 0x80) {
      if (points == keep) break;
      ++points;
    }
  }
  flat.resize(i);
  flat.append(std::min<std::size_t>(3, width), '.');
  return flat;
}

void pad_to(std::string& out, std::string_view cell, std::size_t width, bool right) {
  const std::size_t w = text_width(cell);
  const std::size_t pad = w < width ? width - w : 0;
  if (right) out.append(pad, ' ');
  out += cell;
  if (!right) out.append(pad, ' ');
}

}  // namespace

void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_alert_json(std::string& out, const AlertRow& r) {
  out += "{\"id\":";
  out += std::to_string(r.id);
  const std::pair<const char*, const std::string*> texts[] = {
      {"rule", &r.rule_id},      {"severity", &r.severity}, {"title", &r.title},
      {"message", &r.message},   {"key", &r.key},           {"event_time", &r.event_time},
      {"fired_at", &r.fired_at}, {"status", &r.status}};
  for (const auto& [name, value] : texts) {
    out += ",\"";
    out += name;
    out += "\":";
    append_json_string(out, *value);
  }
  out += ",\"note\":";
  if (r.note) {
    append_json_string(out, *r.note);
  } else {
    out += "null";
  }
  out += ",\"claims\":";
  append_json_list(out, r.claims);
  out += ",\"tags\":";
  append_json_list(out, r.tags);
  out += ",\"evidence\":";
  append_json_list(out, r.evidence);
  out += '}';
}

std::string format_alerts_json(const std::vector<AlertRow>& rows) {
  if (rows.empty()) return "[]\n";
  std::string out = "[\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    append_alert_json(out, rows[i]);
    out += i + 1 < rows.size() ? ",\n" : "\n";
  }
  out += "]\n";
  return out;
}

std::string format_alerts_ndjson(const std::vector<AlertRow>& rows) {
  std::string out;
  for (const AlertRow& r : rows) {
    append_alert_json(out, r);
    out += '\n';
  }
  return out;
}

std::string format_alerts_csv(const std::vector<AlertRow>& rows) {
  std::string out =
      "id,event_time,fired_at,severity,rule,title,message,key,status,note,claims,tags,"
      "evidence\r\n";
  for (const AlertRow& r : rows) {
    const std::string fields[] = {std::to_string(r.id),
                                  r.event_time,
                                  r.fired_at,
                                  r.severity,
                                  r.rule_id,
                                  r.title,
                                  r.message,
                                  r.key,
                                  r.status,
                                  r.note.value_or(""),
                                  join(r.claims, ';'),
                                  join(r.tags, ';'),
                                  join(r.evidence, ';')};
    for (std::size_t i = 0; i < std::size(fields); ++i) {
      if (i > 0) out += ',';
      append_csv_field(out, fields[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string format_alerts_table(const std::vector<AlertRow>& rows, std::size_t width) {
  constexpr std::size_t kGap = 2;
  constexpr std::size_t kDate = 10;  // YYYY-MM-DD
  constexpr std::size_t kMaxRule = 40;
  constexpr std::size_t kMinMessage = 10;
  if (rows.empty()) return "0 alerts\n";

  std::size_t id_w = 2;    // "ID"
  std::size_t sev_w = 8;   // "SEVERITY"
  std::size_t rule_w = 4;  // "RULE"
  for (const AlertRow& r : rows) {
    id_w = std::max(id_w, std::to_string(r.id).size());
    sev_w = std::max(sev_w, text_width(r.severity));
    rule_w = std::max(rule_w, std::min(kMaxRule, text_width(r.rule_id)));
  }
  const std::size_t used = id_w + kDate + sev_w + rule_w + 4 * kGap;
  const std::size_t msg_w = width > used + kMinMessage ? width - used : kMinMessage;
  const std::string gap(kGap, ' ');

  auto line = [&](std::string_view id, std::string_view date, std::string_view sev,
                  std::string_view rule, std::string_view msg, std::string& out) {
    pad_to(out, id, id_w, /*right=*/true);
    out += gap;
    pad_to(out, date, kDate, false);
    out += gap;
    pad_to(out, sev, sev_w, false);
    out += gap;
    pad_to(out, fit(rule, rule_w), rule_w, false);
    out += gap;
    out += fit(msg, msg_w);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };

  std::string out;
  line("ID", "DATE", "SEVERITY", "RULE", "MESSAGE", out);
  for (const AlertRow& r : rows) {
    line(std::to_string(r.id), std::string_view(r.event_time).substr(0, kDate), r.severity,
         r.rule_id, r.message, out);
  }
  out += std::to_string(rows.size());
  out += rows.size() == 1 ? " alert\n" : " alerts\n";
  return out;
}

}  // namespace flashpoint::store
