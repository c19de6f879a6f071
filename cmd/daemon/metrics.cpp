// Prometheus rendering of the daemon's metrics.
#include "daemon/metrics.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace flashpoint::daemon {
namespace {

void append_label_value(std::string& out, std::string_view v) {
  for (const char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  // `labels` alternate name, value.
  void sample(std::string_view name, std::initializer_list<std::string_view> labels,
              const std::string& value) {
    out_ += name;
    if (labels.size() > 0) {
      out_ += '{';
      bool first = true;
      for (auto it = labels.begin(); it != labels.end(); it += 2) {
        if (!first) out_ += ',';
        first = false;
        out_ += *it;
        out_ += "=\"";
        append_label_value(out_, *(it + 1));
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    out_ += value;
    out_ += '\n';
  }
  void sample(std::string_view name, std::initializer_list<std::string_view> labels,
              std::uint64_t value) {
    sample(name, labels, std::to_string(value));
  }

  void histogram(std::string_view name, std::string_view help, const Histogram& h) {
    family(name, "histogram", help);
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.bounds().size(); ++i) {
      cumulative += h.counts()[i];
      sample(bucket, {"le", number(h.bounds()[i])}, cumulative);
    }
    sample(bucket, {"le", "+Inf"}, h.count());
    sample(std::string(name) + "_sum", {}, number(h.sum()));
    sample(std::string(name) + "_count", {}, h.count());
  }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

template <typename F>
void per_feed(Writer& w, const std::deque<FeedMetrics>& feeds, std::string_view name,
              std::string_view type, std::string_view help, F value) {
  w.family(name, type, help);
  for (const auto& f : feeds) w.sample(name, {"feed", f.name, "type", f.type}, value(f));
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size(), 0) {}

void Histogram::observe(double value) {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  if (it != bounds_.end()) ++counts_[static_cast<std::size_t>(it - bounds_.begin())];
  sum_ += value;
  ++count_;
}

Metrics::Metrics()
    : eval_seconds({1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2}),
      checkpoint_seconds({1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2, 0.1, 0.5, 1}),
      commit_seconds({1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 5}) {
  start_time_seconds =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

FeedMetrics& Metrics::feed(std::string_view name, std::string_view type) {
  for (auto& f : feeds) {
    if (f.name == name) return f;
  }
  FeedMetrics& f = feeds.emplace_back();
  f.name = std::string(name);
  f.type = std::string(type);
  return f;
}

void Metrics::count_alert(std::string_view rule, Severity severity) {
  auto it = alerts.find(std::string(rule));
  if (it == alerts.end())
    it = alerts.emplace(std::string(rule), std::array<std::uint64_t, 5>{}).first;
  ++it->second[static_cast<std::size_t>(severity)];
}

void Metrics::count_http(unsigned status) { ++http_requests[status]; }

std::string Metrics::render() const {
  Writer w;
  per_feed(w, feeds, "flashpoint_events_total", "counter",
           "Valid events read per feed (duplicates included).",
           [](const FeedMetrics& f) { return f.events; });
  per_feed(w, feeds, "flashpoint_duplicates_total", "counter",
           "Events ignored because their (source, id) was seen before.",
           [](const FeedMetrics& f) { return f.duplicates; });
  per_feed(w, feeds, "flashpoint_dead_letters_total", "counter",
           "Records rejected and written to the dead_letters table.",
           [](const FeedMetrics& f) { return f.dead_letters; });
  per_feed(w, feeds, "flashpoint_bytes_total", "counter", "Bytes read per feed.",
           [](const FeedMetrics& f) { return f.bytes; });
  per_feed(w, feeds, "flashpoint_connections", "gauge", "Open client connections per feed.",
           [](const FeedMetrics& f) { return static_cast<std::uint64_t>(f.connections); });
  per_feed(w, feeds, "flashpoint_connections_total", "counter",
           "Client connections accepted per feed.",
           [](const FeedMetrics& f) { return f.connections_total; });
  per_feed(w, feeds, "flashpoint_connections_refused_total", "counter",
           "Client connections refused over the connection limit.",
           [](const FeedMetrics& f) { return f.connections_refused; });
  per_feed(w, feeds, "flashpoint_files_done_total", "counter",
           "Files of a watched folder read to their end and finished.",
           [](const FeedMetrics& f) { return f.files_done; });

  w.family("flashpoint_alerts_total", "counter", "Alerts fired per rule and severity.");
  std::vector<const std::pair<const std::string, std::array<std::uint64_t, 5>>*> rows;
  rows.reserve(alerts.size());
  for (const auto& kv : alerts) rows.push_back(&kv);
  std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* kv : rows) {
    for (std::size_t s = 0; s < kv->second.size(); ++s) {
      if (kv->second[s] == 0) continue;
      w.sample("flashpoint_alerts_total",
               {"rule", kv->first, "severity", to_string(static_cast<Severity>(s))}, kv->second[s]);
    }
  }

  w.histogram("flashpoint_eval_seconds", "Engine evaluation time per event.", eval_seconds);
  w.family("flashpoint_queue_depth", "gauge",
           "Events read but not yet committed (sources pause at flashpoint_queue_limit).");
  w.sample("flashpoint_queue_depth", {}, queue_depth);
  w.family("flashpoint_queue_limit", "gauge", "The queue bound ([daemon] queue_events).");
  w.sample("flashpoint_queue_limit", {}, queue_limit);
  w.family("flashpoint_writer_queue_alerts", "gauge",
           "Alerts handed to the database writer and not yet committed.");
  w.sample("flashpoint_writer_queue_alerts", {}, writer_queue);
  w.family("flashpoint_backpressure_pauses_total", "counter",
           "Times the sources paused because the queue was full.");
  w.sample("flashpoint_backpressure_pauses_total", {}, backpressure_pauses);

  w.family("flashpoint_reloads_total", "counter", "Rule set reloads by result.");
  w.sample("flashpoint_reloads_total", {"result", "ok"}, reloads_ok);
  w.sample("flashpoint_reloads_total", {"result", "failed"}, reloads_failed);
  w.family("flashpoint_rules", "gauge", "Rules in the running rule set.");
  w.sample("flashpoint_rules", {}, rules);

  w.family("flashpoint_checkpoints_total", "counter",
           "Checkpoints (alerts, engine state and feed offsets in one transaction) queued.");
  w.sample("flashpoint_checkpoints_total", {}, checkpoints);
  w.family("flashpoint_commit_failures_total", "counter", "Checkpoint transactions that failed.");
  w.sample("flashpoint_commit_failures_total", {}, commit_failures);
  w.histogram("flashpoint_checkpoint_seconds", "Time to serialise the engine state.",
              checkpoint_seconds);
  w.histogram("flashpoint_commit_seconds", "Time from a checkpoint queued to its commit.",
              commit_seconds);
  w.family("flashpoint_state_bytes", "gauge", "Size of the last saved engine state.");
  w.sample("flashpoint_state_bytes", {}, state_bytes);
  w.family("flashpoint_watermark_seconds", "gauge", "The engine's event-time watermark.");
  w.sample("flashpoint_watermark_seconds", {}, number(watermark_seconds));

  w.family("flashpoint_http_requests_total", "counter", "HTTP requests by status code.");
  for (const auto& [code, n] : http_requests) {
    w.sample("flashpoint_http_requests_total", {"code", std::to_string(code)}, n);
  }
  w.family("flashpoint_start_time_seconds", "gauge", "Start time of the daemon (Unix seconds).");
  w.sample("flashpoint_start_time_seconds", {}, number(start_time_seconds));
  return w.take();
}

}  // namespace flashpoint::daemon
