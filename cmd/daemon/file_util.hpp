// Helpers of the file sources: an open regular file read at offsets, its
// identity (device and inode), and line counting for resumed files.
//
// Thread-safety: plain objects; one thread at a time.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace flashpoint::daemon {

struct FileStat {
  bool exists = false;
  bool regular = false;
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint64_t size = 0;
};
FileStat stat_file(const std::string& path);

class OpenFile {
 public:
  // nullptr (with `error` set) when the file cannot be opened.
  static std::unique_ptr<OpenFile> open(const std::string& path, std::string& error);
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  // Reads up to `n` bytes at `offset`; returns the count (0 at the end), or
  // -1 on error.
  long read_at(std::uint64_t offset, char* buf, std::size_t n) const;
  [[nodiscard]] FileStat stat() const;
  [[nodiscard]] std::uint64_t ino() const { return ino_; }
  // Line feeds in [0, upto), for the line numbers of a resumed file.
  [[nodiscard]] std::uint64_t count_lines(std::uint64_t upto) const;

 private:
  OpenFile(int fd, std::uint64_t ino) : fd_(fd), ino_(ino) {}
  int fd_;
  std::uint64_t ino_;
};

// The path of `name` inside `dir`.
std::string join_path(std::string_view dir, std::string_view name);

}  // namespace flashpoint::daemon
