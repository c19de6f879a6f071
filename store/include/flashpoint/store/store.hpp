// The flashpoint store: SQLite persistence for alerts and everything the
// daemon must not lose (evidence, dead letters, feed offsets, engine state).
//
// This umbrella header includes the store's public headers:
//   status.hpp       Status / Result<T>, errors as values
//   database.hpp     Database: open read_write (creates, WAL, migrates) or read_only
//   schema.hpp       kSchemaVersion and the ordered migrations
//   records.hpp      dead letters, feed offsets, run summaries, tension points
//   alert_writer.hpp AlertWriter: the engine's AlertSink, a batched writer thread
//   query.hpp        read-side queries (alerts with filters, show, counts)
//   format.hpp       table / json / csv renderings of alerts
// Thread-safety is described in each header.
#pragma once

#include "flashpoint/store/alert_writer.hpp"
#include "flashpoint/store/database.hpp"
#include "flashpoint/store/format.hpp"
#include "flashpoint/store/query.hpp"
#include "flashpoint/store/records.hpp"
#include "flashpoint/store/schema.hpp"
#include "flashpoint/store/status.hpp"
