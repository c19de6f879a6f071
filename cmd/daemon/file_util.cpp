// File helpers of the file sources.
#include "daemon/file_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace flashpoint::daemon {

FileStat stat_file(const std::string& path) {
  struct stat st {};
  FileStat out;
  if (::stat(path.c_str(), &st) != 0) return out;
  out.exists = true;
  out.regular = S_ISREG(st.st_mode);
  out.dev = static_cast<std::uint64_t>(st.st_dev);
  out.ino = static_cast<std::uint64_t>(st.st_ino);
  out.size = static_cast<std::uint64_t>(st.st_size);
  return out;
}

std::unique_ptr<OpenFile> OpenFile::open(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = path + ": not a regular file";
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<OpenFile>(new OpenFile(fd, static_cast<std::uint64_t>(st.st_ino)));
}

OpenFile::~OpenFile() { ::close(fd_); }

long OpenFile::read_at(std::uint64_t offset, char* buf, std::size_t n) const {
  for (;;) {
    const ssize_t got = ::pread(fd_, buf, n, static_cast<off_t>(offset));
    if (got >= 0) return static_cast<long>(got);
    if (errno != EINTR) return -1;
  }
}

FileStat OpenFile::stat() const {
  struct stat st {};
  FileStat out;
  if (::fstat(fd_, &st) != 0) return out;
  out.exists = true;
  out.regular = S_ISREG(st.st_mode);
  out.dev = static_cast<std::uint64_t>(st.st_dev);
  out.ino = static_cast<std::uint64_t>(st.st_ino);
  out.size = static_cast<std::uint64_t>(st.st_size);
  return out;
}

std::uint64_t OpenFile::count_lines(std::uint64_t upto) const {
  std::vector<char> buf(1U << 20U);
  std::uint64_t lines = 0;
  for (std::uint64_t off = 0; off < upto;) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), upto - off));
    const long n = read_at(off, buf.data(), want);
    if (n <= 0) break;
    lines += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + n, '\n'));
    off += static_cast<std::uint64_t>(n);
  }
  return lines;
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

}  // namespace flashpoint::daemon
