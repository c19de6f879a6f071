#include "flashpoint/store/status.hpp"

namespace flashpoint::store {

std::string_view to_string(StatusCode code) {
  switch (code) {
    case StatusCode::ok:
      return "ok";
    case StatusCode::not_found:
      return "not found";
    case StatusCode::io_error:
      return "I/O error";
    case StatusCode::schema_too_new:
      return "schema too new";
    case StatusCode::schema_mismatch:
      return "schema mismatch";
    case StatusCode::sqlite_error:
      return "SQLite error";
    case StatusCode::invalid_argument:
      return "invalid argument";
    case StatusCode::closed:
      return "closed";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string out(store::to_string(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace flashpoint::store
