// Database: one SQLite connection to a flashpoint database, opened
// read-write (the daemon, replay, ack/resolve) or read-only (queries).
//
// read_write creates the file and its parent folder when missing, turns on
// WAL (readers never block the writer, nor the writer the readers), sets
// synchronous=NORMAL, a busy timeout and foreign keys, and migrates the
// schema forward in one transaction (see schema.hpp). read_only opens with
// SQLITE_OPEN_READONLY, never creates anything, and fails when the file is
// missing or its schema is not the current one.
//
// Thread-safety: a Database is used by one thread at a time (it may be
// moved to another thread between uses). Separate Database objects on the
// same file may be used concurrently from different threads or processes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "flashpoint/store/status.hpp"

struct sqlite3;

namespace flashpoint::store {

enum class OpenMode : std::uint8_t { read_write, read_only };

struct DatabaseOptions {
  int busy_timeout_ms = 5000;           // how long a statement waits for a lock
  std::int64_t cache_size_kib = 65536;  // page cache per connection (PRAGMA cache_size)
};

class Database {
 public:
  // Opens (and for read_write creates and migrates) the database at `path`.
  static Result<Database> open(const std::string& path, OpenMode mode,
                               const DatabaseOptions& options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  [[nodiscard]] OpenMode mode() const;
  [[nodiscard]] const std::string& path() const;
  // PRAGMA user_version after opening (and migrating).
  [[nodiscard]] int schema_version() const;

  // Runs SQL text (one or more statements, rows discarded). For maintenance,
  // scripts and tests; the store's own statements are prepared once.
  Status exec(std::string_view sql);

  // The raw connection, for callers that need SQLite directly.
  [[nodiscard]] sqlite3* handle() const;

  struct Impl;  // store-private
  [[nodiscard]] Impl& impl() const { return *impl_; }

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace flashpoint::store
