// Store-private helpers over the SQLite C API: the one return-code checker,
// RAII prepared statements, and the Database's private state (with its
// cache of statements prepared once).
//
// Thread-safety: like the connection they belong to, used by one thread at
// a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "flashpoint/store/database.hpp"
#include "flashpoint/store/status.hpp"

namespace flashpoint::store::detail {

// The return-code checker: ok for SQLITE_OK, SQLITE_ROW and SQLITE_DONE;
// otherwise a Status naming `what`, with SQLite's message for `db`.
Status check(sqlite3* db, int rc, std::string_view what);

// One prepared statement. Text and blobs are bound without copying: the
// caller keeps them alive until the statement is stepped and reset.
class Stmt {
 public:
  Stmt() = default;
  static Result<Stmt> prepare(sqlite3* db, std::string_view sql);
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  void bind_text(int i, std::string_view s);  // 1-based
  void bind_blob(int i, std::string_view b);
  void bind_int(int i, std::int64_t v);
  void bind_real(int i, double v);
  void bind_null(int i);
  void bind_optional_text(int i, const std::optional<std::string>& s);

  // SQLITE_ROW, SQLITE_DONE or an error code (check it with check()).
  int step();
  // Steps to completion (an INSERT, UPDATE...), then resets.
  Status run(std::string_view what);
  void reset();
  void clear_bindings();

  [[nodiscard]] std::string_view text(int col) const;  // 0-based
  [[nodiscard]] std::string str(int col) const { return std::string(text(col)); }
  [[nodiscard]] std::string blob(int col) const;
  [[nodiscard]] std::int64_t int64(int col) const;
  [[nodiscard]] double real(int col) const;
  [[nodiscard]] bool is_null(int col) const;

  [[nodiscard]] sqlite3* db() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when the scope ends, so no read transaction stays open.
class ResetOnExit {
 public:
  explicit ResetOnExit(Stmt& s) : s_(s) {}
  ~ResetOnExit() { s_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Stmt& s_;
};

// Runs SQL text (any number of statements), discarding rows.
Status exec(sqlite3* db, std::string_view sql);

// Runs `body` in a write transaction (BEGIN IMMEDIATE): committed when it
// returns ok, rolled back otherwise (its status is returned).
Status in_transaction(sqlite3* db, const std::function<Status()>& body);

}  // namespace flashpoint::store::detail

namespace flashpoint::store {

struct Database::Impl {
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> db;
  std::string path;
  OpenMode mode = OpenMode::read_write;
  int version = 0;
  // Declared after `db`, so statements are finalised before the close.
  std::unordered_map<std::string, std::unique_ptr<detail::Stmt>> cache;

  // The statement for `sql`, prepared on first use; reset, bindings cleared.
  Result<detail::Stmt*> cached(std::string_view sql);
};

namespace detail {

// Runs the cached query `sql`, with `bind` (may be empty) setting its
// parameters, and calls `row` for each result row; `what` names it in errors.
template <typename F>
Status for_each_row(const Database& db, std::string_view sql, std::string_view what,
                    const std::function<void(Stmt&)>& bind, F&& row) {
  auto stmt = db.impl().cached(sql);
  if (!stmt.ok()) return stmt.status();
  Stmt& s = **stmt;
  ResetOnExit reset(s);
  if (bind) bind(s);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) row(s);
  return check(db.handle(), rc, what);
}

}  // namespace detail

}  // namespace flashpoint::store
