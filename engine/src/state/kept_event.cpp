#include "state/kept_event.hpp"

#include <cstring>
#include <new>

namespace flashpoint {

KeptEvent KeptEvent::of(const Event& ev, std::span<const std::string_view> values) {
  if (ev.raw.empty()) {
    const std::string raw = ev.to_json();
    return make(ev.time, ev.str(StrField::source), ev.str(StrField::id), ev.str(StrField::kind),
                raw, values);
  }
  return make(ev.time, ev.str(StrField::source), ev.str(StrField::id), ev.str(StrField::kind),
              ev.raw, values);
}

KeptEvent KeptEvent::make(TimeUs time, std::string_view source, std::string_view id,
                          std::string_view kind, std::string_view raw,
                          std::span<const std::string_view> values) {
  std::size_t value_bytes = 0;
  for (auto v : values) value_bytes += sizeof(std::uint32_t) + v.size();
  const std::size_t n = source.size() + id.size() + kind.size() + raw.size() + value_bytes;
  void* mem = ::operator new(sizeof(Head) + n);
  KeptEvent k;
  k.h_ = new (mem) Head{1,
                        static_cast<std::uint32_t>(values.size()),
                        static_cast<std::uint32_t>(source.size()),
                        static_cast<std::uint32_t>(id.size()),
                        static_cast<std::uint32_t>(kind.size()),
                        static_cast<std::uint32_t>(raw.size()),
                        time};
  char* p = reinterpret_cast<char*>(k.h_ + 1);
  auto put = [&](const void* src, std::size_t len) {
    if (len > 0) std::memcpy(p, src, len);
    p += len;
  };
  put(source.data(), source.size());
  put(id.data(), id.size());
  put(kind.data(), kind.size());
  put(raw.data(), raw.size());
  for (auto v : values) {
    const auto len = static_cast<std::uint32_t>(v.size());
    put(&len, sizeof len);
    put(v.data(), v.size());
  }
  return k;
}

void KeptEvent::reset() noexcept {
  if (h_ != nullptr && --h_->refs == 0) {
    h_->~Head();
    ::operator delete(static_cast<void*>(h_));
  }
  h_ = nullptr;
}

void KeptEvent::to_event(Event& out) const {
  out.clear();
  out.time = time();
  out.set(StrField::source, source());
  out.set(StrField::id, id());
  out.set(StrField::kind, kind());
  out.raw.assign(raw());
}

}  // namespace flashpoint
