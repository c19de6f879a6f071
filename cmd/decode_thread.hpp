// DecodeThread: reads and decodes replay inputs on a thread of its own and
// hands the events and dead letters to the matching thread in input order,
// in batches (a bounded queue of recycled buffers: a warm pipeline does not
// allocate per event). Parsing then overlaps matching, so a replay can pass
// the speed of a parse-only pass on one core (docs/performance.md).
//
// Thread-safety: start() and the destructor on the owning thread; next() and
// recycle() on the one consuming thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "flashpoint/adapters/decoder.hpp"
#include "flashpoint/engine/event.hpp"

namespace flashpoint::cmd {

// Picks the decoder of one input (its format, given the path); nullptr with
// `error` set when there is none.
using MakeDecoder =
    std::function<std::unique_ptr<adapters::Decoder>(const std::string& input, std::string& error)>;

// Reads and decodes `inputs` in order into `sink`; `on_bytes` is told the
// size of each chunk read. Returns false, with `error` set, at the first
// input that has no decoder or cannot be read.
bool decode_inputs(const std::vector<std::string>& inputs, const MakeDecoder& make,
                   adapters::DecodeSink& sink, const std::function<void(std::size_t)>& on_bytes,
                   std::string& error);

class DecodeThread {
 public:
  struct Dead {
    std::size_t before = 0;  // number of the batch's events that precede it
    std::string feed;
    adapters::Position pos;
    std::string reason;
    std::string raw;
  };
  struct Batch {
    std::vector<Event> events;
    std::size_t count = 0;  // live entries of `events` (the rest are spare)
    std::vector<Dead> dead;
  };
  static constexpr std::size_t kBatchEvents = 128;
  static constexpr std::size_t kMaxBatches = 4;

  DecodeThread(std::vector<std::string> inputs, MakeDecoder make);
  ~DecodeThread();
  DecodeThread(const DecodeThread&) = delete;
  DecodeThread& operator=(const DecodeThread&) = delete;

  // The next batch in input order, or nullptr once all inputs are decoded
  // (or decoding stopped on an error: see error()).
  Batch* next();
  // Gives back the batch last returned by next().
  void recycle(Batch* batch);
  // Bytes of input read so far (for progress).
  [[nodiscard]] std::uint64_t bytes_read() const { return bytes_.load(std::memory_order_relaxed); }
  // After next() returned nullptr: what stopped decoding, or "".
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  class Collector;
  void run();
  std::unique_ptr<Batch> take_free();  // blocks while kMaxBatches are out
  void hand_over(std::unique_ptr<Batch> batch);

  std::vector<std::string> inputs_;
  MakeDecoder make_;
  std::atomic<std::uint64_t> bytes_{0};
  std::string error_;  // written by the thread before it finishes

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> full_;
  std::vector<std::unique_ptr<Batch>> free_;
  std::size_t out_ = 0;             // batches not on the free list
  std::unique_ptr<Batch> current_;  // held by the consumer
  bool finished_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace flashpoint::cmd
