// The fuzz targets (see targets.hpp).
#include "fuzz/targets.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <string_view>

#include "daemon/http_api.hpp"

#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/engine.hpp"
#include "flashpoint/engine/rule_set.hpp"

namespace fpfuzz {
namespace {

class NullSink final : public flashpoint::adapters::DecodeSink {
 public:
  void on_event(const flashpoint::Event& e, const flashpoint::adapters::Position&) override {
    bytes += e.raw.size();
  }
  void on_dead_letter(const flashpoint::adapters::DeadLetter& dl) override {
    bytes += dl.reason.size();
  }
  std::size_t bytes = 0;
};

class NullAlerts final : public flashpoint::AlertSink {
 public:
  void on_alert(const flashpoint::Alert&, std::span<const flashpoint::Event* const>) override {}
};

// Feeds the bytes to a decoder in two chunks split at a data-chosen point,
// with a small record limit so the limit paths run too.
void decode(const char* format, const std::uint8_t* data, std::size_t size) {
  flashpoint::adapters::DecoderOptions opt;
  opt.feed = "fuzz";
  opt.max_record = 4096;
  auto dec = flashpoint::adapters::make_decoder(format, opt);
  if (!dec) return;
  NullSink sink;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  dec->feed(all.substr(0, cut), sink);
  dec->feed(all.substr(cut), sink);
  dec->finish(sink);
}

}  // namespace

void expr(const std::uint8_t* data, std::size_t size) {
  std::string when(reinterpret_cast<const char*>(data), size);
  for (auto& c : when) {
    if (c == '\'') c = '"';  // keep the TOML literal string closed
  }
  const std::string toml =
      "[lists]\nl = [\"a\", \"b\"]\n[macros]\nm = 'kind == \"x\"'\n[[rule]]\nid = \"f\"\ntitle = "
      "\"f\"\nwhen = '''" +
      when + "'''\n";
  flashpoint::Diagnostics diags;
  auto rules = flashpoint::RuleSet::compile({{"fuzz.toml", toml}}, diags);
  if (!rules) return;
  // A rule that compiled is also evaluated against a small event.
  flashpoint::Engine engine(rules, {});
  NullAlerts sink;
  flashpoint::Event ev;
  ev.set(flashpoint::StrField::id, "1");
  ev.set(flashpoint::StrField::kind, "x");
  ev.set(flashpoint::StrField::region, "a");
  ev.push(flashpoint::ListField::actors, "b");
  ev.time = 0;
  engine.process(ev, sink);
}

void rules(const std::uint8_t* data, std::size_t size) {
  flashpoint::Diagnostics diags;
  auto r = flashpoint::RuleSet::compile(
      {{"fuzz.toml", std::string(reinterpret_cast<const char*>(data), size)}}, diags);
  (void)r;
}

void jsonl(const std::uint8_t* data, std::size_t size) { decode("jsonl", data, size); }
void gdelt(const std::uint8_t* data, std::size_t size) { decode("gdelt", data, size); }
void sipri(const std::uint8_t* data, std::size_t size) { decode("sipri", data, size); }
void acled(const std::uint8_t* data, std::size_t size) { decode("acled", data, size); }

void http(const std::uint8_t* data, std::size_t size) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);  // as the server (http_server.cpp)
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return;
  const auto& req = parser.get();
  const std::string_view target(req.target().data(), req.target().size());
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  flashpoint::daemon::ApiConfig config;
  config.database = "/nonexistent/flashpoint-fuzz.db";  // the jobs are not run
  auto route = flashpoint::daemon::route_api(
      std::string_view(req.method_string().data(), req.method_string().size()), path, query,
      req.body(), config);
  if (route.reply) (void)route.reply->body.size();
  flashpoint::store::AlertFilter filter;
  std::string format;
  (void)flashpoint::daemon::parse_alert_query(query, filter, format);
  (void)flashpoint::daemon::url_decode(target);
}

// The first two rules are those of tests/fixtures/state/state_v1.toml, so
// the version-1 seed restores into them.
const char* const kStateRules = R"(
[[rule]]
id = "count3"
title = "three exercises in a region"
when = 'kind == "exercise"'
[rule.threshold]
within = "30d"
by = ["region"]
count = 3

[[rule]]
id = "distinct3"
title = "three actors exercising"
when = 'kind == "exercise"'
[rule.threshold]
within = "30d"
distinct = { field = "actors", min = 3 }

[[rule]]
id = "sum"
title = "arms value"
when = 'kind == "arms_transfer"'
[rule.threshold]
within = "30d"
sum = { field = "value_usd", min = 1e9 }

[[rule]]
id = "seq"
title = "exercise then statement"
key = ["region"]
[[rule.steps]]
as = "a"
when = 'kind == "exercise"'
[[rule.steps]]
as = "b"
within = "14d"
when = 'kind == "statement" and region == a.region'

[[rule]]
id = "abs"
title = "deployment not followed"
key = ["actors"]
[rule.absence]
after = { as = "dep", when = 'kind == "deployment"' }
expect = 'kind == "exercise" and dep.actors any_in actors'
within = "30d"

[[rule]]
id = "tension"
title = "exercise adds tension"
when = 'kind == "exercise"'
throttle = "1d"
[rule.tension]
pair = ["CHN", "{region}"]
weight = 4
)";

void state(const std::uint8_t* data, std::size_t size) {
  static const auto rules = [] {
    flashpoint::Diagnostics diags;
    return flashpoint::RuleSet::compile({{"state.toml", kStateRules}}, diags);
  }();
  if (!rules) return;
  flashpoint::Engine engine(rules, {});
  if (!engine.restore_state(std::string_view(reinterpret_cast<const char*>(data), size))) return;
  NullAlerts sink;
  flashpoint::Event ev;
  ev.set(flashpoint::StrField::id, "fuzz-next");
  ev.set(flashpoint::StrField::source, "fuzz");
  ev.set(flashpoint::StrField::kind, "exercise");
  ev.set(flashpoint::StrField::region, "a");
  ev.push(flashpoint::ListField::actors, "USA");
  ev.time = 1704240000000000;  // 2024-01-03
  engine.process(ev, sink);
  engine.advance(ev.time + 400LL * 86400 * 1000000, sink);  // every window and deadline ends
  (void)engine.save_state();
}

const std::vector<Named>& all_targets() {
  static const std::vector<Named> t = {{"expr", expr},   {"rules", rules}, {"jsonl", jsonl},
                                       {"gdelt", gdelt}, {"sipri", sipri}, {"acled", acled},
                                       {"http", http},   {"state", state}};
  return t;
}

}  // namespace fpfuzz
