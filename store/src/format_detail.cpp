// `flashpoint show`: one alert with its rule, evidence, tension and history,
// as text for a terminal or as one JSON object.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "flashpoint/engine/time.hpp"
#include "flashpoint/store/format.hpp"

namespace flashpoint::store {
namespace {

void append_field(std::string& out, const char* name, std::string_view value, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += name;
  out += "\":";
  append_json_string(out, value);
}

void append_optional(std::string& out, const char* name, const std::optional<std::string>& v) {
  out += ",\"";
  out += name;
  out += "\":";
  if (v) {
    append_json_string(out, *v);
  } else {
    out += "null";
  }
}

std::string fixed1(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// `text` wrapped at `width` columns (on spaces), each line indented.
void append_wrapped(std::string& out, std::string_view text, std::size_t indent,
                    std::size_t width) {
  const std::size_t room = width > indent + 20 ? width - indent : 20;
  const std::string pad(indent, ' ');
  while (!text.empty()) {
    std::size_t cut = text.size();
    if (cut > room) {
      cut = text.rfind(' ', room);
      if (cut == std::string_view::npos || cut == 0) cut = room;
    }
    out += pad;
    out += text.substr(0, cut);
    out += '\n';
    text.remove_prefix(cut);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

std::string format_alert_detail_json(const AlertDetail& d) {
  std::string out = "{\"alert\":";
  append_alert_json(out, d.alert);
  out += ",\"rule\":";
  if (d.rule) {
    const RuleVersion& r = *d.rule;
    out += '{';
    append_field(out, "id", r.rule_id, /*first=*/true);
    append_field(out, "hash", r.hash);
    append_field(out, "title", r.title);
    append_field(out, "severity", r.severity);
    out += ",\"claims\":";
    append_json_list(out, r.claims);
    out += ",\"tags\":";
    append_json_list(out, r.tags);
    append_field(out, "rationale", r.rationale);
    append_field(out, "message", r.message);
    append_field(out, "file", r.file);
    out += ",\"line\":" + std::to_string(r.line);
    append_field(out, "definition", r.definition);
    append_field(out, "first_seen", r.first_seen);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"events\":[";
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const StoredEvent& e = d.events[i];
    if (i > 0) out += ',';
    out += "{\"seq\":" + std::to_string(e.seq);
    append_field(out, "source", e.source);
    append_field(out, "id", e.event_id);
    append_field(out, "time", e.kind.empty() ? std::string() : format_time(e.time_us));
    append_field(out, "kind", e.kind);
    if (e.alert_id > 0) out += ",\"alert\":" + std::to_string(e.alert_id);
    out += ",\"event\":";
    // Compact JSON validated by SQLite's json(): safe to embed as is.
    out += e.json.empty() ? std::string_view("null") : std::string_view(e.json);
    out += '}';
  }
  out += "],\"tension\":[";
  for (std::size_t i = 0; i < d.tension.size(); ++i) {
    const TensionContribution& t = d.tension[i];
    if (i > 0) out += ',';
    out += '{';
    append_field(out, "pair", t.pair, /*first=*/true);
    out += ",\"weight\":";
    append_json_number(out, t.weight);
    out += ",\"score\":";
    append_json_number(out, t.score);
    append_field(out, "level", t.level);
    out += '}';
  }
  out += "],\"log\":[";
  for (std::size_t i = 0; i < d.log.size(); ++i) {
    const AlertLogEntry& l = d.log[i];
    if (i > 0) out += ',';
    out += '{';
    append_field(out, "at", l.at, /*first=*/true);
    append_field(out, "by", l.by);
    append_field(out, "from", l.from_status);
    append_field(out, "to", l.to_status);
    append_optional(out, "note", l.note);
    out += '}';
  }
  out += "]}\n";
  return out;
}

std::string format_alert_detail_text(const AlertDetail& d, std::size_t width) {
  const AlertRow& a = d.alert;
  std::string out = "Alert " + std::to_string(a.id) + "  " + a.severity + "  " + a.status + "\n";
  append_wrapped(out, a.title, 2, width);
  auto row = [&](std::string_view label, std::string_view value) {
    if (value.empty()) return;
    std::string head = "  ";
    head += label;
    head.resize(11, ' ');
    out += head;
    out += value;
    out += '\n';
  };
  row("message", a.message);
  row("rule", a.rule_id);
  if (d.rule) {
    if (!d.rule->file.empty()) {
      row("defined", d.rule->file + ":" + std::to_string(d.rule->line) + "  (version " +
                         d.rule->hash + ", first seen " + d.rule->first_seen + ")");
    } else {
      row("defined", "built in (version " + d.rule->hash + ")");
    }
  } else if (!a.rule_hash.empty()) {
    row("defined", "version " + a.rule_hash + " (not stored)");
  }
  row("claims", joined(a.claims));
  row("tags", joined(a.tags));
  row("key", a.key);
  row("time", a.event_time + "  (fired " + a.fired_at + ")");
  if (a.note) row("note", *a.note);

  if (d.rule && !d.rule->rationale.empty()) {
    out += "\nWhy\n";
    append_wrapped(out, d.rule->rationale, 2, width);
  }

  out += "\nEvidence (" + std::to_string(d.events.size()) +
         (d.events.size() == 1 ? " event)\n" : " events)\n");
  for (const StoredEvent& e : d.events) {
    out += "  " + std::to_string(e.seq + 1) + ". ";
    if (e.kind.empty()) {
      out += e.source + "/" + e.event_id + "  (not stored)\n";
      continue;
    }
    out += format_time(e.time_us) + "  " + e.kind + "  " + e.source + "/" + e.event_id;
    if (e.alert_id > 0) out += "  (alert " + std::to_string(e.alert_id) + ")";
    out += '\n';
    out += "     ";
    out += e.json.empty() ? e.raw : e.json;
    out += '\n';
  }

  if (!d.tension.empty()) {
    out += "\nTension added\n";
    for (const TensionContribution& t : d.tension) {
      out += "  " + t.pair + "  " + (t.weight >= 0 ? "+" : "") + fixed1(t.weight) + " -> " +
             fixed1(t.score);
      if (!t.level.empty()) out += " (" + t.level + ")";
      out += '\n';
    }
  }

  if (!d.log.empty()) {
    out += "\nHistory\n";
    for (const AlertLogEntry& l : d.log) {
      out += "  " + l.at + "  " + l.by + "  " + l.from_status + " -> " + l.to_status;
      if (l.note) out += "  \"" + *l.note + "\"";
      out += '\n';
    }
  }
  return out;
}

}  // namespace flashpoint::store
