// `flashpoint ack`, `resolve` and `reopen`: an analyst's status for alerts,
// with a note and who, kept in the alert's history (alert_log).
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "commands.hpp"
#include "common.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::cmd {

int run_lifecycle(const LifecycleOptions& o, const std::string& status) {
  std::string by = o.by;
  if (by.empty()) {
    const char* user = std::getenv("USER");
    if (user != nullptr && *user != '\0') {
      by = user;
    } else if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) {
      by = pw->pw_name;
    } else {
      by = "uid " + std::to_string(::geteuid());
    }
  }
  const char* verb = status == "acked" ? "ack" : status == "resolved" ? "resolve" : "reopen";
  // Read-write, but never created: a typo in --db must not make a new file.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(o.db, ec)) {
    std::fprintf(stderr, "flashpoint %s: %s: no such database\n", verb, o.db.c_str());
    return kExitUsage;
  }
  auto db = store::Database::open(o.db, store::OpenMode::read_write);
  if (!db.ok()) {
    std::fprintf(stderr, "flashpoint %s: %s: %s\n", verb, o.db.c_str(),
                 db.status().to_string().c_str());
    return kExitUsage;
  }
  const std::optional<std::string> note =
      o.has_note ? std::optional<std::string>(o.note) : std::nullopt;
  int code = kExitOk;
  for (std::int64_t id : o.ids) {
    const store::Status st = store::set_alert_status(*db, id, status, note, by);
    if (st.ok()) {
      std::printf("%lld %s\n", static_cast<long long>(id), status.c_str());
    } else if (st.code() == store::StatusCode::not_found) {
      std::fprintf(stderr, "flashpoint %s: %s\n", verb, st.message().c_str());
      code = std::max(code, kExitFinding);
    } else {
      std::fprintf(stderr, "flashpoint %s: %s\n", verb, st.to_string().c_str());
      return kExitUsage;
    }
  }
  return code;
}

}  // namespace flashpoint::cmd
