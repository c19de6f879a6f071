// For the fault and limit tests: a connection of the test's own to hold
// database locks. Starting the binary under a fault (a file size limit, as
// an unprivileged user) is Launched, in harness.hpp.
//
// Thread-safety: used from the test's thread.
#pragma once

#include <sys/resource.h>
#include <sys/stat.h>

#include "integration/daemon/harness.hpp"

namespace fptest {

// A read-write connection of the test's own, to hold locks.
class Connection {
 public:
  explicit Connection(const std::string& db) {
    if (sqlite3_open_v2(db.c_str(), &h_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(h_);
      h_ = nullptr;
    }
    if (h_ != nullptr) sqlite3_busy_timeout(h_, 10000);
  }
  ~Connection() { sqlite3_close(h_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  bool exec(const std::string& sql) {
    return h_ != nullptr && sqlite3_exec(h_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  }

 private:
  sqlite3* h_ = nullptr;
};

}  // namespace fptest
