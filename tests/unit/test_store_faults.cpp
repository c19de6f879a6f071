// AlertWriter after a failed transaction: nothing later commits, so a later
// checkpoint (offsets, engine state) never lands past alerts that were lost.
// (The daemon's side: tests/integration/test_daemon_faults.cpp.)
#include <catch2/catch.hpp>

#include "test_store_util.hpp"

using namespace flashpoint;
using namespace flashpoint::store;
using namespace fp_store_test;

TEST_CASE("after a failed checkpoint no later checkpoint commits", "[store][faults]") {
  TempDir dir;
  const std::string path = dir.file("fp.db");
  AlertWriterOptions options;
  options.checkpoint_transactions = true;
  options.max_attempts = 1;
  auto w = make_writer(path, options);
  Event e = make_event("wire", "e", kT0);
  fire(*w, make_alert("r/a", Severity::low, kT0), {&e});
  const FeedOffset first[] = {{"spool", "f", 10, ""}};
  w->write_checkpoint("engine", "state 1", first);
  REQUIRE(w->flush().ok());
  {
    Database other = open_rw(path);
    REQUIRE(other.exec("DROP TABLE alert_evidence").ok());
  }
  // Checkpoint 2 carries an alert and fails; checkpoint 3 has none and
  // would commit on its own, moving the offset past the lost alert.
  fire(*w, make_alert("r/b", Severity::low, kT0), {&e});
  const FeedOffset second[] = {{"spool", "f", 20, ""}};
  w->write_checkpoint("engine", "state 2", second);
  const FeedOffset third[] = {{"spool", "f", 30, ""}};
  w->write_checkpoint("engine", "state 3", third);
  const Status st = w->flush();
  CHECK(st.code() == StatusCode::sqlite_error);
  CHECK_THAT(st.message(), Catch::Contains("alert_evidence"));
  CHECK_THAT(w->failure().message(), Catch::Contains("alert_evidence"));
  CHECK(w->stats().failed_batches == 2);
  CHECK(w->stats().batches_committed == 1);

  // A later write is refused too, and says why.
  w->write_checkpoint("engine", "state 4", third);
  const Status later = w->flush();
  CHECK_THAT(later.message(), Catch::Contains("not written: an earlier transaction failed"));

  Database db = open_ro(path);
  CHECK(**feed_offset(db, "spool", "f") == 10);
  CHECK(**engine_state(db, "engine") == "state 1");
  CHECK(*alert_count(db) == 1);
}
