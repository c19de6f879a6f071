// guarded(): runs a handler body so that no exception escapes into Asio;
// an exception is logged with the place it came from.
//
// Thread-safety: stateless; any thread.
#pragma once

#include <spdlog/spdlog.h>

#include <exception>
#include <string_view>

namespace flashpoint::daemon {

template <typename F>
void guarded(std::string_view where, F&& body) noexcept {
  try {
    body();
  } catch (const std::exception& e) {
    try {
      spdlog::error("{}: unexpected error: {}", where, e.what());
    } catch (...) {
    }
  } catch (...) {
    try {
      spdlog::error("{}: unexpected error", where);
    } catch (...) {
    }
  }
}

}  // namespace flashpoint::daemon
