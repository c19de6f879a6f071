// Helpers for the store's tests: temporary folders, events, alerts and a
// fake wall clock. Test-only; used from one thread unless noted.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "flashpoint/engine/alert.hpp"
#include "flashpoint/engine/event.hpp"
#include "flashpoint/engine/time.hpp"
#include "flashpoint/store/store.hpp"

namespace fp_store_test {

using flashpoint::TimeUs;

// 2024-01-01T00:00:00Z.
inline constexpr TimeUs kT0 = 1'704'067'200LL * flashpoint::kSecond;

// `prefix` followed by `n` (a plain function: GCC 12 warns, wrongly, on
// `"literal" + std::to_string(n)` under -O2).
inline std::string cat(std::string_view prefix, long long n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

// A fresh folder under /tmp, removed with everything in it at scope end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/fp_store_XXXXXX";
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A wall clock the test sets; safe to read from the writer thread.
struct FakeClock {
  std::atomic<TimeUs> now{kT0 + 365 * flashpoint::kDay};
  [[nodiscard]] flashpoint::store::Clock fn() {
    return [this] { return now.load(); };
  }
};

inline flashpoint::Event make_event(const std::string& source, const std::string& id, TimeUs time,
                                    const std::string& kind = "exercise") {
  flashpoint::Event e;
  e.time = time;
  e.set(flashpoint::StrField::source, source);
  e.set(flashpoint::StrField::id, id);
  e.set(flashpoint::StrField::kind, kind);
  e.raw = R"({"id":")" + id + R"(","source":")" + source + R"(","kind":")" + kind +
          R"(","time":")" + flashpoint::format_time(time) + "\"}";
  return e;
}

inline flashpoint::Alert make_alert(const std::string& rule, flashpoint::Severity severity,
                                    TimeUs time, const std::string& message = "msg",
                                    const std::string& key = "") {
  flashpoint::Alert a;
  a.rule_id = rule;
  a.severity = severity;
  a.title = "Title of " + rule;
  a.message = message;
  a.key = key;
  a.event_time = time;
  a.depth = 1;
  return a;
}

inline void fire(flashpoint::AlertSink& sink, const flashpoint::Alert& alert,
                 std::initializer_list<const flashpoint::Event*> evidence) {
  std::vector<const flashpoint::Event*> list(evidence);
  sink.on_alert(alert, list);
}

inline flashpoint::RuleInfo make_rule(const std::string& id, const std::string& hash,
                                      std::vector<std::string> claims,
                                      std::vector<std::string> tags) {
  flashpoint::RuleInfo r;
  r.id = id;
  r.title = "Title of " + id;
  r.severity = flashpoint::Severity::high;
  r.message = "{actors} did it";
  r.rationale = "C6: because";
  r.claims = std::move(claims);
  r.tags = std::move(tags);
  r.loc.file = "rules/test.toml";
  r.loc.line = 7;
  r.hash = hash;
  r.definition = "when = 'kind == \"exercise\"' # " + hash;
  return r;
}

// Opens `path` read-only, failing the test when that fails.
inline flashpoint::store::Database open_ro(const std::string& path) {
  auto db = flashpoint::store::Database::open(path, flashpoint::store::OpenMode::read_only);
  if (!db.ok()) throw std::runtime_error(db.status().to_string());
  return std::move(db).value();
}

inline flashpoint::store::Database open_rw(const std::string& path) {
  auto db = flashpoint::store::Database::open(path, flashpoint::store::OpenMode::read_write);
  if (!db.ok()) throw std::runtime_error(db.status().to_string());
  return std::move(db).value();
}

inline std::unique_ptr<flashpoint::store::AlertWriter> make_writer(
    const std::string& path, flashpoint::store::AlertWriterOptions options = {}) {
  auto w = flashpoint::store::AlertWriter::open(path, std::move(options));
  if (!w.ok()) throw std::runtime_error(w.status().to_string());
  return std::move(w).value();
}

// The single integer a query returns.
inline std::int64_t query_int(const flashpoint::store::Database& db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sqlite3_errmsg(db.handle()));
  }
  std::int64_t v = -1;
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

// The single text a query returns.
inline std::string query_text(const flashpoint::store::Database& db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sqlite3_errmsg(db.handle()));
  }
  std::string v;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return v;
}

}  // namespace fp_store_test
