// JSON Lines decoder: one event object per line (DESIGN §2), as a Decoder.
//
// Lines end with '\n' (a trailing '\r' is dropped); blank lines are skipped.
// Each line is validated against the event schema and becomes an Event or a
// dead letter with a one-line reason. Keys outside the schema are kept under
// `attrs`; `source` defaults to the feed name. Lines longer than
// `DecoderOptions::max_record` are dead letters and are never buffered whole.
//
// Thread-safety: one instance serves one feed from one thread; no internal
// synchronisation.
#pragma once

#include <memory>
#include <string_view>

#include "flashpoint/adapters/decoder.hpp"

namespace flashpoint::adapters {

class JsonlDecoder final : public Decoder {
 public:
  explicit JsonlDecoder(DecoderOptions options);
  ~JsonlDecoder() override;
  JsonlDecoder(const JsonlDecoder&) = delete;
  JsonlDecoder& operator=(const JsonlDecoder&) = delete;

  void feed(std::string_view chunk, DecodeSink& sink) override;
  void finish(DecodeSink& sink) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flashpoint::adapters
