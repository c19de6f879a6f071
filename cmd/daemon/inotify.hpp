// Inotify: Linux file-change notifications on the event loop, for the rule
// watcher and the file sources. Each event is handed to the callback with
// its watch descriptor, mask and the name inside the watched folder.
// IN_Q_OVERFLOW arrives as wd -1: rescan everything.
//
// Create with Inotify::create (handlers hold a shared_ptr). Thread-safety:
// loop thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace flashpoint::daemon {

class Inotify : public std::enable_shared_from_this<Inotify> {
 public:
  using Callback = std::function<void(int wd, std::uint32_t mask, std::string_view name)>;

  // nullptr when inotify is unavailable (the sources fall back to polling).
  static std::shared_ptr<Inotify> create(boost::asio::io_context& io);
  ~Inotify();
  Inotify(const Inotify&) = delete;
  Inotify& operator=(const Inotify&) = delete;

  // Adds a watch; returns its descriptor, or -1 (errno set).
  int add(const std::string& path, std::uint32_t mask);
  void remove(int wd);
  void start(Callback callback);
  void close();

 private:
  Inotify(boost::asio::io_context& io, int fd);
  void do_wait();
  void on_readable();

  boost::asio::posix::stream_descriptor sd_;
  Callback callback_;
  bool closed_ = false;
};

}  // namespace flashpoint::daemon
