// Rule folder watching with inotify and a debounce timer.
#include "daemon/rule_watcher.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "daemon/file_util.hpp"
#include "daemon/guard.hpp"

namespace flashpoint::daemon {
namespace {

constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_TO |
                                IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF;

bool is_toml(std::string_view name) {
  return name.size() > 5 && name.substr(name.size() - 5) == ".toml" && name.front() != '.';
}

}  // namespace

RuleWatcher::RuleWatcher(boost::asio::io_context& io, std::vector<std::string> paths,
                         std::uint32_t delay_ms, std::function<void()> on_change)
    : io_(io),
      paths_(std::move(paths)),
      delay_ms_(delay_ms),
      on_change_(std::move(on_change)),
      timer_(io) {}

bool RuleWatcher::start() {
  inotify_ = Inotify::create(io_);
  if (!inotify_) return false;
  for (const auto& p : paths_) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      trees_.insert(p);
      add_tree(p);
    } else {
      const std::filesystem::path fp(p);
      files_.insert(fp.lexically_normal().string());
      add_dir(fp.has_parent_path() ? fp.parent_path().string() : ".");
    }
  }
  std::weak_ptr<RuleWatcher> weak = shared_from_this();
  inotify_->start([weak](int wd, std::uint32_t mask, std::string_view name) {
    if (auto self = weak.lock()) {
      guarded("rule watcher", [&] { self->on_event(wd, mask, name); });
    }
  });
  return true;
}

void RuleWatcher::stop() {
  stopped_ = true;
  ++gen_;
  timer_.cancel();
  if (inotify_) inotify_->close();
}

void RuleWatcher::add_tree(const std::string& dir) {
  add_dir(dir);
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_directory(ec)) add_dir(it->path().string());
  }
}

void RuleWatcher::add_dir(const std::string& dir) {
  const int wd = inotify_->add(dir, kMask);
  if (wd < 0) {
    spdlog::warn("rules: cannot watch {}: {}", dir, std::strerror(errno));
    return;
  }
  dirs_[wd] = dir;
}

void RuleWatcher::on_event(int wd, std::uint32_t mask, std::string_view name) {
  if (stopped_) return;
  if (wd < 0) {  // overflow: something changed
    changed();
    return;
  }
  const auto it = dirs_.find(wd);
  if (it == dirs_.end()) return;
  const std::string dir = it->second;
  if ((mask & IN_IGNORED) != 0) {
    dirs_.erase(it);
    return;
  }
  if ((mask & IN_ISDIR) != 0) {
    if ((mask & (IN_CREATE | IN_MOVED_TO)) != 0 && !name.empty()) add_tree(join_path(dir, name));
    changed();
    return;
  }
  if (name.empty()) {  // the folder itself went away or moved
    changed();
    return;
  }
  const std::string path = std::filesystem::path(join_path(dir, name)).lexically_normal().string();
  bool relevant = files_.count(path) > 0;
  if (!relevant && is_toml(name)) {
    // A *.toml inside a watched tree (not a sibling of a file named directly).
    for (const auto& t : trees_) {
      std::string prefix = std::filesystem::path(t).lexically_normal().string();
      if (prefix.empty() || prefix.back() != '/') prefix += '/';
      if (prefix == "./" || path.compare(0, prefix.size(), prefix) == 0) {
        relevant = true;
        break;
      }
    }
  }
  if (relevant) changed();
}

void RuleWatcher::changed() {
  const std::uint64_t gen = ++gen_;
  timer_.expires_after(std::chrono::milliseconds(delay_ms_));
  timer_.async_wait([weak = weak_from_this(), gen](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped_ || gen != self->gen_) return;
    guarded("rule watcher", [&] { self->on_change_(); });
  });
}

}  // namespace flashpoint::daemon
