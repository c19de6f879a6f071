#include "decode_thread.hpp"

#include <pthread.h>

#include "common.hpp"

namespace flashpoint::cmd {

// Copies what a decoder produces into the current batch; hands full batches
// over.
class DecodeThread::Collector final : public adapters::DecodeSink {
 public:
  explicit Collector(DecodeThread& owner) : owner_(owner) {}

  Event* event_buffer() override {
    if (!batch_) batch_ = owner_.take_free();
    if (!batch_) return nullptr;  // stopping
    if (batch_->count == batch_->events.size()) batch_->events.emplace_back();
    return &batch_->events[batch_->count];
  }

  void on_event(const Event& event, const adapters::Position& /*pos*/) override {
    Event* slot = event_buffer();
    if (slot == nullptr) return;
    if (slot != &event) *slot = event;  // a decoder that fills its own event
    if (++batch_->count >= kBatchEvents) flush();
  }

  void on_dead_letter(const adapters::DeadLetter& dl) override {
    if (!batch_) batch_ = owner_.take_free();
    if (!batch_) return;
    batch_->dead.push_back(
        {batch_->count, std::string(dl.feed), dl.pos, std::string(dl.reason), std::string(dl.raw)});
  }

  void flush() {
    if (batch_ && (batch_->count > 0 || !batch_->dead.empty())) owner_.hand_over(std::move(batch_));
  }

 private:
  DecodeThread& owner_;
  std::unique_ptr<Batch> batch_;
};

bool decode_inputs(const std::vector<std::string>& inputs, const MakeDecoder& make,
                   adapters::DecodeSink& sink, const std::function<void(std::size_t)>& on_bytes,
                   std::string& error) {
  for (const auto& in : inputs) {
    auto dec = make(in, error);
    if (!dec) return false;
    const bool ok = read_chunks(
        in, 1U << 20U,
        [&](std::string_view c) {
          on_bytes(c.size());
          dec->feed(c, sink);
        },
        error);
    if (!ok) return false;
    dec->finish(sink);
  }
  return true;
}

DecodeThread::DecodeThread(std::vector<std::string> inputs, MakeDecoder make)
    : inputs_(std::move(inputs)), make_(std::move(make)) {
  thread_ = std::thread([this] { run(); });
}

DecodeThread::~DecodeThread() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void DecodeThread::run() {
  pthread_setname_np(pthread_self(), "fp-decode");
  Collector collector(*this);
  std::string error;
  decode_inputs(
      inputs_, make_, collector,
      [this](std::size_t n) { bytes_.fetch_add(n, std::memory_order_relaxed); }, error);
  collector.flush();
  std::lock_guard lock(mu_);
  error_ = std::move(error);
  finished_ = true;
  cv_.notify_all();
}

std::unique_ptr<DecodeThread::Batch> DecodeThread::take_free() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return stop_ || !free_.empty() || out_ < kMaxBatches; });
  if (stop_) return nullptr;
  ++out_;
  if (free_.empty()) {
    auto b = std::make_unique<Batch>();
    b->events.reserve(kBatchEvents);
    return b;
  }
  auto b = std::move(free_.back());
  free_.pop_back();
  return b;
}

void DecodeThread::hand_over(std::unique_ptr<Batch> batch) {
  {
    std::lock_guard lock(mu_);
    full_.push_back(std::move(batch));
  }
  cv_.notify_all();
}

DecodeThread::Batch* DecodeThread::next() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !full_.empty() || finished_; });
  if (full_.empty()) return nullptr;
  current_ = std::move(full_.front());
  full_.pop_front();
  return current_.get();
}

void DecodeThread::recycle(Batch* batch) {
  if (batch == nullptr || batch != current_.get()) return;
  batch->count = 0;
  batch->dead.clear();
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(current_));
    --out_;
  }
  cv_.notify_all();
}

}  // namespace flashpoint::cmd
