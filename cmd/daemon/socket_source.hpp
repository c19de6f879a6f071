// Socket feeds: JSON Lines from many concurrent clients over TCP
// (listen = "tcp://HOST:PORT") or a Unix socket (listen = "unix:///path",
// created with mode 0660). One Connection object per client, driven by
// do_read/on_read; its bytes go through its own Stream (decoder), so lines
// from different clients never mix.
//
// Limits: at most max_clients connections (more are closed at once and
// counted); a client silent for idle_timeout_ms is dropped; while the
// pipeline's queue is full no connection reads (the kernel's socket buffers
// and TCP flow control push back on the clients).
//
// Guarantee: at most once. Lines a client sent are processed when they are
// read; a crash loses those not yet committed (at most commit_ms worth). On
// SIGTERM the listener stops accepting and each connection reads what is
// already buffered (until it has been quiet for 200 ms) before closing.
//
// Thread-safety: loop thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "config.hpp"
#include "daemon/pipeline.hpp"
#include "daemon/source.hpp"

namespace flashpoint::daemon {

std::shared_ptr<Source> make_socket_source(boost::asio::io_context& io, Pipeline& pipeline,
                                           const Feed& feed, const cmd::FeedConfig& config);

}  // namespace flashpoint::daemon
