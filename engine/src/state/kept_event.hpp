// KeptEvent: an event as a threshold window keeps it. A window needs of its
// events only what an alert's evidence records (source, id, kind, time and
// the JSON text) and, for a `distinct` threshold, the values it counts; not
// the parsed fields. So a kept event is one heap block: a 32-byte header
// followed by those strings, shared by reference count among the windows
// (of any rules) that hold the event. Engine-internal; single-threaded like
// the engine (the count is not atomic).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "flashpoint/engine/event.hpp"

namespace flashpoint {

class KeptEvent {
 public:
  KeptEvent() = default;
  // The evidence part of `ev` (its JSON text, rendered if it has none) and
  // `values`.
  static KeptEvent of(const Event& ev, std::span<const std::string_view> values = {});
  static KeptEvent make(TimeUs time, std::string_view source, std::string_view id,
                        std::string_view kind, std::string_view raw,
                        std::span<const std::string_view> values = {});

  KeptEvent(const KeptEvent& o) noexcept : h_(o.h_) {
    if (h_ != nullptr) ++h_->refs;
  }
  KeptEvent(KeptEvent&& o) noexcept : h_(o.h_) { o.h_ = nullptr; }
  KeptEvent& operator=(KeptEvent o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  ~KeptEvent() { reset(); }
  void reset() noexcept;

  explicit operator bool() const { return h_ != nullptr; }
  // Identity, for sharing in saved state.
  [[nodiscard]] const void* identity() const { return h_; }

  [[nodiscard]] TimeUs time() const { return h_->time; }
  [[nodiscard]] std::string_view source() const { return {text(), h_->source}; }
  [[nodiscard]] std::string_view id() const { return {text() + h_->source, h_->id}; }
  [[nodiscard]] std::string_view kind() const { return {text() + h_->source + h_->id, h_->kind}; }
  [[nodiscard]] std::string_view raw() const {
    return {text() + h_->source + h_->id + h_->kind, h_->raw};
  }
  [[nodiscard]] std::uint32_t value_count() const { return h_->values; }
  // Calls f(value) for each kept value.
  template <typename F>
  void for_each_value(F&& f) const {
    const char* p = text() + h_->source + h_->id + h_->kind + h_->raw;
    for (std::uint32_t i = 0; i < h_->values; ++i) {
      std::uint32_t n = 0;
      std::char_traits<char>::copy(reinterpret_cast<char*>(&n), p, sizeof n);
      p += sizeof n;
      f(std::string_view(p, n));
      p += n;
    }
  }

  // Fills `out` (cleared first) with what an alert's evidence uses.
  void to_event(Event& out) const;

 private:
  struct Head {
    std::uint32_t refs;
    std::uint32_t values;
    std::uint32_t source;
    std::uint32_t id;
    std::uint32_t kind;
    std::uint32_t raw;
    TimeUs time;
  };
  static_assert(sizeof(Head) == 32);
  [[nodiscard]] const char* text() const { return reinterpret_cast<const char*>(h_ + 1); }

  Head* h_ = nullptr;
};

}  // namespace flashpoint
