#!/usr/bin/env python3
"""Live benchmark of `flashpoint run` (what `make bench-live` runs).

Each phase runs a fresh daemon in a temporary folder, over loopback:

  ingest   N events over TCP from C concurrent clients (default 1,000,000 from
           4 clients), timed from the first byte sent until every event is
           read and committed (metrics: flashpoint_events_total == N and
           flashpoint_queue_depth == 0), so the rate counts alerts on disk.
           Run with the shipped rule pack, then with one stateless rule (the
           daemon's own path). Afterwards a SIGHUP asks for a full checkpoint,
           to time the serialisation of the final engine state.
  folder   the same N events in 10 files renamed into a watched folder (the
           exactly-once path: every commit carries the engine state), timed
           until all are committed.
  latency  events at a steady rate (default 10,000/s for 10 s) over one TCP
           connection; every 10th is a probe that the rule `bench/probe`
           turns into an alert. A reader polls the database (read-only, every
           0.5 ms) and notes when each probe's alert is visible: latency =
           seen - sent, i.e. event to alert committed.

Prints a summary (and writes it as JSON with --json FILE). Standard library
only. Usage:

  bench/live/live_bench.py [--binary build/release/cmd/flashpoint] [--events N]
      [--clients C] [--rate R] [--seconds S] [--commit-ms MS] [--state-ms MS]
      [--json FILE] [--verbose] [--skip-ingest] [--skip-folder] [--skip-latency]
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

KINDS = ["exercise", "deployment", "statement", "summit", "arms_transfer", "sanction",
         "incident", "agreement"]
ACTORS = ["CHN", "USA", "JPN", "KOR", "PRK", "RUS", "TWN", "AUS", "GBR", "FRA", "DEU",
          "NATO", "PHL", "IND", "UKR", "ITA", "CAN", "NLD", "EU", "BLR"]
REGIONS = ["taiwan_strait", "east_china_sea", "south_china_sea", "sea_of_japan",
           "yellow_sea", "korean_peninsula", "western_pacific", "indian_ocean",
           "baltic_sea", "black_sea", "ukraine", "north_atlantic", "arctic", "europe"]
TOPICS = ["nato_asia", "nato_china", "theatre_linkage", "naval_presence", "arms_to_ukraine",
          "arms_to_dprk", "enabling_russia", "taiwan_status", "sanctions", "dialogue"]
STANCES = ["support", "oppose", "warn", "consider", "neutral"]

# A light rule set (one stateless rule, about 1 alert in 8 events): shows
# what the daemon's path (sockets, decoding, commits) sustains when rule
# evaluation is cheap.
LIGHT_RULES = """
[[rule]]
id = "bench/incident"
title = "incident"
when = 'kind == "incident"'
severity = "low"
"""

PROBE_RULE = """
[[rule]]
id = "bench/probe"
title = "latency probe"
when = 'kind == "probe"'
severity = "info"
"""


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def make_events(prefix, n, seed, t0=1704067200):
    """n JSON lines; ids are prefix + number; times advance ~60 s per event."""
    rng = random.Random(seed)
    out = []
    t = t0
    for i in range(n):
        t += rng.randint(1, 119)
        kind = rng.choice(KINDS)
        ev = {"id": "%s%d" % (prefix, i), "time": iso(t), "kind": kind,
              "actors": rng.sample(ACTORS, rng.choice((1, 2, 2, 3))),
              "region": rng.choice(REGIONS)}
        if kind == "arms_transfer":
            ev["supplier"], ev["recipient"] = rng.sample(ACTORS, 2)
            ev["direct"] = rng.random() < 0.4
            ev["value_usd"] = rng.randint(1, 5000) * 1000000
        elif kind == "statement":
            ev["speaker"] = ev["actors"][0]
            ev["topic"] = rng.choice(TOPICS)
            ev["stance"] = rng.choice(STANCES)
        elif kind == "sanction":
            ev["action"] = rng.choice(["impose", "lift", "veto", "monitor"])
        out.append(json.dumps(ev, separators=(",", ":")) + "\n")
    return out


class Daemon:
    def __init__(self, binary, workdir, rules, commit_ms, state_ms=0, feed=None):
        self.dir = workdir
        self.db = os.path.join(workdir, "fp.db")
        self.config = os.path.join(workdir, "flashpoint.toml")
        with open(self.config, "w") as f:
            f.write('[daemon]\ndatabase = "%s"\nrules = [%s]\nlog_level = "info"\n'
                    % (self.db, ", ".join('"%s"' % r for r in rules)))
            if commit_ms:
                f.write("commit_ms = %d\n" % commit_ms)
            if state_ms:
                f.write("state_ms = %d\n" % state_ms)
            f.write(feed or '[[feed]]\nname = "wire"\nlisten = "tcp://127.0.0.1:0"\n')
            f.write('[http]\nlisten = "127.0.0.1:0"\n')
        self.log_path = os.path.join(workdir, "daemon.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([binary, "run", "--config", self.config],
                                     stdout=self.log, stderr=self.log, cwd=workdir)
        deadline = time.time() + 60
        text = ""
        while "] ready: " not in text:
            if self.proc.poll() is not None or time.time() > deadline:
                sys.exit("daemon did not start:\n" + open(self.log_path).read())
            time.sleep(0.02)
            text = open(self.log_path).read()
        tcp = re.search(r"feed wire: listening on tcp://\S*:(\d+)", text)
        self.tcp = int(tcp.group(1)) if tcp else 0
        self.http = int(re.search(r"http: listening on \S*:(\d+)", text).group(1))

    def metrics(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.http, timeout=10) as r:
            text = r.read().decode()
        out = {}
        for line in text.splitlines():
            if line.startswith("#") or not line:
                continue
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
        return out

    def stop(self):
        t0 = time.time()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=120)
        return code, time.time() - t0


def metric(m, prefix):
    return sum(v for k, v in m.items() if k.startswith(prefix))


def hist_mean(m, name):
    count = m.get(name + "_count", 0)
    return m.get(name + "_sum", 0) / count if count else 0.0


def ingest(args, binary, rules, light=False):
    work = tempfile.mkdtemp(prefix="fp-live-")
    try:
        if light:
            rules = light_rules(work)
        per = args.events // args.clients
        print("generating %d events..." % (per * args.clients), flush=True)
        blobs = ["".join(make_events("c%d-" % c, per, seed=c)).encode()
                 for c in range(args.clients)]
        total = per * args.clients
        d = Daemon(binary, work, rules, args.commit_ms, args.state_ms)

        def send(blob):
            s = socket.create_connection(("127.0.0.1", d.tcp))
            s.sendall(blob)
            s.close()

        threads = [threading.Thread(target=send, args=(b,)) for b in blobs]
        t0 = time.time()
        for t in threads:
            t.start()
        while True:
            m = d.metrics()
            if metric(m, 'flashpoint_events_total{feed="wire"') + \
                    metric(m, 'flashpoint_dead_letters_total{feed="wire"') >= total and \
                    m.get("flashpoint_queue_depth", 1) == 0:
                break
            time.sleep(0.01)
        elapsed = time.time() - t0
        for t in threads:
            t.join()
        # The cost of one full checkpoint with the state of all N events: a
        # reload (SIGHUP) asks for one.
        before = d.metrics()
        d.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 60
        after = before
        while time.time() < deadline:
            after = d.metrics()
            if after.get("flashpoint_checkpoint_seconds_count", 0) > \
                    before.get("flashpoint_checkpoint_seconds_count", 0):
                break
            time.sleep(0.05)
        full_ms = (after.get("flashpoint_checkpoint_seconds_sum", 0) -
                   before.get("flashpoint_checkpoint_seconds_sum", 0)) * 1e3
        code, stop_s = d.stop()
        res = {
            "rules": "light (1 stateless rule)" if light else "shipped pack",
            "events": total,
            "clients": args.clients,
            "seconds": round(elapsed, 3),
            "events_per_s": round(total / elapsed),
            "mb_per_s": round(sum(len(b) for b in blobs) / elapsed / 1e6, 1),
            "alerts": int(metric(m, "flashpoint_alerts_total")),
            "checkpoints": int(m.get("flashpoint_checkpoints_total", 0)),
            "full_checkpoints": int(m.get("flashpoint_checkpoint_seconds_count", 0)),
            "save_state_ms_mean": round(hist_mean(m, "flashpoint_checkpoint_seconds") * 1e3, 3),
            "final_state_bytes": int(after.get("flashpoint_state_bytes", 0)),
            "final_save_state_ms": round(full_ms, 3),
            "commit_ms_mean": round(hist_mean(m, "flashpoint_commit_seconds") * 1e3, 3),
            "eval_us_mean": round(hist_mean(m, "flashpoint_eval_seconds") * 1e6, 3),
            "backpressure_pauses": int(m.get("flashpoint_backpressure_pauses_total", 0)),
            "shutdown_s": round(stop_s, 3),
            "exit": code,
        }
        return res
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def light_rules(work):
    light_dir = os.path.join(work, "light")
    os.makedirs(light_dir)
    with open(os.path.join(light_dir, "light.toml"), "w") as f:
        f.write(LIGHT_RULES)
    return [light_dir]


def folder(args, binary, rules, light=False):
    """N events in 10 files renamed into a watched folder (exactly-once path)."""
    work = tempfile.mkdtemp(prefix="fp-live-")
    try:
        if light:
            rules = light_rules(work)
        inbox = os.path.join(work, "inbox")
        os.makedirs(inbox)
        n = args.events
        lines = make_events("f", n, seed=5)
        for i in range(10):
            with open(os.path.join(inbox, ".part%d.tmp" % i), "w") as f:
                f.write("".join(lines[i * n // 10:(i + 1) * n // 10]))
        d = Daemon(binary, work, rules, args.commit_ms, args.state_ms,
                   feed='[[feed]]\nname = "spool"\nwatch = "%s"\n' % inbox)
        t0 = time.time()
        for i in range(10):
            os.rename(os.path.join(inbox, ".part%d.tmp" % i),
                      os.path.join(inbox, "part-%02d.jsonl" % i))
        while True:
            m = d.metrics()
            if metric(m, 'flashpoint_events_total{feed="spool"') >= n and \
                    m.get("flashpoint_queue_depth", 1) == 0:
                break
            time.sleep(0.01)
        elapsed = time.time() - t0
        code, _ = d.stop()
        return {
            "rules": "light (1 stateless rule)" if light else "shipped pack",
            "events": n,
            "seconds": round(elapsed, 3),
            "events_per_s": round(n / elapsed),
            "alerts": int(metric(m, "flashpoint_alerts_total")),
            "full_checkpoints": int(m.get("flashpoint_checkpoint_seconds_count", 0)),
            "save_state_ms_mean": round(hist_mean(m, "flashpoint_checkpoint_seconds") * 1e3, 3),
            "backpressure_pauses": int(m.get("flashpoint_backpressure_pauses_total", 0)),
            "exit": code,
        }
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def latency(args, binary, rules):
    work = tempfile.mkdtemp(prefix="fp-live-")
    try:
        probe_dir = os.path.join(work, "probe")
        os.makedirs(probe_dir)
        with open(os.path.join(probe_dir, "probe.toml"), "w") as f:
            f.write(PROBE_RULE)
        n = args.rate * args.seconds
        lines = make_events("l", n, seed=99)
        for i in range(0, n, 10):  # every 10th event is a probe
            ev = json.loads(lines[i])
            ev["kind"] = "probe"
            ev["id"] = "p%d" % i
            lines[i] = json.dumps(ev, separators=(",", ":")) + "\n"
        d = Daemon(binary, work, rules + [probe_dir], args.commit_ms, args.state_ms)
        sent = {}
        seen = {}
        stop = threading.Event()

        def watch():
            db = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True, check_same_thread=False)
            last = 0
            while not stop.is_set():
                try:
                    rows = db.execute(
                        "SELECT a.id, e.event_id FROM alerts a JOIN alert_evidence e "
                        "ON e.alert_id = a.id WHERE a.id > ? AND a.rule_id = 'bench/probe'",
                        (last,)).fetchall()
                except sqlite3.OperationalError:
                    rows = []
                now = time.monotonic()
                for aid, eid in rows:
                    seen.setdefault(eid, now)
                    last = max(last, aid)
                time.sleep(0.0005)

        watcher = threading.Thread(target=watch)
        watcher.start()
        s = socket.create_connection(("127.0.0.1", d.tcp))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        batch = max(1, args.rate // 1000)  # events per millisecond
        start = time.monotonic()
        for i in range(0, n, batch):
            due = start + i / args.rate
            while True:
                now = time.monotonic()
                if now >= due:
                    break
                time.sleep(min(0.0005, due - now))
            chunk = lines[i:i + batch]
            now = time.monotonic()
            for j in range(i, min(i + batch, n)):
                if j % 10 == 0:
                    sent["p%d" % j] = now
            s.sendall("".join(chunk).encode())
        send_s = time.monotonic() - start
        s.close()
        deadline = time.monotonic() + 10
        while len(seen) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.01)
        stop.set()
        watcher.join()
        m = d.metrics()
        code, _ = d.stop()
        lat = sorted((seen[k] - sent[k]) * 1e3 for k in sent if k in seen)
        if args.verbose:
            slow = sorted((sent[k] - start, (seen[k] - sent[k]) * 1e3)
                          for k in sent if k in seen and (seen[k] - sent[k]) * 1e3 > 20)
            for t, ms in slow:
                print("  slow probe at %.3f s: %.1f ms" % (t, ms))

        def pct(p):
            return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))], 2) if lat else None

        return {
            "rate": args.rate,
            "achieved_rate": round(n / send_s),
            "probes": len(sent),
            "seen": len(lat),
            "p50_ms": pct(50),
            "p90_ms": pct(90),
            "p99_ms": pct(99),
            "max_ms": round(lat[-1], 2) if lat else None,
            "commit_ms_setting": args.commit_ms or "default",
            "checkpoints": int(m.get("flashpoint_checkpoints_total", 0)),
            "save_state_ms_mean": round(hist_mean(m, "flashpoint_checkpoint_seconds") * 1e3, 3),
            "exit": code,
        }
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(REPO, "build/release/cmd/flashpoint"))
    ap.add_argument("--rules", default=os.path.join(REPO, "rules"))
    ap.add_argument("--events", type=int, default=1000000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rate", type=int, default=10000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--commit-ms", type=int, default=0, help="override [daemon] commit_ms")
    ap.add_argument("--state-ms", type=int, default=0, help="override [daemon] state_ms")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    ap.add_argument("--verbose", action="store_true", help="list probes slower than 20 ms")
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--skip-folder", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    rules = [os.path.abspath(args.rules)]
    results = {"binary": binary, "cpus": os.cpu_count(),
               "load_before": os.getloadavg()[0]}
    if not args.skip_ingest:
        for name, light in (("ingest", False), ("ingest_light", True)):
            results[name] = ingest(args, binary, rules, light)
            r = results[name]
            print("%s: %d events from %d TCP clients in %.2f s = %d events/s (%.1f MB/s), "
                  "%d alerts, engine %.2f us/event; %d checkpoints (%d full, save_state "
                  "%.2f ms mean), commit %.2f ms mean; a full checkpoint of the final state "
                  "(%d bytes) takes %.1f ms; shutdown %.2f s"
                  % (r["rules"], r["events"], r["clients"], r["seconds"], r["events_per_s"],
                     r["mb_per_s"], r["alerts"], r["eval_us_mean"], r["checkpoints"],
                     r["full_checkpoints"], r["save_state_ms_mean"], r["commit_ms_mean"],
                     r["final_state_bytes"], r["final_save_state_ms"], r["shutdown_s"]),
                  flush=True)
    if not args.skip_folder:
        for name, light in (("folder", False), ("folder_light", True)):
            results[name] = folder(args, binary, rules, light)
            r = results[name]
            print("folder, %s: %d events in 10 files in %.2f s = %d events/s, %d alerts, "
                  "%d full checkpoints (save_state %.2f ms mean), %d backpressure pauses"
                  % (r["rules"], r["events"], r["seconds"], r["events_per_s"], r["alerts"],
                     r["full_checkpoints"], r["save_state_ms_mean"],
                     r["backpressure_pauses"]), flush=True)
    if not args.skip_latency:
        results["latency"] = latency(args, binary, rules)
        r = results["latency"]
        print("latency: %d events/s (%d achieved), %d/%d probe alerts seen; event -> alert "
              "committed p50 %s ms, p90 %s ms, p99 %s ms, max %s ms"
              % (r["rate"], r["achieved_rate"], r["seen"], r["probes"], r["p50_ms"],
                 r["p90_ms"], r["p99_ms"], r["max_ms"]), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
