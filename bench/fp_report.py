#!/usr/bin/env python3
"""Record flashpoint and peer runs, print the benchmark table (bench/run.sh).

  fp_report.py record --tsv RESULTS.tsv --engine E --config C --rules R --events N
                      --time-file TIME.txt --alerts FILE --match yes|no
  fp_report.py table --tsv RESULTS.tsv --readme README.md --n N --rules R [--markdown]
  fp_report.py mem --base TIME.txt --loaded TIME.txt --entries M

`record` parses GNU `time -v` output (wall clock, user and system CPU seconds,
maximum resident set size) and appends one row.  `table` prints one row per
(engine, config): the median wall seconds over the runs, events/s at that
median, throughput ratios against SEC, json-rules-engine and the parse-only
baseline (ratio = this engine's events/s / the other's events/s, so > 1 means
faster), the median user+sys CPU seconds, the median peak RSS, the alert
count and whether every run's alerts matched.  A peer that was not run is
shown with its published figure from README.md, labelled as such.
"""
import argparse
import os
import re
import statistics
import sys

COLS = ("engine", "config", "rules", "events", "seconds", "cpu_s", "rss_kb", "alerts", "match")


def parse_time_v(path):
    vals = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if line.startswith("Elapsed (wall clock) time"):
                secs = 0.0
                for part in line.rsplit(" ", 1)[1].split(":"):
                    secs = secs * 60 + float(part)
                vals["wall"] = secs
            elif line.startswith("User time (seconds)"):
                vals["user"] = float(line.rsplit(" ", 1)[1])
            elif line.startswith("System time (seconds)"):
                vals["sys"] = float(line.rsplit(" ", 1)[1])
            elif line.startswith("Maximum resident set size"):
                vals["rss"] = int(line.rsplit(" ", 1)[1])
            elif line.startswith("Exit status"):
                vals["status"] = int(line.rsplit(" ", 1)[1])
    missing = [k for k in ("wall", "user", "sys", "rss") if k not in vals]
    if missing:
        sys.exit("fp_report.py: no GNU time -v figures (%s) in %s" % (", ".join(missing), path))
    vals.setdefault("status", 0)
    return vals


def count_lines(path):
    with open(path, encoding="ascii") as fh:
        return sum(1 for ln in fh if ln.strip())


def record(a):
    v = parse_time_v(a.time_file)
    if v["status"] != 0:
        sys.exit("fp_report.py: %s/%s exited with status %d" % (a.engine, a.config, v["status"]))
    alerts = count_lines(a.alerts)
    new = not os.path.exists(a.tsv)
    with open(a.tsv, "a", encoding="ascii") as fh:
        if new:
            fh.write("\t".join(COLS) + "\n")
        fh.write("%s\t%s\t%d\t%d\t%.2f\t%.2f\t%d\t%d\t%s\n" % (
            a.engine, a.config, a.rules, a.events, v["wall"], v["user"] + v["sys"], v["rss"], alerts, a.match))
    print("  %-10s %-10s run: %7.2f s wall  %7.2f s cpu  %7.1f MB  %d alerts  match=%s" % (
        a.engine, a.config, v["wall"], v["user"] + v["sys"], v["rss"] / 1024.0, alerts, a.match))


def readme_figure(path, peer, events, rules):
    """(seconds, rss_mb, alerts) of a peer from the README results table, or None."""
    if not path or not os.path.exists(path):
        return None
    row = re.compile(r"^\|\s*(\w+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*([\d.]+)\s*\|"
                     r"\s*(\d+)\s*\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = row.match(line.strip())
            if m and m.group(1) == peer and int(m.group(3)) == events and int(m.group(2)) == rules:
                return float(m.group(5)), float(m.group(7)), int(m.group(8))
    return None


def rows_of(a):
    groups = {}
    order = []
    with open(a.tsv, encoding="ascii") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            key = (r["engine"], r["config"])
            if key not in groups:
                order.append(key)
            groups.setdefault(key, []).append(r)
    rows = []
    for key in order:
        runs = groups[key]
        secs = statistics.median(float(r["seconds"]) for r in runs)
        rows.append({
            "engine": key[0], "config": key[1], "rules": int(runs[0]["rules"]),
            "events": int(runs[0]["events"]), "runs": len(runs), "seconds": secs,
            "cpu": statistics.median(float(r["cpu_s"]) for r in runs),
            "rss": statistics.median(int(r["rss_kb"]) for r in runs) / 1024.0,
            "alerts": "/".join(str(x) for x in sorted({int(r["alerts"]) for r in runs})),
            "match": "yes" if all(r["match"] == "yes" for r in runs) else "NO",
            "note": "",
        })
    for peer in ("sec", "jre"):
        if any(r["engine"] == peer for r in rows):
            continue
        fig = readme_figure(a.readme, peer, a.n, a.rules + 2)
        if fig:
            rows.append({"engine": peer, "config": "full", "rules": a.rules + 2, "events": a.n, "runs": 0,
                         "seconds": fig[0], "cpu": None, "rss": fig[1], "alerts": str(fig[2]),
                         "match": "-", "note": "not run; README figure"})
        else:
            rows.append({"engine": peer, "config": "full", "rules": a.rules + 2, "events": a.n, "runs": 0,
                         "seconds": None, "cpu": None, "rss": None, "alerts": "-", "match": "-",
                         "note": "not run; no README figure for this N"})
    return rows


def table(a):
    rows = rows_of(a)

    def eps(r):
        return r["events"] / r["seconds"] if r["seconds"] else None

    ref = {}
    for r in rows:
        if r["engine"] in ("sec", "jre"):
            ref[r["engine"]] = eps(r)
        if r["engine"] == "flashpoint" and r["config"] == "parse-only":
            ref["parse"] = eps(r)

    def ratio(r, which):
        e, b = eps(r), ref.get(which)
        if e is None or not b:
            return "-"
        return "%.2f" % (e / b) if e / b < 10 else "%.0f" % (e / b)

    head = ("engine", "rules", "events", "runs", "median s", "events/s", "x SEC", "x jre", "x parse-only",
            "cpu s", "events/cpu-s", "peak RSS MB", "alerts", "match")
    out = []
    for r in rows:
        name = r["engine"] if r["engine"] != "flashpoint" else "flashpoint " + r["config"]
        if r["note"]:
            name += " (" + r["note"] + ")"
        out.append((name, str(r["rules"]), str(r["events"]), str(r["runs"]) if r["runs"] else "-",
                    "%.2f" % r["seconds"] if r["seconds"] else "-",
                    "%.0f" % eps(r) if eps(r) else "-",
                    ratio(r, "sec"), ratio(r, "jre"), ratio(r, "parse"),
                    "%.2f" % r["cpu"] if r["cpu"] is not None else "-",
                    "%.0f" % (r["events"] / r["cpu"]) if r["cpu"] else "-",
                    "%.1f" % r["rss"] if r["rss"] is not None else "-",
                    r["alerts"], r["match"]))
    if a.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
        for r in out:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(h), *(len(r[i]) for r in out)) for i, h in enumerate(head)]
        fmt = "  ".join("%-*s" if i == 0 else "%*s" for i in range(len(head)))
        print(fmt % tuple(x for pair in zip(w, head) for x in pair))
        for r in out:
            print(fmt % tuple(x for pair in zip(w, r) for x in pair))
    print()
    print("x SEC / x jre / x parse-only: this row's events/s divided by that engine's events/s "
          "(> 1 = faster). cpu s: median user + system CPU seconds of the whole process (all threads); "
          "events/cpu-s: events / cpu s, the throughput if the process had one core to itself.")


def mem(a):
    base = parse_time_v(a.base)
    loaded = parse_time_v(a.loaded)
    delta_kb = loaded["rss"] - base["rss"]
    per = delta_kb * 1024.0 / a.entries
    print("%s: %d entries, peak RSS %.1f MB (baseline %.1f MB), %.1f bytes per entry" % (
        a.label, a.entries, loaded["rss"] / 1024.0, base["rss"] / 1024.0, per))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("--tsv", required=True)
    r.add_argument("--engine", required=True)
    r.add_argument("--config", required=True)
    r.add_argument("--rules", type=int, required=True)
    r.add_argument("--events", type=int, required=True)
    r.add_argument("--time-file", required=True)
    r.add_argument("--alerts", required=True)
    r.add_argument("--match", choices=("yes", "no"), required=True)
    t = sub.add_parser("table")
    t.add_argument("--tsv", required=True)
    t.add_argument("--readme")
    t.add_argument("--n", type=int, required=True)
    t.add_argument("--rules", type=int, required=True, help="stateless rule count R")
    t.add_argument("--markdown", action="store_true")
    m = sub.add_parser("mem")
    m.add_argument("--base", required=True)
    m.add_argument("--loaded", required=True)
    m.add_argument("--entries", type=int, required=True)
    m.add_argument("--label", default="window entries")
    a = ap.parse_args()
    {"record": record, "table": table, "mem": mem}[a.cmd](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
