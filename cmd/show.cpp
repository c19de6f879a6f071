// `flashpoint show --db FILE ID`: why an alert fired, in one screen.
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/format.hpp"
#include "flashpoint/store/query.hpp"

namespace flashpoint::cmd {

int run_show(const ShowOptions& o) {
  auto db = store::Database::open(o.db, store::OpenMode::read_only);
  if (!db.ok()) {
    std::fprintf(stderr, "flashpoint show: %s: %s\n", o.db.c_str(),
                 db.status().to_string().c_str());
    return kExitUsage;
  }
  auto detail = store::get_alert(*db, o.id);
  if (!detail.ok()) {
    std::fprintf(stderr, "flashpoint show: %s\n", detail.status().message().c_str());
    return detail.status().code() == store::StatusCode::not_found ? kExitFinding : kExitUsage;
  }
  const std::string out = o.format == "json" ? store::format_alert_detail_json(*detail)
                                             : store::format_alert_detail_text(*detail);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace flashpoint::cmd
