// Decoders: socket-free incremental parsers that turn a feed's bytes into
// engine Events (or dead letters).
//
// A Decoder is fed chunks of bytes in order (any split, including mid-line)
// and calls its DecodeSink for each complete record. It owns a reusable Event
// buffer, so decoding allocates nothing per record once warm. Every decoder
// enforces a record size limit. One decoder serves one feed from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "flashpoint/engine/event.hpp"

namespace flashpoint::adapters {

// Where a record sits in its feed: 1-based line of its first byte, and the
// byte offset just past it (the resume point for checkpoints).
struct Position {
  std::uint64_t line = 0;
  std::uint64_t end_offset = 0;
};

struct DeadLetter {
  std::string_view feed;
  Position pos;
  std::string_view reason;  // one line, e.g. "missing required field 'time'"
  std::string_view raw;     // the record's bytes (possibly truncated)
};

class DecodeSink {
 public:
  virtual ~DecodeSink() = default;
  // `event` is valid only during the call; its `raw` holds the record's JSON.
  virtual void on_event(const Event& event, const Position& pos) = 0;
  // A decoder that fills each record's event from scratch asks the sink,
  // before each record, for the Event to fill (nullptr, the default: its
  // own); on_event then receives that Event. A sink that keeps events (a
  // batch of them) so avoids copying each one.
  virtual Event* event_buffer() { return nullptr; }
  virtual void on_dead_letter(const DeadLetter& dl) = 0;
};

struct DecoderOptions {
  std::string feed = "input";          // feed name: default `source`, dead letters
  std::size_t max_record = 1U << 20U;  // bytes; longer records are dead letters
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Feeds the next chunk of bytes.
  virtual void feed(std::string_view chunk, DecodeSink& sink) = 0;
  // End of input: flushes a final record without a trailing newline.
  virtual void finish(DecodeSink& sink) = 0;
};

// Formats: "jsonl", "gdelt", "sipri", "acled".
std::unique_ptr<Decoder> make_decoder(std::string_view format, const DecoderOptions& options);
// Guesses the format from a file name and its first bytes; "jsonl" by default.
std::string detect_format(std::string_view path, std::string_view head);

}  // namespace flashpoint::adapters
