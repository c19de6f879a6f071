#!/usr/bin/env python3
"""Turn `flashpoint alerts --format json` output into the benchmark's alert
lines (WORKLOAD.md 2.4), streaming (the array can hold 250k+ alerts).

  flashpoint alerts --db OUT.db --format json | alerts_to_lines.py [--out FILE]
  alerts_to_lines.py --in alerts.json --out alerts.txt

  S001..  ->  S001 <event id>
  T1      ->  T1 <last evidence id> <key>      (key = the region)
  P1      ->  P1 <second id> <first id>        (evidence = [first, second])

Any other rule id is written like a stateless rule (`<rule> <last evidence id>`).
"""
import argparse
import json
import sys

CHUNK = 1 << 20


def iter_array(fh):
    """Yield the elements of one top-level JSON array, reading fh in chunks."""
    dec = json.JSONDecoder()
    buf = ""
    pos = 0
    eof = False
    started = False

    def more():
        nonlocal buf, pos, eof
        chunk = fh.read(CHUNK)
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    while True:
        # skip whitespace and separators
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf) or eof or not more():
                break
        if pos >= len(buf):
            raise ValueError("unexpected end of input" if started else "empty input")
        c = buf[pos]
        if not started:
            if c != "[":
                raise ValueError("expected a JSON array, got %r" % c)
            started = True
            pos += 1
            continue
        if c == "]":
            return
        if c == ",":
            pos += 1
            continue
        while True:
            try:
                obj, end = dec.raw_decode(buf, pos)
                # a number at the very end of the buffer may be cut short
                if end == len(buf) and not eof and not isinstance(obj, (dict, list, str)):
                    raise json.JSONDecodeError("maybe truncated", buf, end)
                break
            except json.JSONDecodeError:
                if eof or not more():
                    raise
        pos = end
        yield obj


def line_of(a):
    rule = a["rule"]
    ev = a.get("evidence") or []
    if not ev:
        raise ValueError("alert %s of rule %s has no evidence" % (a.get("id"), rule))
    if rule == "T1":
        return "T1 %s %s" % (ev[-1], a.get("key", ""))
    if rule == "P1":
        if len(ev) != 2:
            raise ValueError("P1 alert %s has %d evidence ids, expected 2" % (a.get("id"), len(ev)))
        return "P1 %s %s" % (ev[1], ev[0])
    return "%s %s" % (rule, ev[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in", dest="inp", help="JSON file (default stdin)")
    ap.add_argument("--out", help="alert lines file (default stdout)")
    a = ap.parse_args()
    fin = open(a.inp, encoding="utf-8") if a.inp else sys.stdin
    fout = open(a.out, "w", encoding="ascii") if a.out else sys.stdout
    n = 0
    try:
        for alert in iter_array(fin):
            fout.write(line_of(alert) + "\n")
            n += 1
    except (ValueError, KeyError) as e:
        sys.exit("alerts_to_lines.py: %s" % e)
    finally:
        if a.out:
            fout.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
