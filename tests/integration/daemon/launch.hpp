// Starting the real `flashpoint` binary under a fault, for the fault and
// limit tests: with a file size limit (RLIMIT_FSIZE, the way `ulimit -f`
// simulates a full disk) or as an unprivileged user (setpriv), so that a
// database can be made unwritable even when the tests run as root.
//
// Thread-safety: a Launched process is driven from the test's thread.
#pragma once

#include <sys/resource.h>
#include <sys/stat.h>

#include "integration/daemon/harness.hpp"

namespace fptest {

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
