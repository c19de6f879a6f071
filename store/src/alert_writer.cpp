#include "flashpoint/store/alert_writer.hpp"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "batch.hpp"

namespace flashpoint::store {

TimeUs system_clock_now() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Result<std::unique_ptr<AlertWriter>> AlertWriter::open(const std::string& path,
                                                       AlertWriterOptions options) {
  auto db = Database::open(path, OpenMode::read_write);
  if (!db.ok()) return db.status();
  return create(std::move(db).value(), std::move(options));
}

Result<std::unique_ptr<AlertWriter>> AlertWriter::create(Database db, AlertWriterOptions options) {
  auto writer = detail::BatchWriter::create(std::move(db));
  if (!writer.ok()) return writer.status();
  if (!options.clock) options.clock = system_clock_now;
  options.batch_alerts = std::max<std::size_t>(options.batch_alerts, 1);
  options.max_queued_batches = std::max<std::size_t>(options.max_queued_batches, 1);
  options.max_attempts = std::max(options.max_attempts, 1);
  return std::unique_ptr<AlertWriter>(
      new AlertWriter(std::move(writer).value(), std::move(options)));
}

AlertWriter::AlertWriter(std::unique_ptr<detail::BatchWriter> writer, AlertWriterOptions options)
    : options_(std::move(options)),
      writer_(std::move(writer)),
      open_(std::make_unique<detail::Batch>()) {
  thread_ = std::thread([this] { run(); });
}

AlertWriter::~AlertWriter() {
  (void)flush();
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_one();
  thread_.join();
}

std::unique_ptr<detail::Batch> AlertWriter::take_free() {
  if (free_.empty()) return std::make_unique<detail::Batch>();
  auto batch = std::move(free_.back());
  free_.pop_back();
  return batch;
}

void AlertWriter::recycle(std::unique_ptr<detail::Batch> batch) {
  batch->clear();
  if (free_.size() < options_.max_queued_batches + 2) free_.push_back(std::move(batch));
}

void AlertWriter::seal_open(std::unique_lock<std::mutex>& lock) {
  while (sealed_.size() >= options_.max_queued_batches) {
    ++stats_.stalls;
    done_cv_.wait(lock);
  }
  open_->seq = ++sealed_seq_;
  sealed_.push_back(std::move(open_));
  open_ = take_free();
  work_cv_.notify_one();
}

detail::Batch& AlertWriter::open_batch(std::unique_lock<std::mutex>& lock) {
  if (!options_.checkpoint_transactions &&
      (open_->alert_count >= options_.batch_alerts || open_->ops.size() >= options_.batch_alerts)) {
    seal_open(lock);
  }
  return *open_;
}

void AlertWriter::after_enqueue(bool was_empty) {
  if (was_empty && writer_waiting_ && !options_.checkpoint_transactions) work_cv_.notify_one();
}

const std::string& AlertWriter::rule_hash(const Alert& alert) const {
  static const std::string kNone;
  if (alert.rule_index >= 0) {
    const auto i = static_cast<std::size_t>(alert.rule_index);
    if (i < rule_ids_.size() && rule_ids_[i] == alert.rule_id) return rule_hashes_[i];
  }
  auto it = hash_by_id_.find(alert.rule_id);
  return it != hash_by_id_.end() ? it->second : kNone;
}

void AlertWriter::on_alert(const Alert& alert, std::span<const Event* const> evidence) {
  const TimeUs now = options_.clock();
  std::unique_lock lock(mu_);
  detail::Batch& batch = open_batch(lock);
  const bool was_empty = batch.empty();
  detail::AlertRec& rec = batch.add_alert();
  rec.rule_id.assign(alert.rule_id);
  rec.rule_hash.assign(rule_hash(alert));
  rec.title.assign(alert.title);
  rec.message.assign(alert.message);
  rec.key.assign(alert.key);
  rec.severity = alert.severity;
  rec.event_time = alert.event_time;
  rec.fired_at = now;
  rec.depth = alert.depth;
  rec.evidence_begin = batch.evidence_count;
  for (const Event* event : evidence) {
    if (event == nullptr) continue;
    detail::EvidenceRec& ev = batch.add_evidence();
    ev.source.assign(event->str(StrField::source));
    ev.event_id.assign(event->str(StrField::id));
    ev.kind.assign(event->str(StrField::kind));
    ev.time = event->time;
    if (event->raw.empty()) {
      ev.raw = event->to_json();
    } else {
      ev.raw.assign(event->raw);
    }
  }
  rec.evidence_end = batch.evidence_count;
  ++stats_.queued_alerts;
  const std::uint64_t depth =
      stats_.queued_alerts - stats_.committed_alerts - stats_.dropped_alerts;
  stats_.max_depth = std::max(stats_.max_depth, depth);
  after_enqueue(was_empty);
}

void AlertWriter::write_dead_letter(const DeadLetter& letter) {
  std::string received_at(detail::TimeText().format(options_.clock()));
  std::unique_lock lock(mu_);
  detail::Batch& batch = open_batch(lock);
  const bool was_empty = batch.empty();
  DeadLetter copy{0,
                  letter.feed,
                  letter.line,
                  letter.byte_offset,
                  letter.reason,
                  letter.raw.substr(0, options_.max_dead_letter_raw),
                  std::move(received_at)};
  batch.ops.emplace_back(std::move(copy));
  ++stats_.queued_records;
  after_enqueue(was_empty);
}

void AlertWriter::write_feed_offset(std::string_view feed, std::string_view file,
                                    std::int64_t offset) {
  const FeedOffset one{std::string(feed), std::string(file), offset, {}};
  enqueue_checkpoint({}, {}, std::span<const FeedOffset>(&one, 1), false);
}

void AlertWriter::write_engine_state(std::string_view name, std::string blob) {
  enqueue_checkpoint(name, std::move(blob), {}, false);
}

void AlertWriter::write_checkpoint(std::string_view name, std::string blob,
                                   std::span<const FeedOffset> offsets) {
  enqueue_checkpoint(name, std::move(blob), offsets, true);
}

void AlertWriter::enqueue_checkpoint(std::string_view name, std::string blob,
                                     std::span<const FeedOffset> offsets, bool ends_transaction) {
  const TimeUs now = options_.clock();
  const std::string updated_at(detail::TimeText().format(now));
  std::unique_lock lock(mu_);
  detail::Batch& batch = open_batch(lock);
  const bool was_empty = batch.empty();
  if (!name.empty()) {
    batch.ops.emplace_back(detail::StateOp{std::string(name), std::move(blob), now});
    ++stats_.queued_records;
  }
  for (const FeedOffset& o : offsets) {
    batch.ops.emplace_back(FeedOffset{o.feed, o.file, o.offset, updated_at});
    ++stats_.queued_records;
  }
  if (ends_transaction && options_.checkpoint_transactions) {
    seal_open(lock);
  } else {
    after_enqueue(was_empty);
  }
}

void AlertWriter::record_rules(const std::vector<RuleInfo>& rules) {
  const TimeUs now = options_.clock();
  std::unique_lock lock(mu_);
  detail::Batch& batch = open_batch(lock);
  const bool was_empty = batch.empty();
  batch.ops.emplace_back(detail::RulesOp{rules, now});
  ++stats_.queued_records;
  rule_ids_.clear();
  rule_hashes_.clear();
  hash_by_id_.clear();
  for (const RuleInfo& r : rules) {
    rule_ids_.push_back(r.id);
    rule_hashes_.push_back(r.hash);
    hash_by_id_[r.id] = r.hash;
  }
  after_enqueue(was_empty);
}

void AlertWriter::write_run(const RunSummary& run) {
  std::unique_lock lock(mu_);
  detail::Batch& batch = open_batch(lock);
  const bool was_empty = batch.empty();
  batch.ops.emplace_back(run);
  ++stats_.queued_records;
  after_enqueue(was_empty);
}

void AlertWriter::on_tension(const TensionChange& c) {
  TensionPoint p{std::string(c.pair), c.time, c.score, std::string(c.level)};
  p.weight = c.weight;
  p.rule_id.assign(c.rule_id);
  if (c.trigger != nullptr) {
    p.source.assign(c.trigger->str(StrField::source));
    p.event_id.assign(c.trigger->str(StrField::id));
  }
  write_tension(p);
}

void AlertWriter::write_tension(const TensionPoint& point) {
  std::unique_lock lock(mu_);
  detail::Batch& batch = open_batch(lock);
  const bool was_empty = batch.empty();
  batch.ops.emplace_back(point);
  ++stats_.queued_records;
  after_enqueue(was_empty);
}

Status AlertWriter::flush() {
  std::unique_lock lock(mu_);
  if (!open_->empty()) seal_open(lock);
  const std::uint64_t target = sealed_seq_;
  done_cv_.wait(lock, [&] { return committed_seq_ >= target; });
  return std::exchange(error_, Status{});
}

Status AlertWriter::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

AlertWriterStats AlertWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void AlertWriter::run() {
  pthread_setname_np(pthread_self(), "fp-writer");
  std::unique_lock lock(mu_);
  for (;;) {
    std::unique_ptr<detail::Batch> batch;
    if (!sealed_.empty()) {
      batch = std::move(sealed_.front());
      sealed_.pop_front();
      done_cv_.notify_all();  // room for a waiting producer
    } else if (!open_->empty() && !options_.checkpoint_transactions) {
      batch = std::move(open_);
      batch->seq = ++sealed_seq_;
      open_ = take_free();
    } else if (stop_) {
      return;
    } else {
      writer_waiting_ = true;
      work_cv_.wait(lock);
      writer_waiting_ = false;
      continue;
    }
    lock.unlock();

    Status st;
    std::uint64_t retries = 0;
    if (!failure_.ok()) {
      // Only this thread sets failure_: reading it unlocked is safe here.
      st = Status(failure_.code(),
                  "not written: an earlier transaction failed (" + failure_.message() + ")");
    } else {
      for (int attempt = 1;; ++attempt) {
        st = writer_->write(*batch);
        if (st.ok() || attempt >= options_.max_attempts) break;
        ++retries;
        std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
      }
    }
    lock.lock();
    stats_.retries += retries;
    if (st.ok()) {
      stats_.committed_alerts += batch->alert_count;
      ++stats_.batches_committed;
    } else {
      ++stats_.failed_batches;
      stats_.dropped_alerts += batch->alert_count;
      if (failure_.ok()) failure_ = st;
      if (error_.ok()) error_ = std::move(st);
    }
    if (options_.after_commit) {  // before flush() can return for this batch
      lock.unlock();
      options_.after_commit();
      lock.lock();
    }
    committed_seq_ = batch->seq;
    recycle(std::move(batch));
    done_cv_.notify_all();
  }
}

}  // namespace flashpoint::store
