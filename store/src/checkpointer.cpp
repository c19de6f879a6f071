#include "checkpointer.hpp"

#include <pthread.h>
#include <sqlite3.h>

#include <algorithm>
#include <utility>

#include "sqlite_util.hpp"

namespace flashpoint::store::detail {

std::unique_ptr<Checkpointer> Checkpointer::start(sqlite3* writer, const std::string& path) {
  if (path.empty() || path == ":memory:") return nullptr;
  auto own = Database::open(path, OpenMode::read_write);
  if (!own.ok()) return nullptr;
  std::unique_ptr<Checkpointer> c(new Checkpointer(writer, std::move(own).value()));
  if (auto ps = Stmt::prepare(writer, "PRAGMA page_size"); ps.ok() && ps->step() == SQLITE_ROW) {
    const std::int64_t page = std::max<std::int64_t>(ps->int64(0), 512);
    c->background_pages_ = static_cast<int>(kBackgroundBytes / page);
    c->catch_up_pages_ = static_cast<int>(kCatchUpBytes / page);
  }
  // Replaces SQLite's automatic checkpoints on the writer connection; a WAL
  // that grew (readers kept old snapshots) is cut back when it restarts.
  sqlite3_wal_hook(writer, &Checkpointer::on_wal_commit, c.get());
  (void)exec(writer, "PRAGMA journal_size_limit = 67108864");
  c->thread_ = std::thread([p = c.get()] { p->run(); });
  return c;
}

Checkpointer::Checkpointer(sqlite3* writer, Database own) : writer_(writer), own_(std::move(own)) {}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  sqlite3_wal_autocheckpoint(writer_, background_pages_);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

int Checkpointer::on_wal_commit(void* self, sqlite3* /*db*/, const char* /*name*/, int pages) {
  static_cast<Checkpointer*>(self)->wal_pages_ = pages;
  return SQLITE_OK;
}

void Checkpointer::after_commit() {
  if (wal_pages_ >= catch_up_pages_) {
    std::lock_guard lock(checkpoint_mu_);
    int log = 0;
    int copied = 0;
    sqlite3_wal_checkpoint_v2(writer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    wal_pages_ = 0;
  } else if (wal_pages_ >= background_pages_) {
    {
      std::lock_guard lock(mu_);
      requested_ = true;
    }
    cv_.notify_one();
  }
}

void Checkpointer::run() {
  pthread_setname_np(pthread_self(), "fp-checkpoint");
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return requested_ || stop_; });
    if (stop_) return;
    requested_ = false;
    lock.unlock();
    {
      std::lock_guard checkpoint(checkpoint_mu_);
      sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
    }
    lock.lock();
  }
}

}  // namespace flashpoint::store::detail
