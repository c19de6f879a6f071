// Store-private: keeps the WAL short without making the alert writer copy
// it into the database itself.
//
// The writer connection runs with automatic checkpoints off and reports the
// WAL's length after each commit. Past `background_pages` frames the
// checkpointer thread, on its own connection, copies WAL frames into the
// database (PASSIVE: it never waits for the writer or for readers). Past
// `catch_up_pages` the writer thread runs a PASSIVE checkpoint itself
// between two transactions: cheap, since the thread has copied most frames
// already, and complete (no frames are being added), so the next
// transaction starts the WAL over.
//
// Thread-safety: after_commit and the destructor are called from the writer
// thread; the checkpointer thread is internal.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "flashpoint/store/database.hpp"

namespace flashpoint::store::detail {

class Checkpointer {
 public:
  // WAL sizes that start a checkpoint: in the background past 4 MiB (SQLite's
  // own autocheckpoint is 1,000 pages, 4 MiB at its default page size), on
  // the writer itself past 64 MiB, when the background one is not keeping up.
  static constexpr std::int64_t kBackgroundBytes = 4LL << 20;
  static constexpr std::int64_t kCatchUpBytes = 64LL << 20;

  // Takes over checkpoints of `writer` (a read-write WAL connection to
  // `path`); nullptr when that is not possible (the writer then keeps
  // SQLite's automatic checkpoints).
  static std::unique_ptr<Checkpointer> start(sqlite3* writer, const std::string& path);

  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Called by the writer thread after each commit.
  void after_commit();

 private:
  Checkpointer(sqlite3* writer, Database own);
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();

  sqlite3* writer_;
  Database own_;
  int wal_pages_ = 0;  // frames in the WAL after the last commit (writer thread)
  int background_pages_ = 1000;
  int catch_up_pages_ = 16384;
  std::mutex checkpoint_mu_;  // one checkpoint at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace flashpoint::store::detail
