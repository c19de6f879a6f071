// path = "FILE": one file, tailed across rotation and truncation.
#include <dirent.h>
#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <filesystem>

#include "daemon/file_source.hpp"
#include "daemon/file_util.hpp"
#include "daemon/guard.hpp"
#include "daemon/inotify.hpp"

namespace flashpoint::daemon {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

constexpr std::size_t kChunk = 256 * 1024;
constexpr std::string_view kInodeSuffix = "#inode";

class TailSource final : public Source, public std::enable_shared_from_this<TailSource> {
 public:
  TailSource(asio::io_context& io, Pipeline& pipeline, const Feed& feed,
             const cmd::FeedConfig& config, std::vector<store::FeedOffset> stored)
      : io_(io),
        pipeline_(pipeline),
        feed_(feed),
        config_(config),
        stored_(std::move(stored)),
        poll_(io),
        buf_(new char[kChunk]) {
    const std::filesystem::path p(config_.path);
    dir_ = p.has_parent_path() ? p.parent_path().string() : ".";
    base_ = p.filename().string();
  }

  std::string start() override {
    resume();
    // Stays registered: the last checkpoint, after stop(), still collects.
    pipeline_.add_offsets([this](std::vector<store::FeedOffset>& out) { collect(out); });
    inotify_ = Inotify::create(io_);
    if (inotify_) {
      const int wd = inotify_->add(
          dir_, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE);
      if (wd < 0) {
        spdlog::warn("{}: cannot watch {} (polling every {} ms)", describe(), dir_,
                     config_.poll_ms);
      }
      std::weak_ptr<TailSource> weak = shared_from_this();
      inotify_->start([weak](int wd_, std::uint32_t /*mask*/, std::string_view name) {
        auto self = weak.lock();
        if (self && (wd_ < 0 || name == self->base_)) self->schedule();
      });
    }
    spdlog::info("feed {}: tailing {}", feed_.name, config_.path);
    arm_poll();
    schedule();
    return "";
  }

  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    poll_.cancel();
    if (inotify_) inotify_->close();
  }

  [[nodiscard]] bool stopped() const override { return stopped_; }

  [[nodiscard]] std::string describe() const override {
    return "feed " + feed_.name + " (" + config_.path + ")";
  }

 private:
  // Where the committed offsets say to continue.
  void resume() {
    std::optional<std::uint64_t> offset;
    std::optional<std::uint64_t> ino;
    const std::string ino_key = config_.path + std::string(kInodeSuffix);
    for (const auto& o : stored_) {
      if (o.file == config_.path) offset = static_cast<std::uint64_t>(o.offset);
      if (o.file == ino_key) ino = static_cast<std::uint64_t>(o.offset);
    }
    if (!offset) return;  // first run: from the start
    const FileStat now = stat_file(config_.path);
    if (ino && (!now.exists || now.ino != *ino)) {
      // Rotated while we were down: finish the old file first.
      const std::string old = find_by_inode(*ino);
      if (old.empty()) {
        spdlog::warn(
            "{}: the file tailed before the restart (inode {}) is gone; reading {} "
            "from the start",
            describe(), *ino, config_.path);
        return;
      }
      spdlog::info("{}: {} was rotated to {} while stopped; reading its rest first", describe(),
                   config_.path, old);
      open_at(old, *offset);
      return;
    }
    if (!now.exists) return;
    if (now.size < *offset) {
      spdlog::warn("{}: {} is shorter than the stored offset {}; reading from the start",
                   describe(), config_.path, *offset);
      return;
    }
    open_at(config_.path, *offset);
  }

  std::string find_by_inode(std::uint64_t ino) const {
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return "";
    std::string found;
    while (const dirent* e = ::readdir(d)) {
      if (e->d_ino != ino) continue;
      const std::string candidate = join_path(dir_, e->d_name);
      const FileStat st = stat_file(candidate);
      if (st.regular && st.ino == ino) {
        found = candidate;
        break;
      }
    }
    ::closedir(d);
    return found;
  }

  bool open_at(const std::string& path, std::uint64_t offset) {
    std::string err;
    auto f = OpenFile::open(path, err);
    if (!f) {
      spdlog::warn("{}: {}", describe(), err);
      return false;
    }
    const std::uint64_t lines = offset > 0 ? f->count_lines(offset) : 0;
    stream_ = pipeline_.open_stream(feed_, offset, lines, true);
    file_ = std::move(f);
    pos_ = offset;
    ino_ = file_->ino();
    reading_path_ = path;
    return true;
  }

  void collect(std::vector<store::FeedOffset>& out) {
    if (stream_) offset_ = stream_->safe_offset();
    if (ino_ == 0 || (ino_ == reported_ino_ && offset_ == reported_offset_)) return;
    out.push_back({feed_.name, config_.path, static_cast<std::int64_t>(offset_), {}});
    out.push_back({feed_.name,
                   config_.path + std::string(kInodeSuffix),
                   static_cast<std::int64_t>(ino_),
                   {}});
    reported_ino_ = ino_;
    reported_offset_ = offset_;
  }

  void schedule() {
    if (scheduled_ || stopped_) return;
    scheduled_ = true;
    asio::post(io_, [self = shared_from_this()] {
      self->scheduled_ = false;
      guarded("tail", [&] { self->pump(); });
    });
  }

  void arm_poll() {
    if (stopped_) return;
    poll_.expires_after(std::chrono::milliseconds(config_.poll_ms));
    poll_.async_wait([weak = weak_from_this()](const error_code& ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      guarded("tail", [&] {
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
    if (!file_) {
      const FileStat st = stat_file(config_.path);
      if (!st.exists) return;
      if (!open_at(config_.path, 0)) return;
      pipeline_.mark_dirty(true);
    }
    const long n = file_->read_at(pos_, buf_.get(), kChunk);
    if (n < 0) {
      spdlog::warn("{}: read error on {}", describe(), reading_path_);
      return;
    }
    if (n > 0) {
      pos_ += static_cast<std::uint64_t>(n);
      stream_->feed(std::string_view(buf_.get(), static_cast<std::size_t>(n)));
      schedule();
      return;
    }
    // At the end of what is there: rotated, truncated, or just waiting.
    const FileStat at_path = stat_file(config_.path);
    if (!at_path.exists || at_path.ino != ino_) {
      if (file_->stat().size > pos_) {  // written to after the rename: read it first
        schedule();
        return;
      }
      stream_->finish();
      offset_ = pos_;
      spdlog::info("{}: {} rotated; following the new file", describe(), reading_path_);
      stream_.reset();
      file_.reset();
      pipeline_.mark_dirty(true);
      if (at_path.exists) schedule();
      return;
    }
    const FileStat now = file_->stat();
    if (now.size < pos_) {
      spdlog::warn("{}: {} was truncated; reading it from the start", describe(), config_.path);
      stream_ = pipeline_.open_stream(feed_, 0, 0, true);
      pos_ = 0;
      offset_ = 0;
      pipeline_.mark_dirty(true);
      schedule();
    }
  }

  asio::io_context& io_;
  Pipeline& pipeline_;
  const Feed& feed_;
  cmd::FeedConfig config_;
  std::vector<store::FeedOffset> stored_;
  asio::steady_timer poll_;
  std::unique_ptr<char[]> buf_;
  std::string dir_;
  std::string base_;
  std::shared_ptr<Inotify> inotify_;

  std::unique_ptr<OpenFile> file_;
  std::unique_ptr<Stream> stream_;
  std::string reading_path_;
  std::uint64_t pos_ = 0;     // bytes read from file_
  std::uint64_t ino_ = 0;     // inode of the file the offset refers to
  std::uint64_t offset_ = 0;  // safe offset in that file
  std::uint64_t reported_ino_ = 0;
  std::uint64_t reported_offset_ = 0;
  bool scheduled_ = false;
  bool waiting_ = false;
  bool stopped_ = false;
};

}  // namespace

std::shared_ptr<Source> make_tail_source(asio::io_context& io, Pipeline& pipeline, const Feed& feed,
                                         const cmd::FeedConfig& config,
                                         std::vector<store::FeedOffset> stored) {
  return std::make_shared<TailSource>(io, pipeline, feed, config, std::move(stored));
}

}  // namespace flashpoint::daemon
