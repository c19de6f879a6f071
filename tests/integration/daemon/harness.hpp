// Helpers for the daemon's integration tests: start the real `flashpoint
// run` in a temporary folder, find its ports in its log, talk to it over
// TCP, Unix sockets and HTTP (plain POSIX sockets, every wait bounded),
// read its metrics and its database.
//
// Thread-safety: a Daemon is driven from the test's thread; the socket
// helpers may be used from client threads.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "integration/process.hpp"

namespace fptest {

using Millis = std::chrono::milliseconds;

// Waits for `cond` up to `timeout`, checking every 20 ms.
inline bool eventually(const std::function<bool()>& cond, Millis timeout = Millis(30000)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(Millis(20));
  }
}

struct Launch {
  rlim_t max_file_bytes = RLIM_INFINITY;  // RLIMIT_FSIZE of the process
  bool unprivileged = false;              // as uid/gid 65534 when the tests run as root (setpriv)
};

// True when `unprivileged` needs setpriv (euid 0) and it is present.
inline bool can_drop_root() { return ::access("/usr/bin/setpriv", X_OK) == 0; }

// `flashpoint ARGS...` in `dir`, stdout and stderr appended to dir/log_name;
// killed (SIGKILL) at scope exit if still running. SIGXFSZ is left at its
// default in the child: the binary must ignore it itself.
class Launched {
 public:
  Launched(const std::filesystem::path& dir, const std::vector<std::string>& fp_args,
           const std::string& log_name, const Launch& how = {})
      : log_(dir / log_name) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(log_, ec);
    log_start_ = ec ? 0 : static_cast<std::size_t>(size);
    std::vector<std::string> args;
    if (how.unprivileged && ::geteuid() == 0) {
      args = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    }
    args.emplace_back(FP_BINARY);
    args.insert(args.end(), fp_args.begin(), fp_args.end());
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::signal(SIGXFSZ, SIG_DFL);
      if (how.max_file_bytes != RLIM_INFINITY) {
        const rlimit lim{how.max_file_bytes, how.max_file_bytes};
        if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) ::_exit(126);
      }
      if (::chdir(dir.c_str()) != 0) ::_exit(127);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Launched() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  Launched(const Launched&) = delete;
  Launched& operator=(const Launched&) = delete;

  [[nodiscard]] std::string log() const {
    const std::string all = slurp(log_);
    return all.size() > log_start_ ? all.substr(log_start_) : std::string();
  }

  // The daemon's "ready:" line; false on timeout or early exit.
  bool wait_ready(Millis timeout = Millis(30000)) {
    return eventually(
               [&] {
                 if (poll_exit()) return true;
                 return log().find("] ready: ") != std::string::npos;
               },
               timeout) &&
           !exited_;
  }

  // As Daemon::port.
  [[nodiscard]] int port(const std::string& name) const {
    const std::string text = log();
    const std::regex re = name == "http"
                              ? std::regex(R"(http: listening on [^\s]*:(\d+))")
                              : std::regex("feed " + name + R"(: listening on tcp://[^\s]*:(\d+))");
    std::smatch m;
    if (!std::regex_search(text, m, re)) return -1;
    return std::stoi(m[1].str());
  }

  void signal(int sig) const { ::kill(pid_, sig); }

  [[nodiscard]] pid_t pid() const { return pid_; }

  // The exit status (128 + signal for a death by signal), or nullopt.
  std::optional<int> wait_exit(Millis timeout = Millis(30000)) {
    if (eventually([&] { return poll_exit(); }, timeout)) return code_;
    return std::nullopt;
  }

 private:
  bool poll_exit() {
    if (exited_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exited_ = true;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
  }

  std::filesystem::path log_;
  std::size_t log_start_ = 0;
  pid_t pid_ = -1;
  bool exited_ = false;
  int code_ = -1;
};

// A `flashpoint run --config CONFIG` process; killed (SIGKILL) at scope exit.
class Daemon : public Launched {
 public:
  Daemon(const std::filesystem::path& dir, const std::string& config, const std::string& log_name,
         const std::vector<std::string>& extra = {})
      : Launched(dir, run_args(config, extra), log_name) {}

 private:
  static std::vector<std::string> run_args(const std::string& config,
                                           const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"run", "--config", config};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

inline void set_timeouts(int fd, int ms) {
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// A connected TCP socket to 127.0.0.1:port, or -1.
inline int connect_tcp(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  set_timeouts(fd, 30000);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline int connect_unix(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  set_timeouts(fd, 30000);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Sends `data` over a new TCP connection and closes it.
inline bool send_tcp(int port, std::string_view data) {
  const int fd = connect_tcp(port);
  if (fd < 0) return false;
  const bool ok = send_all(fd, data);
  ::close(fd);
  return ok;
}

struct HttpResponse {
  int status = 0;  // 0: no response
  std::string headers;
  std::string body;
};

// One HTTP/1.1 request on its own connection (Connection: close).
inline HttpResponse http(int port, const std::string& method, const std::string& target,
                         const std::string& body = "", const std::string& extra_headers = "") {
  HttpResponse r;
  const int fd = connect_tcp(port);
  if (fd < 0) return r;
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  req += extra_headers;
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  send_all(fd, req);  // a 413 may close the socket before the body is sent
  std::string in;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto head_end = in.find("\r\n\r\n");
  if (in.size() < 12 || head_end == std::string::npos) return r;
  r.status = std::stoi(in.substr(9, 3));
  r.headers = in.substr(0, head_end);
  r.body = in.substr(head_end + 4);
  return r;
}

// The value of the first metric sample whose text starts with `prefix`
// (e.g. `flashpoint_events_total{feed="wire",`), or -1.
inline double metric(const std::string& text, const std::string& prefix) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    const std::string line = text.substr(pos, end == std::string::npos ? end : end - pos);
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(line.rfind(' ') + 1));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return -1;
}

inline double metric_of(int http_port, const std::string& prefix, const std::string& token = "") {
  const auto r = http(http_port, "GET", "/metrics", "",
                      token.empty() ? "" : "Authorization: Bearer " + token + "\r\n");
  return r.status == 200 ? metric(r.body, prefix) : -1;
}

// One integer from a read-only query on `db` (-1 on error).
inline long long sql_int(const std::string& db, const std::string& query) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return -1;
  }
  sqlite3_busy_timeout(h, 5000);
  sqlite3_stmt* st = nullptr;
  long long v = -1;
  if (sqlite3_prepare_v2(h, query.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return v;
}

// Rows of a read-only query, each row's columns joined by '|'.
inline std::vector<std::string> sql_rows(const std::string& db, const std::string& query) {
  std::vector<std::string> rows;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return rows;
  }
  sqlite3_busy_timeout(h, 5000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h, query.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        if (c > 0) row += '|';
        const auto* text = sqlite3_column_text(st, c);
        if (text != nullptr) row += reinterpret_cast<const char*>(text);
      }
      rows.push_back(std::move(row));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return rows;
}

// Writes `text` to `dir/name` through a hidden temporary and a rename, as
// a producer dropping files into a watched folder would.
inline void drop_file(const std::filesystem::path& dir, const std::string& name,
                      const std::string& text) {
  const auto tmp = dir / ("." + name + ".tmp");
  write_file(tmp, text);
  std::filesystem::rename(tmp, dir / name);
}

// A config for the tests: `body` holds [[feed]] and [http] tables; the
// [daemon] table points at `dir` (absolute paths).
inline std::string write_config(const TempDir& dir, const std::string& body,
                                const std::string& daemon_extra = "") {
  const std::string path = dir / "flashpoint.toml";
  write_file(path, "[daemon]\ndatabase = \"" + (dir / "fp.db") + "\"\nrules = [\"" +
                       (dir / "rules") + "\"]\nlog_level = \"info\"\n" + daemon_extra + "\n" +
                       body);
  return path;
}

// One event line.
inline std::string event(const std::string& id, const std::string& kind,
                         const std::string& region = "taiwan_strait",
                         const std::string& time = "2024-03-01T00:00:00Z") {
  return R"({"id":")" + id + R"(","time":")" + time + R"(","kind":")" + kind +
         R"(","actors":["CHN","USA"],"region":")" + region + "\"}\n";
}

}  // namespace fptest
