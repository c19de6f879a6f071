#include "flashpoint/store/database.hpp"

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "flashpoint/store/schema.hpp"
#include "sqlite_util.hpp"

namespace flashpoint::store {
namespace {

bool is_memory(const std::string& path) { return path.empty() || path == ":memory:"; }

Result<int> read_user_version(sqlite3* db) {
  auto stmt = detail::Stmt::prepare(db, "PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  int rc = stmt->step();
  if (rc != SQLITE_ROW)
    return detail::check(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, "read user_version");
  return static_cast<int>(stmt->int64(0));
}

Result<bool> has_tables(sqlite3* db) {
  auto stmt = detail::Stmt::prepare(db, "SELECT count(*) FROM sqlite_schema");
  if (!stmt.ok()) return stmt.status();
  int rc = stmt->step();
  if (rc != SQLITE_ROW) return detail::check(db, rc, "read sqlite_schema");
  return stmt->int64(0) > 0;
}

Status too_new(const std::string& path, int version) {
  return {StatusCode::schema_too_new, path + " has schema version " + std::to_string(version) +
                                          ", newer than this build's " +
                                          std::to_string(kSchemaVersion) + "; upgrade flashpoint"};
}

Status not_flashpoint(const std::string& path) {
  return {StatusCode::schema_mismatch, path + " is not a flashpoint database"};
}

// Applies the migrations above the file's version, in one transaction.
Status migrate(sqlite3* db, const std::string& path, int& version) {
  return detail::in_transaction(db, [&]() -> Status {
    auto current = read_user_version(db);  // again, now that we hold the write lock
    if (!current.ok()) return current.status();
    version = *current;
    if (version > kSchemaVersion) return too_new(path, version);
    if (version == kSchemaVersion) return {};
    if (version == 0) {
      auto tables = has_tables(db);
      if (!tables.ok()) return tables.status();
      if (*tables) return not_flashpoint(path);
    }
    for (const Migration& m : migrations()) {
      if (m.version <= version) continue;
      if (Status st = detail::exec(db, m.sql); !st.ok()) {
        return {st.code(),
                "migration to version " + std::to_string(m.version) + ": " + st.message()};
      }
    }
    if (Status st = detail::exec(db, "PRAGMA user_version = " + std::to_string(kSchemaVersion));
        !st.ok()) {
      return st;
    }
    version = kSchemaVersion;
    return {};
  });
}

Status configure_read_write(sqlite3* db, const std::string& path) {
  if (!is_memory(path)) {
    auto stmt = detail::Stmt::prepare(db, "PRAGMA journal_mode = WAL");
    if (!stmt.ok()) return stmt.status();
    int rc = stmt->step();
    if (Status st = detail::check(db, rc, "set WAL mode"); !st.ok()) return st;
    if (rc != SQLITE_ROW || stmt->text(0) != "wal") {
      return {StatusCode::sqlite_error, "cannot put " + path + " in WAL mode"};
    }
  }
  return detail::exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
}

}  // namespace

Result<Database> Database::open(const std::string& path, OpenMode mode,
                                const DatabaseOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (mode == OpenMode::read_only) {
    if (is_memory(path) || !fs::exists(path, ec)) {
      return Status(StatusCode::not_found, "database " + path + " does not exist");
    }
  } else if (!is_memory(path)) {
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::exists(parent, ec)) {
      fs::create_directories(parent, ec);
      if (ec) {
        return Status(StatusCode::io_error,
                      "cannot create folder " + parent.string() + ": " + ec.message());
      }
    }
  }

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->mode = mode;
  int flags = SQLITE_OPEN_NOMUTEX |
              (mode == OpenMode::read_only ? SQLITE_OPEN_READONLY
                                           : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  impl->db.reset(raw);
  if (rc != SQLITE_OK) {
    return Status(
        StatusCode::io_error,
        "cannot open " + path + ": " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3* db = impl->db.get();
  // SQLite opens a file it may not write read-only without an error; a
  // writer would then fail at its first write, far from the cause.
  if (mode == OpenMode::read_write && sqlite3_db_readonly(db, "main") == 1) {
    return Status(StatusCode::io_error,
                  "cannot write " + path +
                      ": the file is read-only (permissions, or a read-only file system)");
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  if (Status st =
          detail::exec(db, "PRAGMA cache_size = " + std::to_string(-options.cache_size_kib));
      !st.ok()) {
    return st;
  }

  auto version = read_user_version(db);
  if (!version.ok())
    return Status(version.status().code(), path + ": " + version.status().message());
  impl->version = *version;
  if (impl->version > kSchemaVersion) return too_new(path, impl->version);

  if (mode == OpenMode::read_write) {
    // A new database gets 16 KiB pages: a quarter of the WAL writes of the
    // default 4 KiB for the same alerts (docs/performance.md). It must be set
    // before the first table exists and before WAL mode.
    if (impl->version == 0) {
      if (Status st = detail::exec(db, "PRAGMA page_size = 16384"); !st.ok()) return st;
    }
    if (Status st = configure_read_write(db, path); !st.ok()) return st;
    if (impl->version != kSchemaVersion) {
      if (Status st = migrate(db, path, impl->version); !st.ok()) return st;
    }
  } else if (impl->version == 0) {
    return not_flashpoint(path);
  } else if (impl->version != kSchemaVersion) {
    return Status(StatusCode::schema_mismatch,
                  path + " has schema version " + std::to_string(impl->version) +
                      "; open it read-write once (e.g. run the daemon) to migrate it");
  }
  return Database(std::move(impl));
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

OpenMode Database::mode() const { return impl_->mode; }
const std::string& Database::path() const { return impl_->path; }
int Database::schema_version() const { return impl_->version; }
sqlite3* Database::handle() const { return impl_->db.get(); }

Status Database::exec(std::string_view sql) { return detail::exec(impl_->db.get(), sql); }

}  // namespace flashpoint::store
