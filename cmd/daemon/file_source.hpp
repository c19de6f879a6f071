// File feeds: a folder whose files are read as they appear (watch = "DIR")
// and one file tailed across rotation (path = "FILE"). Both read with
// pread in chunks on the loop, one chunk per turn, and pause while the
// pipeline's queue is full; inotify wakes them, and a poll every poll_ms
// catches what inotify cannot see (network file systems, overflow).
//
// Guarantee: exactly once across crashes. A file's read offset (just past
// the last whole record processed) is part of every checkpoint, which
// commits together with the alerts and engine state of the same events, so
// a restart resumes at the committed offset.
//
// watch: every regular file of the folder (not hidden, not *.tmp, *.part,
// *.swp or ending in ~) is read in name order, from its stored offset; a
// file that grows is read on. A file read to its end and unchanged for
// settle_ms is finished: a last line without a line feed is taken, and with
// done = "DIR" the file is moved there once that checkpoint has committed.
// The feed_offsets rows are keyed by the file's path.
//
// path: the file is read from its stored offset (from the start the first
// time) and followed as it grows. When the path is renamed away and a new
// file appears (rotation), the old file is read to its end first; a file
// that shrinks (copytruncate) is read again from the start. Two rows are
// stored: (feed, PATH) = offset and (feed, PATH#inode) = the file's inode;
// after a restart that finds another file at PATH, the old one is looked up
// by its inode in the same folder (e.g. PATH.1) and its rest read first.
//
// Thread-safety: loop thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "config.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/source.hpp"
#include "flashpoint/store/records.hpp"

namespace flashpoint::daemon {

// `stored` holds the feed's committed offsets (store::feed_offsets).
std::shared_ptr<Source> make_folder_source(boost::asio::io_context& io, Pipeline& pipeline,
                                           const Feed& feed, const cmd::FeedConfig& config,
                                           std::vector<store::FeedOffset> stored);
std::shared_ptr<Source> make_tail_source(boost::asio::io_context& io, Pipeline& pipeline,
                                         const Feed& feed, const cmd::FeedConfig& config,
                                         std::vector<store::FeedOffset> stored);

}  // namespace flashpoint::daemon
