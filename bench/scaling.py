#!/usr/bin/env python3
"""flashpoint scaling curves (`make bench-scaling`; docs/performance.md).

  bench/scaling.py [--n N] [--rules "10 100 1000 10000"] [--keys "1000 10000 100000 1000000"]
                   [--reload-rules R] [--runs K] [--fp PATH] [--no-build] [--svg-dir DIR]
                   [--quick]

Measures, with the same binary as bench/run.sh (build/release if configured,
else build/bench; flashpoint is rebuilt incrementally unless --no-build):

1. throughput of `flashpoint replay` against the number of stateless rules,
   over the first N events (default 50,000) of the shared workload (seed 1),
   in two series:
     workload  the shared generator's R stateless rules (gen_rules.py --count R),
               so the alert count grows with R;
     decoy     the first 10 workload rules plus R - 10 rules of the same shape
               that never match (regions that do not exist), so every run
               writes the same alerts and only matching cost grows with R;
2. peak RSS against the number of live threshold-window keys K: K exercise
   events, each with its own attrs.k, under `threshold by attrs.k` (one live
   entry per key), minus a parse-only run over the same K events;
3. the time of a rule reload for R rules (default 1,000 = the workload's
   stateless rules plus T1 and P1): RuleSet::load + Engine::reload, timed by
   fp_reload_bench (built from bench/reload_bench.cpp), and also the wall
   time of `flashpoint check` on that file.

Prints the tables, writes scaling.tsv / tables.md / *.svg to
bench/work/scaling/ and, with --svg-dir, the two plots to DIR too.
Generated files stay under bench/work/ (git-ignored).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.environ.get("FP_SHARED", os.path.join(REPO, "..", "shared"))
WORK = os.path.join(REPO, "bench", "work")
OUT = os.path.join(WORK, "scaling")
PB = os.path.join(WORK, "peer-bench")

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, HERE)
import scaling_svg  # noqa: E402


def say(msg):
    print("== " + msg, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


# ---------------------------------------------------------------- binary
def binaries(args):
    if args.fp:
        fp = os.path.abspath(args.fp)
        bd = os.path.dirname(os.path.dirname(fp))
    else:
        bd = os.path.join(REPO, "build", "release")
        if not os.path.exists(os.path.join(bd, "build.ninja")):
            bd = os.path.join(REPO, "build", "bench")
            if not os.path.exists(os.path.join(bd, "build.ninja")):
                run(["cmake", "-S", REPO, "-B", bd, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                     "-DFP_BUILD_TESTS=OFF"], stdout=subprocess.DEVNULL)
        fp = os.path.join(bd, "cmd", "flashpoint")
    # fp_reload_bench (engine only) is always brought up to date; flashpoint
    # unless --fp or --no-build is given.
    benches = ["fp_reload_bench", "fp_window_mem_bench"]
    targets = benches if args.fp or not args.build else ["flashpoint"] + benches
    say("building %s in %s" % (" ".join(targets), os.path.relpath(bd, REPO)))
    run(["cmake", "--build", bd, "-j2", "--target"] + targets, stdout=subprocess.DEVNULL)
    reload_bench = os.path.join(bd, "bench", "fp_reload_bench")
    mem_bench = os.path.join(bd, "bench", "fp_window_mem_bench")
    for b in (fp, reload_bench, mem_bench):
        if not os.access(b, os.X_OK):
            sys.exit("scaling.py: no binary at %s" % b)
    return fp, reload_bench, mem_bench


# ---------------------------------------------------------------- timing
TIME_RE = {
    "wall": re.compile(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)"),
    "user": re.compile(r"User time \(seconds\): ([\d.]+)"),
    "sys": re.compile(r"System time \(seconds\): ([\d.]+)"),
    "rss_kb": re.compile(r"Maximum resident set size \(kbytes\): (\d+)"),
}


def timed(cmd, log):
    """Runs cmd under /usr/bin/time -v; returns wall s, cpu s, peak RSS bytes and its stderr."""
    tf = log + ".time"
    with open(log, "w") as err:
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tf] + cmd, stdout=subprocess.DEVNULL, stderr=err)
    text = open(log).read()
    if p.returncode != 0:
        sys.exit("scaling.py: %s failed:\n%s" % (" ".join(cmd), text))
    t = open(tf).read()
    m = TIME_RE["wall"].search(t)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    cpu = float(TIME_RE["user"].search(t).group(1)) + float(TIME_RE["sys"].search(t).group(1))
    rss = int(TIME_RE["rss_kb"].search(t).group(1)) * 1024
    return {"wall": wall, "cpu": cpu, "rss": rss, "log": text}


def replay(fp, rules, events, tag, extra=()):
    db = os.path.join(OUT, "db", tag + ".db")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    r = timed([fp, "replay", "--rules", rules, "--db", db] + list(extra) + [events],
              os.path.join(OUT, "log", tag + ".log"))
    m = re.search(r" (\d+) alerts", r["log"])
    r["alerts"] = int(m.group(1)) if m else -1
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    return r


def median_run(fn, runs):
    rs = [fn(i) for i in range(runs)]
    rs.sort(key=lambda r: r["wall"])
    mid = rs[len(rs) // 2]
    mid["cpu"] = statistics.median(r["cpu"] for r in rs)
    mid["rss"] = statistics.median(r["rss"] for r in rs)
    return mid


# ---------------------------------------------------------------- workload
def harness():
    src = os.path.join(SHARED, "bench")
    if not os.path.isdir(src):
        sys.exit("scaling.py: no shared benchmark at %s (set FP_SHARED)" % src)
    if not os.path.exists(os.path.join(PB, "gen_events.py")):
        shutil.copytree(src, PB, dirs_exist_ok=True)


def events_file(n):
    path = os.path.join(OUT, "events_n%d.jsonl" % n)
    if not os.path.exists(path):
        full = os.path.join(PB, "out", "n200000_s1_r100", "events.jsonl")
        if n <= 200000 and os.path.exists(full):
            with open(full) as src, open(path, "w") as dst:
                for i, line in enumerate(src):
                    if i >= n:
                        break
                    dst.write(line)
        else:
            run([sys.executable, os.path.join(PB, "gen_events.py"), "--n", str(n), "--seed", "1",
                 "--format", "jsonl", "--out", path])
    return path


def workload_rules(count, stateless_only=True):
    js = os.path.join(OUT, "rules", "r%d.json" % count)
    toml = os.path.join(OUT, "rules", "r%d%s.toml" % (count, "_stateless" if stateless_only else "_full"))
    if not os.path.exists(js):
        run([sys.executable, os.path.join(PB, "gen_rules.py"), "--seed", "1", "--count", str(count),
             "--format", "json", "--out", js])
    if not os.path.exists(toml):
        run([sys.executable, os.path.join(HERE, "to_toml.py"), js, "--out", toml]
            + (["--stateless-only"] if stateless_only else []))
    return toml


KINDS = ["exercise", "arms_transfer", "summit", "statement", "deployment", "sanction", "incident"]


def decoy_rules(count):
    """The first 10 workload rules plus count - 10 never-matching rules of the same shape."""
    path = os.path.join(OUT, "rules", "decoy%d.toml" % count)
    if os.path.exists(path):
        return path
    base = open(workload_rules(10)).read()
    lines = [base, "# Decoys: the workload's rule shape with regions no event has.\n"]
    for i in range(max(0, count - 10)):
        kind = KINDS[i % len(KINDS)]
        lines.append('[[rule]]\nid = "D%05d"\ntitle = "decoy %d"\n'
                     "when = 'kind == \"%s\" and region in [\"nowhere_%d\", \"void_%d\"] and "
                     "actors any_in [\"USA\", \"CHN\", \"RUS\"]'\n\n" % (i, i, kind, i, i + 1))
    with open(path, "w") as fh:
        fh.write("\n".join(lines))
    return path


def key_events(k):
    path = os.path.join(OUT, "keys_%d.jsonl" % k)
    if not os.path.exists(path):
        t0 = 1704067200  # 2024-01-01T00:00:00Z; one event a second, all inside 365 days
        import time
        with open(path, "w", encoding="ascii") as fh:
            for i in range(k):
                t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i))
                fh.write('{"id":"m%09d","time":"%s","kind":"exercise","actors":["USA"],"region":"arctic",'
                         '"source":"mem","attrs":{"k":"k%09d"}}\n' % (i + 1, t, i))
    return path


# ---------------------------------------------------------------- series
def rules_series(fp, reload_bench, args):
    events = events_file(args.n)
    rows = []
    for series in ("workload", "decoy"):
        for r in args.rules:
            toml = workload_rules(r) if series == "workload" else decoy_rules(r)
            say("replay %s rules R=%d over %d events (%d run(s))" % (series, r, args.n, args.runs))
            res = median_run(lambda i: replay(fp, toml, events, "%s_r%d_%d" % (series, r, i)), args.runs)
            lb = subprocess.run([reload_bench, "--runs", "3", toml], check=True, capture_output=True,
                                text=True).stdout.split()
            load_ms = float(lb[lb.index("total_ms_median") + 1])
            rows.append({"series": series, "rules": r, "events": args.n, "wall": res["wall"],
                         "cpu": res["cpu"], "rss": res["rss"], "alerts": res["alerts"],
                         "eps": args.n / res["wall"], "eps_cpu": args.n / res["cpu"] if res["cpu"] else 0,
                         "load_ms": load_ms})
            print("   wall %.2f s, cpu %.2f s, %d events/s, %d alerts, load+reload %.1f ms"
                  % (res["wall"], res["cpu"], args.n / res["wall"], res["alerts"], load_ms), flush=True)
    return rows


def keys_series(fp, mem_bench, args):
    rows = []
    empty = os.path.join(OUT, "rules", "parse_only.toml")
    with open(empty, "w") as fh:
        fh.write('[[rule]]\nid = "parse-only"\ntitle = "matches nothing"\nwhen = \'kind == "none"\'\n')
    for k in args.keys:
        events = key_events(k)
        conf = os.path.join(OUT, "rules", "engine_%d.toml" % k)
        with open(conf, "w") as fh:
            fh.write("[engine]\nmax_keys_per_rule = %d\n" % (k + 1))
        rules = os.path.join(OUT, "rules", "keys.toml")
        with open(rules, "w") as fh:
            fh.write('[[rule]]\nid = "mem-keys"\ntitle = "one window per attrs.k; never fires"\n'
                     "when = 'kind == \"exercise\"'\n[rule.threshold]\nwithin = \"365d\"\n"
                     'by = ["attrs.k"]\ncount = 1000\n')
        say("memory: %d live keys (one entry each)" % k)
        base = replay(fp, empty, events, "keys_base_%d" % k, ["--config", conf])
        loaded = replay(fp, rules, events, "keys_%d" % k, ["--config", conf])
        if loaded["alerts"] != 0:
            sys.exit("scaling.py: the memory rule fired (or hit the key bound) at K=%d" % k)
        per_key = (loaded["rss"] - base["rss"]) / k
        # The engine's own heap per key, without SQLite and the saved state.
        out = subprocess.run([mem_bench, rules, events], check=True, capture_output=True,
                             text=True).stdout.split()
        heap = {out[i]: out[i + 1] for i in range(0, len(out) - 1, 2)}
        heap_per_key = float(heap["bytes_per_event"])
        rows.append({"keys": k, "base_rss": base["rss"], "rss": loaded["rss"], "per_key": per_key,
                     "heap_per_key": heap_per_key, "wall": loaded["wall"], "base_wall": base["wall"]})
        print("   peak RSS %.1f MB (parse-only %.1f MB): %.0f bytes per key; engine heap %.0f bytes "
              "per key; %.2f s" % (loaded["rss"] / 1e6, base["rss"] / 1e6, per_key, heap_per_key,
                                   loaded["wall"]), flush=True)
    return rows


def reload_timing(fp, reload_bench, args):
    toml = workload_rules(args.reload_rules - 2, stateless_only=False)  # + T1 + P1
    say("reload: %d rules (%s)" % (args.reload_rules, os.path.relpath(toml, REPO)))
    out = subprocess.run([reload_bench, "--runs", "20", toml], check=True, capture_output=True,
                         text=True).stdout.split()
    vals = {out[i]: out[i + 1] for i in range(0, len(out) - 1, 2)}
    checks = [timed([fp, "check", toml], os.path.join(OUT, "log", "check_%d.log" % i))["wall"] for i in range(5)]
    one = workload_rules(1)
    checks1 = [timed([fp, "check", one], os.path.join(OUT, "log", "check1_%d.log" % i))["wall"] for i in range(5)]
    res = {"rules": int(vals["rules"]), "load_ms": float(vals["load_ms_median"]),
           "load_ms_min": float(vals["load_ms_min"]), "reload_ms": float(vals["reload_ms_median"]),
           "total_ms": float(vals["total_ms_median"]), "total_ms_min": float(vals["total_ms_min"]),
           "check_s": statistics.median(checks), "check1_s": statistics.median(checks1)}
    print("   RuleSet::load %.1f ms + Engine::reload %.2f ms = %.1f ms (median of 20; min %.1f ms); "
          "`flashpoint check` %.3f s wall (1 rule: %.3f s)"
          % (res["load_ms"], res["reload_ms"], res["total_ms"], res["total_ms_min"], res["check_s"],
             res["check1_s"]), flush=True)
    return res


# ---------------------------------------------------------------- report
def tables(rule_rows, key_rows, reload_res, args):
    md = []
    if rule_rows:
        md.append("| series | rules | events | wall s | events/s | cpu s | events/cpu-s | alerts | peak RSS MB "
                  "| load + reload ms |")
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rule_rows:
            md.append("| %s | %s | %s | %.2f | %s | %.2f | %s | %s | %.1f | %.1f |"
                      % (r["series"], f"{r['rules']:,}", f"{r['events']:,}", r["wall"], f"{r['eps']:,.0f}",
                         r["cpu"], f"{r['eps_cpu']:,.0f}", f"{r['alerts']:,}", r["rss"] / 1e6, r["load_ms"]))
        md.append("")
    if key_rows:
        md.append("| live keys | peak RSS MB | parse-only RSS MB | RSS bytes per key | engine heap bytes per key "
                  "| wall s |")
        md.append("|---:|---:|---:|---:|---:|---:|")
        for r in key_rows:
            md.append("| %s | %.1f | %.1f | %s | %s | %.2f |"
                      % (f"{r['keys']:,}", r["rss"] / 1e6, r["base_rss"] / 1e6, f"{r['per_key']:,.0f}",
                         f"{r['heap_per_key']:,.0f}", r["wall"]))
        md.append("")
    if reload_res:
        r = reload_res
        md.append("| rules | RuleSet::load ms | Engine::reload ms | total ms (median of 20) | min ms "
                  "| `flashpoint check` wall s | `check` of 1 rule s |")
        md.append("|---:|---:|---:|---:|---:|---:|---:|")
        md.append("| %s | %.1f | %.2f | %.1f | %.1f | %.3f | %.3f |"
                  % (f"{r['rules']:,}", r["load_ms"], r["reload_ms"], r["total_ms"], r["total_ms_min"],
                     r["check_s"], r["check1_s"]))
        md.append("")
    return "\n".join(md)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50000)
    ap.add_argument("--rules", default="10 100 1000 10000")
    ap.add_argument("--keys", default="1000 10000 100000 1000000")
    ap.add_argument("--reload-rules", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--fp")
    ap.add_argument("--no-build", dest="build", action="store_false")
    ap.add_argument("--svg-dir")
    ap.add_argument("--quick", action="store_true", help="N=5000, rules 10 100 1000, keys up to 100,000")
    ap.add_argument("--only", default="rules keys reload")
    args = ap.parse_args()
    if args.quick:
        args.n, args.rules, args.keys = 5000, "10 100 1000", "1000 10000 100000"
    args.rules = [int(x) for x in args.rules.split()]
    args.keys = [int(x) for x in args.keys.split()]
    only = args.only.split()

    for d in ("", "db", "log", "rules"):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)
    if not os.path.exists("/usr/bin/time"):
        sys.exit("scaling.py: GNU time is missing (apt-get install time)")
    harness()
    fp, reload_bench, mem_bench = binaries(args)
    with open("/proc/loadavg") as fh:
        print("load average before: " + " ".join(fh.read().split()[:3]))

    rule_rows = rules_series(fp, reload_bench, args) if "rules" in only else []
    key_rows = keys_series(fp, mem_bench, args) if "keys" in only else []
    reload_res = reload_timing(fp, reload_bench, args) if "reload" in only else None

    with open("/proc/loadavg") as fh:
        print("load average after: " + " ".join(fh.read().split()[:3]))
    md = tables(rule_rows, key_rows, reload_res, args)
    print()
    print(md)
    with open(os.path.join(OUT, "tables.md"), "w") as fh:
        fh.write(md + "\n")
    with open(os.path.join(OUT, "scaling.tsv"), "w") as fh:
        for r in rule_rows:
            fh.write("rules\t%s\t%d\t%.3f\t%.3f\t%d\t%d\t%.2f\n"
                     % (r["series"], r["rules"], r["wall"], r["cpu"], r["rss"], r["alerts"], r["load_ms"]))
        for r in key_rows:
            fh.write("keys\t%d\t%d\t%d\t%.1f\t%.1f\n"
                     % (r["keys"], r["rss"], r["base_rss"], r["per_key"], r["heap_per_key"]))
    dirs = [OUT] + ([args.svg_dir] if args.svg_dir else [])
    for d in dirs:
        os.makedirs(d, exist_ok=True)
        if rule_rows:
            scaling_svg.rules_plot(rule_rows, os.path.join(d, "scaling-rules.svg"))
        if key_rows:
            scaling_svg.keys_plot(key_rows, os.path.join(d, "memory-keys.svg"))
    print("(files: %s/tables.md, scaling.tsv, *.svg%s)"
          % (os.path.relpath(OUT, REPO), "; plots also in " + args.svg_dir if args.svg_dir else ""))


if __name__ == "__main__":
    main()
