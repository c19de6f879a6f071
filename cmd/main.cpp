// The `flashpoint` command: CLI parsing and dispatch to the subcommands.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"

int main(int argc, char** argv) {
  using namespace flashpoint::cmd;
  // Over a file size limit (RLIMIT_FSIZE, `ulimit -f`) a write fails with
  // EFBIG instead of killing the process, so the database write that hit it
  // is reported (and, in the daemon, handled like a full disk).
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"flashpoint: geopolitical event correlation and escalation alerts"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "flashpoint 0.1.0");

  std::vector<std::string> check_paths;
  auto* check = app.add_subcommand("check", "Load and type-check rule files");
  check->add_option("paths", check_paths, "Rule files or folders")->required();

  ReplayOptions ro;
  auto* replay = app.add_subcommand("replay", "Run archives through the rules into a database");
  replay->add_option("--rules", ro.rules, "Rule files or folders")->take_all();
  replay->add_option("--db", ro.db, "SQLite database (created when missing)");
  replay->add_option("--format", ro.format, "auto, jsonl, gdelt, sipri or acled")
      ->capture_default_str();
  replay->add_option("--config", ro.config, "Config file for [tension] and [engine] settings");
  replay->add_flag("--sort", ro.sort, "Buffer all events and replay them in event-time order");
  replay->add_flag("--dry-run", ro.dry_run, "Print the events the inputs map to, as JSON Lines");
  replay->add_flag("--quiet,-q", ro.quiet, "No progress bar or summary");
  replay->add_flag("--fresh", ro.fresh, "Ignore the engine state saved in the database");
  replay->add_flag("--decode-thread", ro.decode_thread,
                   "Decode the inputs on a thread of their own (see docs/performance.md)");
  replay->add_option("inputs", ro.inputs, "Input files ('-' for stdin)")->required();

  AlertsOptions ao;
  auto* alerts = app.add_subcommand("alerts", "List alerts");
  alerts->add_option("--db", ao.db, "SQLite database")->required();
  alerts->add_option("--format", ao.format, "table, json or csv")->capture_default_str();
  alerts->add_option("--limit", ao.limit, "Only the newest N");
  AlertsOptions eo;
  eo.format = "csv";
  auto* export_cmd = app.add_subcommand("export", "Export alerts as CSV, JSON or NDJSON");
  export_cmd->add_option("--db", eo.db, "SQLite database")->required();
  export_cmd->add_option("--format", eo.format, "csv, json or ndjson")->capture_default_str();
  export_cmd->add_option("--output,-o", eo.output, "Write to this file instead of stdout");
  for (auto [cmd, opts] : {std::pair{alerts, &ao}, std::pair{export_cmd, &eo}}) {
    cmd->add_option("--since", opts->since, "Event time newer than a duration ago (30d) or a time");
    cmd->add_option("--between", opts->between, "Event time from A up to B (B a date: to its end)")
        ->expected(2);
    cmd->add_option("--severity", opts->severity, "At least this severity");
    cmd->add_option("--rule", opts->rule, "Rule id glob (korea/*)");
    cmd->add_option("--status", opts->status, "open, acked or resolved");
    cmd->add_option("--claim", opts->claim, "The rule rests on this claim (C6)");
    cmd->add_option("--tag", opts->tag, "The rule has this tag");
    cmd->add_option("--actor", opts->actor, "An evidence event involves this actor (CHN)");
    cmd->add_option("--region", opts->region, "An evidence event is in this region");
  }

  ShowOptions so;
  auto* show = app.add_subcommand("show", "One alert: its rule, evidence and history");
  show->add_option("--db", so.db, "SQLite database")->required();
  show->add_option("--format", so.format, "text or json")->capture_default_str();
  show->add_option("id", so.id, "Alert id")->required();

  LifecycleOptions lo;
  auto add_lifecycle = [&](const char* name, const char* help) {
    auto* c = app.add_subcommand(name, help);
    c->add_option("--db", lo.db, "SQLite database")->required();
    c->add_option("--note", lo.note, "A note kept with the alert and its history");
    c->add_option("--by", lo.by, "Who (default: $USER)");
    c->add_option("ids", lo.ids, "Alert ids")->required();
    return c;
  };
  auto* ack = add_lifecycle("ack", "Acknowledge alerts");
  auto* resolve = add_lifecycle("resolve", "Resolve alerts");
  auto* reopen = add_lifecycle("reopen", "Reopen alerts");

  ServeOptions sv;
  auto* serve = app.add_subcommand("serve", "The web page and read API on a database");
  serve->add_option("--db", sv.db, "SQLite database")->required();
  serve->add_option("--listen", sv.listen, "HOST:PORT")->capture_default_str();
  serve->add_option("--token", sv.token, "Bearer token required by the API");
  serve->add_option("--config", sv.config, "Config file for the tension half-life and levels");

  std::vector<std::string> test_paths;
  bool test_verbose = false;
  auto* test = app.add_subcommand("test", "Run rule test files");
  test->add_option("paths", test_paths, "Test files or folders")->required();
  test->add_flag("--verbose,-v", test_verbose, "List passing cases too");

  TensionCmdOptions tco;
  auto* tension = app.add_subcommand("tension", "Escalation scores per actor pair, and a chart");
  tension->add_option("--db", tco.db, "SQLite database")->required();
  tension->add_option("--pair", tco.pair, "One pair, e.g. CHN-JPN");
  tension->add_option("--svg", tco.svg, "Write an SVG chart of the scores over time");
  tension->add_option("--config", tco.config, "Config file for half-life and levels");

  RunOptions run_o;
  auto* run = app.add_subcommand("run", "The daemon, in the foreground (SIGHUP reloads rules)");
  run->add_option("--config", run_o.config, "Config file")->capture_default_str();
  run->add_option("--log-level", run_o.log_level, "trace, debug, info, warn, error, critical");

  std::vector<std::string> list_paths;
  std::string list_format = "table";
  auto* rules_cmd = app.add_subcommand("rules", "The rule catalogue");
  rules_cmd->require_subcommand(1);
  auto* rules_list =
      rules_cmd->add_subcommand("list", "List rules: id, claims, severity, kind, title");
  rules_list->add_option("--format", list_format, "table, md or json")->capture_default_str();
  rules_list->add_option("paths", list_paths, "Rule files or folders (default: rules)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (*run) return run_daemon(run_o);
  if (*check) return run_check(check_paths);
  if (*replay) {
    if (!ro.dry_run && (ro.rules.empty() || ro.db.empty())) {
      std::fprintf(stderr, "flashpoint replay: --rules and --db are required (or --dry-run)\n");
      return kExitUsage;
    }
    return run_replay(ro);
  }
  if (*alerts) {
    if (ao.format != "table" && ao.format != "json" && ao.format != "csv") {
      std::fprintf(stderr, "flashpoint alerts: --format is table, json or csv\n");
      return kExitUsage;
    }
    return run_alerts(ao);
  }
  if (*export_cmd) {
    if (eo.format != "csv" && eo.format != "json" && eo.format != "ndjson") {
      std::fprintf(stderr, "flashpoint export: --format is csv, json or ndjson\n");
      return kExitUsage;
    }
    return run_export(eo);
  }
  if (*show) {
    if (so.format != "text" && so.format != "json") {
      std::fprintf(stderr, "flashpoint show: --format is text or json\n");
      return kExitUsage;
    }
    return run_show(so);
  }
  if (*ack || *resolve || *reopen) {
    lo.has_note = (*ack ? ack : *resolve ? resolve : reopen)->count("--note") > 0;
    return run_lifecycle(lo, *ack ? "acked" : *resolve ? "resolved" : "open");
  }
  if (*serve) return run_serve(sv);
  if (*test) return run_test(test_paths, test_verbose);
  if (*tension) return run_tension(tco);
  if (*rules_cmd) {
    if (list_format != "table" && list_format != "md" && list_format != "json") {
      std::fprintf(stderr, "flashpoint rules list: --format is table, md or json\n");
      return kExitUsage;
    }
    return run_rules_list(list_paths, list_format);
  }
  return kExitUsage;
}
