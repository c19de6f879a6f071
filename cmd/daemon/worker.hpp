// Worker: one thread for blocking work kept off the event loop (rule
// compilation on reload, database reads for GET /alerts), behind a bounded
// queue. A job that must report back posts to the loop itself.
//
// Thread-safety: submit() may be called from any thread; stop() from the
// owner. The destructor stops and joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace flashpoint::daemon {

class Worker {
 public:
  explicit Worker(std::size_t max_pending);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues `job`. Returns false (and drops it) when `max_pending` jobs are
  // already waiting, unless `always` is set, or when the worker has stopped.
  bool submit(std::function<void()> job, bool always = false);
  // Runs the jobs already queued, then joins the thread.
  void stop();

 private:
  void run();

  std::size_t max_pending_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace flashpoint::daemon
