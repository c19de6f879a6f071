// TCP and Unix socket feeds: a listener and one Connection per client.
#include "daemon/socket_source.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <type_traits>
#include <unordered_map>

#include "daemon/guard.hpp"

namespace flashpoint::daemon {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using unix_socket = asio::local::stream_protocol;
using boost::system::error_code;

constexpr std::size_t kReadBuffer = 64 * 1024;
constexpr auto kDrainQuiet = std::chrono::milliseconds(200);
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

template <typename Protocol>
class Listener;

template <typename Protocol>
class Connection : public std::enable_shared_from_this<Connection<Protocol>> {
 public:
  using Socket = typename Protocol::socket;

  Connection(Socket socket, std::shared_ptr<Listener<Protocol>> listener,
             std::unique_ptr<Stream> stream, std::chrono::milliseconds idle)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        listener_(std::move(listener)),
        stream_(std::move(stream)),
        idle_(idle),
        buf_(new char[kReadBuffer]) {}

  void start() { do_read(); }

  // Shutdown: read what the client already sent, then close.
  void drain() {
    if (closed_ || draining_) return;
    draining_ = true;
    if (reading_) {
      arm_timer(kDrainQuiet);
    } else {
      do_read();
    }
  }

 private:
  void do_read() {
    if (closed_ || reading_) return;
    if (!draining_ && !listener_->pipeline().accepting()) {
      if (!waiting_) {
        waiting_ = true;
        listener_->pipeline().when_accepting([self = this->shared_from_this()] {
          self->waiting_ = false;
          self->do_read();
        });
      }
      return;
    }
    reading_ = true;
    arm_timer(draining_ ? std::chrono::milliseconds(kDrainQuiet) : idle_);
    socket_.async_read_some(asio::buffer(buf_.get(), kReadBuffer),
                            [self = this->shared_from_this()](const error_code& ec, std::size_t n) {
                              guarded("connection", [&] { self->on_read(ec, n); });
                            });
  }

  void on_read(const error_code& ec, std::size_t n) {
    reading_ = false;
    ++timer_gen_;
    if (n > 0) stream_->feed(std::string_view(buf_.get(), n));
    if (ec == asio::error::eof) {
      stream_->finish();
      close();
      return;
    }
    if (ec) {
      if (timed_out_ && !draining_) {
        spdlog::info("{}: a client was idle too long; closed", listener_->describe());
      } else if (ec != asio::error::operation_aborted) {
        spdlog::debug("{}: client read: {}", listener_->describe(), ec.message());
      }
      close();
      return;
    }
    do_read();
  }

  void arm_timer(std::chrono::milliseconds after) {
    const std::uint64_t gen = ++timer_gen_;
    timer_.expires_after(after);
    timer_.async_wait([self = this->shared_from_this(), gen](const error_code& ec) {
      if (ec || gen != self->timer_gen_ || !self->reading_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    error_code ec;
    socket_.shutdown(Socket::shutdown_both, ec);
    socket_.close(ec);
    timer_.cancel();
    listener_->remove(this);
  }

  Socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<Listener<Protocol>> listener_;
  std::unique_ptr<Stream> stream_;
  std::chrono::milliseconds idle_;
  std::unique_ptr<char[]> buf_;
  std::uint64_t timer_gen_ = 0;
  bool reading_ = false;
  bool waiting_ = false;
  bool draining_ = false;
  bool timed_out_ = false;
  bool closed_ = false;
};

template <typename Protocol>
class Listener final : public Source, public std::enable_shared_from_this<Listener<Protocol>> {
 public:
  Listener(asio::io_context& io, Pipeline& pipeline, const Feed& feed,
           const cmd::FeedConfig& config)
      : pipeline_(pipeline), feed_(feed), config_(config), acceptor_(io), retry_(io) {}

  std::string start() override {
    error_code ec;
    std::string where;
    if constexpr (std::is_same_v<Protocol, tcp>) {
      const auto address = asio::ip::make_address(config_.address.host, ec);
      if (ec) return describe() + ": bad address: " + ec.message();
      const tcp::endpoint endpoint(address, config_.address.port);
      acceptor_.open(endpoint.protocol(), ec);
      if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec) acceptor_.bind(endpoint, ec);
      if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
      if (ec) return describe() + ": cannot listen: " + ec.message();
      const auto bound = acceptor_.local_endpoint(ec);
      where = "tcp://" + bound.address().to_string() + ":" + std::to_string(bound.port());
    } else {
      const std::string& path = config_.address.path;
      std::string err = remove_stale_socket(path);
      if (!err.empty()) return describe() + ": " + err;
      const unix_socket::endpoint endpoint(path);
      acceptor_.open(endpoint.protocol(), ec);
      if (!ec) acceptor_.bind(endpoint, ec);
      if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
      if (ec) return describe() + ": cannot listen: " + ec.message();
      created_path_ = path;
      if (::chmod(path.c_str(), 0660) != 0) {
        return describe() + ": chmod 0660: " + std::strerror(errno);
      }
      where = "unix://" + path;
    }
    spdlog::info("feed {}: listening on {}", feed_.name, where);
    do_accept();
    return "";
  }

  void stop() override {
    if (stopping_) return;
    stopping_ = true;
    error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
    if (!created_path_.empty()) (void)::unlink(created_path_.c_str());
    // Copy: drain() may close a connection, which removes it from the map.
    std::vector<std::shared_ptr<Connection<Protocol>>> live;
    for (auto& [ptr, weak] : connections_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
    for (auto& c : live) c->drain();
  }

  [[nodiscard]] bool stopped() const override { return stopping_ && connections_.empty(); }

  [[nodiscard]] std::string describe() const override {
    return "feed " + feed_.name + " (" + config_.listen + ")";
  }

  Pipeline& pipeline() { return pipeline_; }

  void remove(Connection<Protocol>* c) {
    if (connections_.erase(c) > 0) --feed_.metrics->connections;
  }

 private:
  static std::string remove_stale_socket(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return "";
    if (!S_ISSOCK(st.st_mode)) return path + " exists and is not a socket";
    // A socket nobody answers on is left over from a previous run.
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
      const bool live = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      ::close(fd);
      if (live) return path + " is in use by another process";
    }
    if (::unlink(path.c_str()) != 0)
      return "cannot remove stale " + path + ": " + std::strerror(errno);
    return "";
  }

  void do_accept() {
    if (stopping_) return;
    acceptor_.async_accept(
        [self = this->shared_from_this()](const error_code& ec, typename Protocol::socket socket) {
          guarded("accept", [&] { self->on_accept(ec, std::move(socket)); });
        });
  }

  void on_accept(const error_code& ec, typename Protocol::socket socket) {
    if (stopping_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      spdlog::warn("{}: accept: {}", describe(), ec.message());
      retry_.expires_after(kAcceptRetry);
      retry_.async_wait([self = this->shared_from_this()](const error_code& e) {
        if (!e) self->do_accept();
      });
      return;
    }
    if (connections_.size() >= config_.max_clients) {
      ++feed_.metrics->connections_refused;
      if (feed_.metrics->connections_refused % 100 == 1) {
        spdlog::warn("{}: {} clients connected (max_clients); refusing more", describe(),
                     connections_.size());
      }
      error_code ignored;
      socket.close(ignored);
    } else {
      auto stream = pipeline_.open_stream(feed_);
      auto c = std::make_shared<Connection<Protocol>>(
          std::move(socket), this->shared_from_this(), std::move(stream),
          std::chrono::milliseconds(config_.idle_timeout_ms));
      connections_.emplace(c.get(), c);
      ++feed_.metrics->connections;
      ++feed_.metrics->connections_total;
      c->start();
    }
    do_accept();
  }

  Pipeline& pipeline_;
  const Feed& feed_;
  cmd::FeedConfig config_;
  typename Protocol::acceptor acceptor_;
  asio::steady_timer retry_;
  std::unordered_map<Connection<Protocol>*, std::weak_ptr<Connection<Protocol>>> connections_;
  std::string created_path_;
  bool stopping_ = false;
};

}  // namespace

std::shared_ptr<Source> make_socket_source(asio::io_context& io, Pipeline& pipeline,
                                           const Feed& feed, const cmd::FeedConfig& config) {
  if (config.address.kind == cmd::ListenAddress::Kind::unix_socket) {
    return std::make_shared<Listener<unix_socket>>(io, pipeline, feed, config);
  }
  return std::make_shared<Listener<tcp>>(io, pipeline, feed, config);
}

}  // namespace flashpoint::daemon
