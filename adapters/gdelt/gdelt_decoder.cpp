// GDELT event export decoder (see gdelt_decoder.hpp).
#include "gdelt/gdelt_decoder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/countries.hpp"
#include "common/json_render.hpp"
#include "common/record_splitter.hpp"
#include "common/regions.hpp"
#include "common/text.hpp"
#include "gdelt/cameo.hpp"

namespace flashpoint::adapters {
namespace {

// Columns shared by all three layouts (0-based).
enum Col : std::size_t {
  kGlobalEventId = 0,
  kSqlDate = 1,
  kActor1Code = 5,
  kActor1Country = 7,
  kActor1Group = 8,
  kActor2Code = 15,
  kActor2Country = 17,
  kActor2Group = 18,
  kIsRootEvent = 25,
  kEventCode = 26,
  kQuadClass = 29,
  kGoldstein = 30,
  kNumMentions = 31,
  kNumSources = 32,
  kNumArticles = 33,
  kAvgTone = 34,
};

// The columns whose position depends on the layout.
struct Layout {
  std::size_t geo_type, geo_name, geo_country, geo_lat, geo_lon, date_added, source_url;
  bool has_url;
};
constexpr Layout kV2{51, 52, 53, 56, 57, 59, 60, true};
constexpr Layout kV1Daily{49, 50, 51, 53, 54, 56, 57, true};
constexpr Layout kV1Backfile{49, 50, 51, 53, 54, 56, 0, false};

constexpr std::size_t kMaxFields = 61;

// The first row's id of each recent meeting, keyed by a hash of the actor
// pair, the date and the source URL; the oldest keys are forgotten first.
class MirrorIndex {
 public:
  // Returns the id recorded for `key`, or 0 after recording `id` for it.
  std::uint64_t first_or_insert(std::uint64_t key, std::uint64_t id) {
    const auto [it, inserted] = ids_.try_emplace(key, id);
    if (!inserted) return it->second;
    if (ring_.size() < kCapacity) {
      ring_.push_back(key);
    } else {
      ids_.erase(ring_[next_]);
      ring_[next_] = key;
      next_ = (next_ + 1) % kCapacity;
    }
    return 0;
  }

 private:
  static constexpr std::size_t kCapacity = 1U << 16U;
  std::unordered_map<std::uint64_t, std::uint64_t> ids_;
  std::vector<std::uint64_t> ring_;
  std::size_t next_ = 0;
};

// An actor's flashpoint code: a known organisation, else an ISO3 country.
std::string_view actor_code(std::string_view country, std::string_view group) {
  if (const std::string_view org = gdelt::known_group_org(group); !org.empty()) return org;
  return gdelt::actor_country_iso3(country);
}

void append_u64(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
}

class GdeltDecoder final : public Decoder {
 public:
  explicit GdeltDecoder(const DecoderOptions& options)
      : options_(options), splitter_(options.max_record, false) {}

  void feed(std::string_view chunk, DecodeSink& sink) override {
    splitter_.feed(chunk, [&](const RawRecord& rec) { on_record(rec, sink); });
  }

  void finish(DecodeSink& sink) override {
    splitter_.finish([&](const RawRecord& rec) { on_record(rec, sink); });
  }

 private:
  void on_record(const RawRecord& rec, DecodeSink& sink);
  bool map_row(std::string_view row);
  void set_actors(std::string_view a1, std::string_view a2);
  void set_place(const Layout& layout);
  void set_attrs(const Layout& layout);
  void handle_mirror(std::string_view a1, std::string_view a2, const Layout& layout,
                     std::uint64_t id);
  bool fail(std::string_view what, std::string_view value);

  std::string_view f(std::size_t i) const { return fields_[i]; }

  DecoderOptions options_;
  RecordSplitter splitter_;
  Event event_;
  std::array<std::string_view, kMaxFields> fields_{};
  std::string repaired_;  // the row with invalid UTF-8 replaced
  std::string reason_;
  std::string scratch_;
  MirrorIndex mirrors_;
  JsonRenderer renderer_;
};

void GdeltDecoder::on_record(const RawRecord& rec, DecodeSink& sink) {
  if (rec.bytes.empty()) return;
  bool ok = false;
  if (rec.oversized) {
    reason_.assign("record exceeds the size limit of ");
    append_u64(reason_, options_.max_record);
    reason_.append(" bytes");
  } else {
    std::string_view row = rec.bytes;
    if (!text::valid_utf8(row)) {
      repaired_.clear();
      text::append_repaired_utf8(row, repaired_);
      row = repaired_;
    }
    ok = map_row(row);
    if (!ok && reason_.empty()) return;  // a header row
  }
  if (ok) {
    renderer_.render(event_, event_.raw);
    sink.on_event(event_, rec.pos);
  } else {
    sink.on_dead_letter(DeadLetter{options_.feed, rec.pos, reason_, rec.bytes});
  }
}

bool GdeltDecoder::fail(std::string_view what, std::string_view value) {
  reason_.assign(what);
  reason_.append(": ");
  text::append_snippet(reason_, value);
  return false;
}

bool GdeltDecoder::map_row(std::string_view row) {
  reason_.clear();
  const std::size_t n = text::split(row, '\t', fields_);
  const Layout* layout = nullptr;
  if (n == 61) {
    layout = &kV2;
  } else if (n == 58) {
    layout = &kV1Daily;
  } else if (n == 57) {
    layout = &kV1Backfile;
  } else {
    reason_.assign(
        "expected 57, 58 or 61 tab-separated fields (GDELT 1.0 backfile, 1.0 daily, 2.0), got ");
    append_u64(reason_, n);
    return false;
  }
  if (f(kGlobalEventId) == "GLOBALEVENTID") return false;  // a header row from a SQL export

  event_.clear();
  const std::string_view id_text = f(kGlobalEventId);
  std::uint64_t id = 0;
  const auto r = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (id_text.empty() || r.ec != std::errc() || r.ptr != id_text.data() + id_text.size()) {
    return fail("GLOBALEVENTID is not a number", id_text);
  }
  const auto date = text::parse_yyyymmdd(f(kSqlDate));
  if (!date) return fail("SQLDATE is not a valid YYYYMMDD date", f(kSqlDate));
  const std::string_view code = f(kEventCode);
  if (code.size() < 2 || code.size() > 4 || !text::all_digits(code)) {
    return fail("EventCode is not a CAMEO code (2-4 digits)", code);
  }

  std::string& id_str = event_.str_mut(StrField::id);
  id_str.assign("gdelt-");
  append_u64(id_str, id);
  event_.time = text::midnight_utc(*date);
  const gdelt::CameoMapping m = gdelt::map_event_code(code);
  event_.set(StrField::kind, m.kind);
  event_.set(StrField::source, options_.feed);

  const std::string_view a1 = actor_code(f(kActor1Country), f(kActor1Group));
  const std::string_view a2 = actor_code(f(kActor2Country), f(kActor2Group));
  set_actors(a1, a2);
  set_place(*layout);

  if (!m.action.empty()) event_.set(StrField::action, m.action);
  if (!m.stance.empty()) event_.set(StrField::stance, m.stance);
  if (!m.topic.empty()) event_.set(StrField::topic, m.topic);
  if (m.speaker && !a1.empty()) event_.set(StrField::speaker, a1);
  if (m.kind == "arms_transfer") {
    if (!a1.empty()) event_.set(StrField::supplier, a1);
    if (!a2.empty()) event_.set(StrField::recipient, a2);
  }
  if (m.meeting == "visit" && !a2.empty()) event_.set(StrField::host, a2);
  if (m.meeting == "host" && !a1.empty()) event_.set(StrField::host, a1);
  if (m.meeting == "third_location" && event_.has(StrField::country)) {
    event_.set(StrField::host, event_.str(StrField::country));
  }

  set_attrs(*layout);
  if (!m.meeting.empty()) text::set_attr(event_, "meeting", m.meeting);
  if (m.mirrorable) handle_mirror(a1, a2, *layout, id);
  return true;
}

void GdeltDecoder::set_actors(std::string_view a1, std::string_view a2) {
  if (!a1.empty()) {
    event_.set(StrField::initiator, a1);
    event_.push(ListField::actors, a1);
  }
  if (!a2.empty()) {
    event_.set(StrField::target, a2);
    if (a2 != a1) event_.push(ListField::actors, a2);
  }
}

void GdeltDecoder::set_place(const Layout& layout) {
  if (const std::string_view iso3 = countries::from_fips(f(layout.geo_country)); !iso3.empty()) {
    event_.set(StrField::country, iso3);
  }
  if (f(layout.geo_type) == "0") return;
  const auto lat = text::parse_number(f(layout.geo_lat));
  const auto lon = text::parse_number(f(layout.geo_lon));
  if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) return;
  event_.set(NumField::lat, *lat);
  event_.set(NumField::lon, *lon);
  if (const std::string_view region = regions::region_at(*lat, *lon); !region.empty()) {
    event_.set(StrField::region, region);
  }
}

void GdeltDecoder::set_attrs(const Layout& layout) {
  using text::set_attr;
  set_attr(event_, "cameo_code", f(kEventCode));
  const auto number = [&](std::string_view name, std::size_t col) {
    const auto v = text::parse_number(f(col));
    if (v) text::set_attr_num(event_, name, *v);
    return v.value_or(0);
  };
  number("quad_class", kQuadClass);
  number("goldstein", kGoldstein);
  number("num_mentions", kNumMentions);
  const double sources = number("num_sources", kNumSources);
  const double articles = number("num_articles", kNumArticles);
  number("avg_tone", kAvgTone);
  const bool root = f(kIsRootEvent) == "1";
  text::set_attr_bool(event_, "is_root_event", root);
  // Coverage as confidence: root-paragraph events reported by several
  // sources and articles rank higher (0.3 .. 1.0).
  const double confidence =
      0.3 + (root ? 0.2 : 0.0) + 0.1 * std::min(sources, 3.0) + 0.05 * std::min(articles, 4.0);
  event_.set(NumField::confidence, std::clamp(confidence, 0.0, 1.0));
  if (text::compact_to_rfc3339(f(layout.date_added), scratch_)) {
    set_attr(event_, "date_added", scratch_);
  }
  if (layout.has_url && !f(layout.source_url).empty()) {
    set_attr(event_, "source_url", f(layout.source_url));
  }
  if (!f(kActor1Code).empty()) set_attr(event_, "actor1_code", f(kActor1Code));
  if (!f(kActor2Code).empty()) set_attr(event_, "actor2_code", f(kActor2Code));
  if (!f(layout.geo_name).empty()) set_attr(event_, "action_geo", f(layout.geo_name));
  if (!f(layout.geo_country).empty() && !event_.has(StrField::country)) {
    set_attr(event_, "action_fips", f(layout.geo_country));
  }
}

void GdeltDecoder::handle_mirror(std::string_view a1, std::string_view a2, const Layout& layout,
                                 std::uint64_t id) {
  if (a1.empty() || a2.empty() || a1 == a2) return;
  const bool ordered = a1 < a2;
  std::uint64_t key = text::fnv1a64(ordered ? a1 : a2);
  key = text::fnv1a64("|", key);
  key = text::fnv1a64(ordered ? a2 : a1, key);
  key = text::fnv1a64("|", key);
  key = text::fnv1a64(f(kSqlDate), key);
  if (layout.has_url) key = text::fnv1a64(f(layout.source_url), key);
  const std::uint64_t first = mirrors_.first_or_insert(key, id);
  if (first == 0 || first == id) return;
  event_.set(StrField::kind, "summit_mirror");
  event_.push(ListField::tags, "mirror");
  scratch_.assign("gdelt-");
  append_u64(scratch_, first);
  text::set_attr(event_, "mirror_of", scratch_);
}

}  // namespace

std::unique_ptr<Decoder> make_gdelt_decoder(const DecoderOptions& options) {
  return std::make_unique<GdeltDecoder>(options);
}

}  // namespace flashpoint::adapters
