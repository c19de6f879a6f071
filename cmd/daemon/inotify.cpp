// Inotify on the event loop.
#include "daemon/inotify.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "daemon/guard.hpp"

namespace flashpoint::daemon {

std::shared_ptr<Inotify> Inotify::create(boost::asio::io_context& io) {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::shared_ptr<Inotify>(new Inotify(io, fd));
}

Inotify::Inotify(boost::asio::io_context& io, int fd) : sd_(io, fd) {}

Inotify::~Inotify() { close(); }

int Inotify::add(const std::string& path, std::uint32_t mask) {
  if (closed_) return -1;
  return ::inotify_add_watch(sd_.native_handle(), path.c_str(), mask);
}

void Inotify::remove(int wd) {
  if (!closed_) (void)::inotify_rm_watch(sd_.native_handle(), wd);
}

void Inotify::start(Callback callback) {
  callback_ = std::move(callback);
  do_wait();
}

void Inotify::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  sd_.close(ec);
}

void Inotify::do_wait() {
  if (closed_) return;
  sd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                 [self = shared_from_this()](const boost::system::error_code& ec) {
                   if (ec || self->closed_) return;
                   guarded("inotify", [&] { self->on_readable(); });
                   self->do_wait();
                 });
}

void Inotify::on_readable() {
  alignas(inotify_event) std::array<char, 16384> buf{};
  for (;;) {
    const ssize_t n = ::read(sd_.native_handle(), buf.data(), buf.size());
    if (n <= 0) return;  // EAGAIN: drained
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf.data() + off);
      const std::string_view name = ev->len > 0 ? std::string_view(ev->name) : std::string_view();
      const int wd = (ev->mask & IN_Q_OVERFLOW) != 0 ? -1 : ev->wd;
      if (callback_ && !closed_) callback_(wd, ev->mask, name);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
}

}  // namespace flashpoint::daemon
