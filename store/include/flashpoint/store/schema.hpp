// The versioned schema of the flashpoint database.
//
// The schema version lives in `PRAGMA user_version`. Migrations form an
// ordered list; Database::open (read_write) applies those above the file's
// version, in one transaction, and refuses a file whose version is newer
// than kSchemaVersion. docs/schema.md documents every table.
//
// Thread-safety: constants and pure functions; safe from any thread.
#pragma once

#include <span>
#include <string_view>

namespace flashpoint::store {

struct Migration {
  int version;           // user_version after applying `sql`
  std::string_view sql;  // one or more statements
};

// Every migration, in ascending version order.
std::span<const Migration> migrations();

// The version this build writes and reads (the last migration's).
inline constexpr int kSchemaVersion = 2;

// Names of the tables of the current schema (views not included).
std::span<const std::string_view> table_names();

}  // namespace flashpoint::store
