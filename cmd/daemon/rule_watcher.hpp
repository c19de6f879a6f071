// RuleWatcher: watches the rule files and folders ([daemon] rules) with
// inotify, folders recursively, and asks for a reload once changes to *.toml
// files have been quiet for reload_delay_ms (editors and `git pull` write
// several files in a burst). A new subfolder is watched as it appears.
//
// Thread-safety: loop thread only. Create with std::make_shared.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "daemon/inotify.hpp"

namespace flashpoint::daemon {

class RuleWatcher : public std::enable_shared_from_this<RuleWatcher> {
 public:
  RuleWatcher(boost::asio::io_context& io, std::vector<std::string> paths, std::uint32_t delay_ms,
              std::function<void()> on_change);
  // Returns false when inotify is unavailable (reload stays on SIGHUP).
  bool start();
  void stop();

 private:
  void add_tree(const std::string& dir);
  void add_dir(const std::string& dir);
  void on_event(int wd, std::uint32_t mask, std::string_view name);
  void changed();

  boost::asio::io_context& io_;
  std::vector<std::string> paths_;
  std::uint32_t delay_ms_;
  std::function<void()> on_change_;
  boost::asio::steady_timer timer_;
  std::uint64_t gen_ = 0;
  std::shared_ptr<Inotify> inotify_;
  std::unordered_map<int, std::string> dirs_;  // watch descriptor -> folder
  std::unordered_set<std::string> files_;      // rule files named directly
  std::unordered_set<std::string> trees_;      // folders named in the config (recursive)
  bool stopped_ = false;
};

}  // namespace flashpoint::daemon
