// Store-private: RFC 3339 text for TimeUs values, written into a caller's
// buffer without allocating (the writer thread formats two per alert).
// The format is the engine's format_time: `YYYY-MM-DDTHH:MM:SSZ`, with
// `.ffffff` only when the microseconds are not zero.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "flashpoint/engine/time.hpp"

namespace flashpoint::store::detail {

// Large enough for any TimeUs (years up to 292278 and down to -290308).
inline constexpr std::size_t kTimeTextMax = 40;

class TimeText {
 public:
  // Formats `t`; the view is valid until the next call.
  std::string_view format(TimeUs t);

 private:
  char buf_[kTimeTextMax];
};

}  // namespace flashpoint::store::detail
