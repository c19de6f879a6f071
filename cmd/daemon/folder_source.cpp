// watch = "DIR": files that appear in a folder, read in name order.
#include <dirent.h>
#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_map>

#include "daemon/file_source.hpp"
#include "daemon/file_util.hpp"
#include "daemon/guard.hpp"
#include "daemon/inotify.hpp"

namespace flashpoint::daemon {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kChunk = 256 * 1024;

bool eligible(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '~') return false;
  for (std::string_view suffix : {".tmp", ".part", ".partial", ".swp"}) {
    if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      return false;
    }
  }
  return true;
}

class FolderSource final : public Source, public std::enable_shared_from_this<FolderSource> {
 public:
  FolderSource(asio::io_context& io, Pipeline& pipeline, const Feed& feed,
               const cmd::FeedConfig& config, std::vector<store::FeedOffset> stored)
      : io_(io),
        pipeline_(pipeline),
        feed_(feed),
        config_(config),
        poll_(io),
        settle_timer_(io),
        buf_(new char[kChunk]) {
    for (auto& o : stored) stored_[o.file] = static_cast<std::uint64_t>(o.offset);
    move_to_ = config_.done != "leave" ? config_.done : "";
  }

  std::string start() override {
    const FileStat dir = stat_file(config_.watch);
    if (!dir.exists) return describe() + ": " + config_.watch + " does not exist";
    // Stays registered: the last checkpoint, after stop(), still collects.
    pipeline_.add_offsets([this](std::vector<store::FeedOffset>& out) { collect(out); });
    inotify_ = Inotify::create(io_);
    if (inotify_) {
      if (inotify_->add(config_.watch, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO |
                                           IN_MOVED_FROM | IN_DELETE) < 0) {
        spdlog::warn("{}: cannot watch the folder: {} (polling every {} ms)", describe(),
                     std::strerror(errno), config_.poll_ms);
      }
      std::weak_ptr<FolderSource> weak = shared_from_this();
      inotify_->start([weak](int wd, std::uint32_t /*mask*/, std::string_view name) {
        auto self = weak.lock();
        if (!self) return;
        if (wd < 0) {
          self->scan();
        } else if (eligible(name)) {
          self->look_at(std::string(name));
        }
        self->schedule();
      });
    }
    scan();
    spdlog::info("feed {}: watching {} ({} files{})", feed_.name, config_.watch, files_.size(),
                 move_to_.empty() ? "" : ", finished files go to " + move_to_);
    arm_poll();
    schedule();
    return "";
  }

  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    poll_.cancel();
    settle_timer_.cancel();
    if (inotify_) inotify_->close();
  }

  [[nodiscard]] bool stopped() const override { return stopped_; }

  [[nodiscard]] std::string describe() const override {
    return "feed " + feed_.name + " (" + config_.watch + ")";
  }

 private:
  struct Entry {
    std::uint64_t ino = 0;
    std::uint64_t size = 0;  // as last seen
    std::uint64_t read = 0;  // bytes handed to the stream
    std::unique_ptr<OpenFile> file;
    std::unique_ptr<Stream> stream;
    SteadyClock::time_point changed;
    std::uint64_t final_offset = 0;              // once finished
    std::uint64_t reported = ~std::uint64_t{0};  // offset in the last checkpoint
    bool finished = false;
    bool moving = false;
  };

  std::string path_of(const std::string& name) const { return join_path(config_.watch, name); }

  void scan() {
    DIR* d = ::opendir(config_.watch.c_str());
    if (d == nullptr) {
      spdlog::warn("{}: cannot list the folder: {}", describe(), std::strerror(errno));
      return;
    }
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
      if (eligible(e->d_name)) names.emplace_back(e->d_name);
    }
    ::closedir(d);
    std::unordered_map<std::string, bool> seen;
    for (auto& n : names) {
      seen[n] = true;
      look_at(n);
    }
    for (auto it = files_.begin(); it != files_.end();) {
      if (!it->second.moving && !it->second.file && seen.count(it->first) == 0 &&
          !stat_file(path_of(it->first)).exists) {
        it = files_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // Notes the current size of `name` (new file, growth, replacement).
  void look_at(const std::string& name) {
    const FileStat st = stat_file(path_of(name));
    auto it = files_.find(name);
    if (!st.exists || !st.regular) return;
    if (it == files_.end()) {
      Entry e;
      e.ino = st.ino;
      e.size = st.size;
      e.changed = SteadyClock::now();
      const auto stored = stored_.find(path_of(name));
      if (stored != stored_.end()) {
        if (stored->second <= st.size) {
          e.read = stored->second;
          e.reported = stored->second;
        } else {
          spdlog::warn("{}: {} is shorter than its stored offset; reading it from the start",
                       describe(), name);
        }
        stored_.erase(stored);
      }
      files_.emplace(name, std::move(e));
      return;
    }
    Entry& e = it->second;
    if (e.moving) return;
    if (st.ino != e.ino || st.size < e.read) {
      spdlog::info("{}: {} was replaced; reading it from the start", describe(), name);
      e.file.reset();
      e.stream.reset();
      e.ino = st.ino;
      e.read = 0;
      e.finished = false;
      e.size = st.size;
      e.changed = SteadyClock::now();
      pipeline_.mark_dirty(true);
      return;
    }
    if (st.size != e.size) {
      e.size = st.size;
      e.changed = SteadyClock::now();
      if (e.finished && st.size > e.final_offset) {
        e.finished = false;  // appended after it was finished
        e.read = e.final_offset;
        e.stream.reset();
      }
    }
  }

  void collect(std::vector<store::FeedOffset>& out) {
    for (auto& [name, e] : files_) {
      std::uint64_t off = e.read;
      if (e.finished) {
        off = e.final_offset;
      } else if (e.stream) {
        off = e.stream->safe_offset();
      }
      if (off == e.reported) continue;
      out.push_back({feed_.name, path_of(name), static_cast<std::int64_t>(off), {}});
      e.reported = off;
    }
    for (auto& name : moved_) out.push_back({feed_.name, path_of(name), 0, {}});
    moved_.clear();
  }

  void schedule() {
    if (scheduled_ || stopped_) return;
    scheduled_ = true;
    asio::post(io_, [self = shared_from_this()] {
      self->scheduled_ = false;
      guarded("folder", [&] { self->pump(); });
    });
  }

  void arm_poll() {
    if (stopped_) return;
    poll_.expires_after(std::chrono::milliseconds(config_.poll_ms));
    poll_.async_wait([weak = weak_from_this()](const error_code& ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      guarded("folder", [&] {
        self->scan();
        self->schedule();
        self->arm_poll();
      });
    });
  }

  void pump() {
    if (stopped_) return;
    if (!pipeline_.accepting()) {
      if (!waiting_) {
        waiting_ = true;
        pipeline_.when_accepting([self = shared_from_this()] {
          self->waiting_ = false;
          self->schedule();
        });
      }
      return;
    }
    for (auto& [name, e] : files_) {
      if (e.moving || e.finished || e.read >= e.size) continue;
      read_chunk(name, e);
      schedule();
      return;
    }
    settle();
  }

  void read_chunk(const std::string& name, Entry& e) {
    if (!e.file) {
      std::string err;
      e.file = OpenFile::open(path_of(name), err);
      if (!e.file) {
        spdlog::warn("{}: {}", describe(), err);
        e.size = e.read;  // try again when it changes
        return;
      }
      if (e.file->ino() != e.ino) {
        e.file.reset();
        look_at(name);
        return;
      }
    }
    if (!e.stream) {
      e.stream =
          pipeline_.open_stream(feed_, e.read, e.read > 0 ? e.file->count_lines(e.read) : 0, true);
    }
    const long n = e.file->read_at(e.read, buf_.get(), kChunk);
    if (n <= 0) {
      if (n < 0) spdlog::warn("{}: read error on {}", describe(), name);
      e.size = e.read;
      return;
    }
    e.read += static_cast<std::uint64_t>(n);
    e.stream->feed(std::string_view(buf_.get(), static_cast<std::size_t>(n)));
    if (e.read >= e.size) {
      const FileStat st = e.file->stat();
      if (st.size > e.size) {
        e.size = st.size;
        e.changed = SteadyClock::now();
      }
    }
  }

  // Finishes files read to their end and quiet for settle_ms; arms a timer
  // for the next one.
  void settle() {
    const auto now = SteadyClock::now();
    const auto quiet = std::chrono::milliseconds(config_.settle_ms);
    std::optional<SteadyClock::time_point> next;
    std::vector<std::string> done;
    for (auto& [name, e] : files_) {
      if (e.finished || e.moving || e.read < e.size) continue;
      if (now - e.changed >= quiet) {
        done.push_back(name);
      } else if (!next || e.changed + quiet < *next) {
        next = e.changed + quiet;
      }
    }
    for (const auto& name : done) finish_file(name);
    if (next) {
      const std::uint64_t gen = ++settle_gen_;
      settle_timer_.expires_at(*next);
      settle_timer_.async_wait([weak = weak_from_this(), gen](const error_code& ec) {
        auto self = weak.lock();
        if (ec || !self || gen != self->settle_gen_) return;
        self->schedule();
      });
    }
  }

  void finish_file(const std::string& name) {
    Entry& e = files_.at(name);
    if (e.stream) e.stream->finish();
    e.stream.reset();
    e.file.reset();
    e.finished = true;
    e.final_offset = e.read;
    ++feed_.metrics->files_done;
    pipeline_.mark_dirty(true);
    if (move_to_.empty()) {
      spdlog::debug("{}: finished {}", describe(), name);
      return;
    }
    // Move only once the checkpoint that covers the file's end has committed.
    e.moving = true;
    pipeline_.when_committed(pipeline_.next_checkpoint(), [self = shared_from_this(), name] {
      guarded("folder", [&] { self->move_file(name); });
    });
  }

  void move_file(const std::string& name) {
    std::string target = join_path(move_to_, name);
    if (stat_file(target).exists) {
      target += "." + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
    }
    if (std::rename(path_of(name).c_str(), target.c_str()) != 0) {
      spdlog::error("{}: cannot move {} to {}: {} (left in place)", describe(), name, target,
                    std::strerror(errno));
      files_.at(name).moving = false;
      return;
    }
    spdlog::info("{}: finished {} (moved to {})", describe(), name, move_to_);
    files_.erase(name);
    moved_.push_back(name);  // its offset row goes back to 0 for a later file of that name
    pipeline_.mark_dirty(true);
  }

  asio::io_context& io_;
  Pipeline& pipeline_;
  const Feed& feed_;
  cmd::FeedConfig config_;
  std::unordered_map<std::string, std::uint64_t> stored_;
  std::string move_to_;
  asio::steady_timer poll_;
  asio::steady_timer settle_timer_;
  std::unique_ptr<char[]> buf_;
  std::shared_ptr<Inotify> inotify_;
  std::map<std::string, Entry> files_;  // name order
  std::vector<std::string> moved_;
  std::uint64_t settle_gen_ = 0;
  bool scheduled_ = false;
  bool waiting_ = false;
  bool stopped_ = false;
};

}  // namespace

std::shared_ptr<Source> make_folder_source(asio::io_context& io, Pipeline& pipeline,
                                           const Feed& feed, const cmd::FeedConfig& config,
                                           std::vector<store::FeedOffset> stored) {
  return std::make_shared<FolderSource>(io, pipeline, feed, config, std::move(stored));
}

}  // namespace flashpoint::daemon
