// The daemon's blocking-work thread.
#include "daemon/worker.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace flashpoint::daemon {

Worker::Worker(std::size_t max_pending) : max_pending_(max_pending) {
  thread_ = std::thread([this] { run(); });
}

Worker::~Worker() { stop(); }

bool Worker::submit(std::function<void()> job, bool always) {
  {
    std::lock_guard lock(mu_);
    if (stop_ || (!always && jobs_.size() >= max_pending_)) return false;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void Worker::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Worker::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("worker: job failed: {}", e.what());
    } catch (...) {
      spdlog::error("worker: job failed");
    }
  }
}

}  // namespace flashpoint::daemon
