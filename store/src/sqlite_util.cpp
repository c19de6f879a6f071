#include "sqlite_util.hpp"

#include <cerrno>
#include <system_error>
#include <utility>

namespace flashpoint::store::detail {
namespace {

// For failures of the file system (disk full, file too large, permissions),
// the OS's reason: "disk I/O error" alone does not say which.
// `os_errno` is errno just after the failed call: SQLite keeps the system
// error only for some codes (sqlite3_system_errno), so it is the fallback.
void append_os_reason(sqlite3* db, int rc, int os_errno, std::string& message) {
  const int primary = rc & 0xFF;
  if (db == nullptr || (primary != SQLITE_IOERR && primary != SQLITE_FULL &&
                        primary != SQLITE_CANTOPEN && primary != SQLITE_READONLY)) {
    return;
  }
  int err = sqlite3_system_errno(db);
  if (err == 0) err = os_errno;
  if (err == 0) return;
  message += " (";
  message += std::generic_category().message(err);
  message += ')';
}

// sqlite3_bind_text binds NULL for a null pointer; an empty view may have one.
const char* data_or_empty(std::string_view s) { return s.data() != nullptr ? s.data() : ""; }

}  // namespace

Status check(sqlite3* db, int rc, std::string_view what) {
  const int os_errno = errno;
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return {};
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  append_os_reason(db, rc, os_errno, message);
  return {StatusCode::sqlite_error, std::move(message)};
}

Result<Stmt> Stmt::prepare(sqlite3* db, std::string_view sql) {
  Stmt s;
  s.db_ = db;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s.stmt_, nullptr);
  if (Status st = check(db, rc, "prepare"); !st.ok()) {
    return Status(st.code(), st.message() + " in: " + std::string(sql));
  }
  return s;
}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

void Stmt::bind_text(int i, std::string_view s) {
  sqlite3_bind_text(stmt_, i, data_or_empty(s), static_cast<int>(s.size()), SQLITE_STATIC);
}

void Stmt::bind_blob(int i, std::string_view b) {
  sqlite3_bind_blob(stmt_, i, data_or_empty(b), static_cast<int>(b.size()), SQLITE_STATIC);
}

void Stmt::bind_int(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void Stmt::bind_real(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
void Stmt::bind_null(int i) { sqlite3_bind_null(stmt_, i); }

void Stmt::bind_optional_text(int i, const std::optional<std::string>& s) {
  if (s) {
    bind_text(i, *s);
  } else {
    bind_null(i);
  }
}

int Stmt::step() { return sqlite3_step(stmt_); }

Status Stmt::run(std::string_view what) {
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
  Status st = check(db_, rc, what);
  sqlite3_reset(stmt_);
  return st;
}

void Stmt::reset() { sqlite3_reset(stmt_); }
void Stmt::clear_bindings() { sqlite3_clear_bindings(stmt_); }

std::string_view Stmt::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string Stmt::blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (p == nullptr) return {};
  return {static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::int64_t Stmt::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Stmt::real(int col) const { return sqlite3_column_double(stmt_, col); }
bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Status in_transaction(sqlite3* db, const std::function<Status()>& body) {
  if (Status st = exec(db, "BEGIN IMMEDIATE"); !st.ok()) return st;
  Status st = body();
  if (!st.ok()) {
    (void)exec(db, "ROLLBACK");
    return st;
  }
  return exec(db, "COMMIT");
}

Status exec(sqlite3* db, std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err);
  const int os_errno = errno;
  if (rc == SQLITE_OK) return {};
  std::string message = "exec: ";
  message += err != nullptr ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  append_os_reason(db, sqlite3_extended_errcode(db), os_errno, message);
  return {StatusCode::sqlite_error, std::move(message)};
}

}  // namespace flashpoint::store::detail

namespace flashpoint::store {

Result<detail::Stmt*> Database::Impl::cached(std::string_view sql) {
  std::string key(sql);
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto prepared = detail::Stmt::prepare(db.get(), sql);
    if (!prepared.ok()) return prepared.status();
    auto stmt = std::make_unique<detail::Stmt>(std::move(prepared).value());
    it = cache.emplace(std::move(key), std::move(stmt)).first;
  }
  it->second->reset();
  it->second->clear_bindings();
  return it->second.get();
}

}  // namespace flashpoint::store
