// Status and Result<T>: the store's expected failures, as values.
//
// Every fallible call of the store returns a Status or a Result<T>; no
// exception escapes the store's API. The codes form a closed set; the
// message carries the detail (SQLite's own text, the path, the version).
// Plain values: safe to copy and to move between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace flashpoint::store {

enum class StatusCode : std::uint8_t {
  ok,
  not_found,         // the database file, a row or a named item is missing
  io_error,          // the file or its folder could not be created or opened
  schema_too_new,    // written by a newer flashpoint (user_version above ours)
  schema_mismatch,   // not a flashpoint database, or read-only and needs migrating
  sqlite_error,      // any other SQLite failure; the message has SQLite's text
  invalid_argument,  // a bad filter value, or a write through a read-only handle
  closed,            // the writer has stopped
};

std::string_view to_string(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  [[nodiscard]] bool ok() const { return code_ == StatusCode::ok; }
  [[nodiscard]] StatusCode code() const { return code_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // "ok", or "<code>: <message>".
  [[nodiscard]] std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::ok;
  std::string message_;
};

// Either a T or a failed Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status(StatusCode::invalid_argument, "Result built from ok status");
  }

  [[nodiscard]] bool ok() const { return value_.has_value(); }
  [[nodiscard]] const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace flashpoint::store
