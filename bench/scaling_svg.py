#!/usr/bin/env python3
"""Plain-SVG line plots for bench/scaling.py (no plotting library needed)."""
import math
from xml.sax.saxutils import escape

W, H = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 80, 230, 50, 60


def _ticks_log(lo, hi):
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if b <= a:  # one point, or all in one decade boundary
        b = a + 1
    return [10 ** e for e in range(a, b + 1)]


def _ticks_lin(lo, hi):
    span = hi - lo or 1.0
    step = 10 ** math.floor(math.log10(span / 5))
    for m in (1, 2, 5, 10):
        if span / (step * m) <= 6:
            step *= m
            break
    start = math.floor(lo / step) * step
    out, v = [], start
    while v <= hi + step * 0.5:
        out.append(v)
        v += step
    return out


def _fmt(v):
    if v >= 1e6 and v % 1e6 == 0:
        return "%dM" % (v / 1e6)
    if v >= 1e3 and v % 1e3 == 0:
        return "%dk" % (v / 1e3)
    if v >= 100 or v == int(v):
        return "{:,.0f}".format(v)
    return "%g" % v


def line_plot(path, title, xlabel, ylabel, series, logx=True, logy=False, note=""):
    """series: list of dicts {name, color, points [(x, y, label or None)], dash}."""
    xs = [p[0] for s in series for p in s["points"]]
    ys = [p[1] for s in series for p in s["points"]]
    xt = _ticks_log(min(xs), max(xs)) if logx else _ticks_lin(min(xs), max(xs))
    if logy:
        yt = _ticks_log(max(min(ys), 1e-9), max(ys))
    else:
        yt = _ticks_lin(0, max(ys) * 1.08)
    x0, x1, y0, y1 = xt[0], xt[-1], yt[0], yt[-1]
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def sx(x):
        f = (math.log10(x) - math.log10(x0)) / (math.log10(x1) - math.log10(x0)) if logx else (x - x0) / (x1 - x0)
        return LEFT + f * pw

    def sy(y):
        if logy:
            f = (math.log10(y) - math.log10(y0)) / (math.log10(y1) - math.log10(y0))
        else:
            f = (y - y0) / (y1 - y0)
        return TOP + ph - f * ph

    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
         'font-family="sans-serif" font-size="12">' % (W, H, W, H),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>' % (LEFT, escape(title))]
    for t in xt:
        x = sx(t)
        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e3e3e3"/>' % (x, TOP, x, TOP + ph))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x, TOP + ph + 18, _fmt(t)))
    for t in yt:
        y = sy(t)
        o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e3e3e3"/>' % (LEFT, y, LEFT + pw, y))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (LEFT - 6, y + 4, _fmt(t)))
    o.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>' % (LEFT, TOP, pw, ph))
    o.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (LEFT + pw / 2, H - 18, escape(xlabel)))
    o.append('<text transform="translate(18 %d) rotate(-90)" text-anchor="middle">%s</text>'
             % (TOP + ph / 2, escape(ylabel)))
    for i, s in enumerate(series):
        pts = " ".join("%.1f,%.1f" % (sx(p[0]), sy(p[1])) for p in s["points"])
        dash = ' stroke-dasharray="6 4"' if s.get("dash") else ""
        o.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>' % (pts, s["color"], dash))
        if not s.get("dash"):
            for p in s["points"]:
                o.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>' % (sx(p[0]), sy(p[1]), s["color"]))
                if len(p) > 2 and p[2]:
                    right = sx(p[0]) > LEFT + pw - 80  # near the right edge: label to the left
                    o.append('<text x="%.1f" y="%.1f" font-size="11" fill="%s"%s>%s</text>'
                             % (sx(p[0]) + (-6 if right else 6), sy(p[1]) - 6, s["color"],
                                ' text-anchor="end"' if right else "", escape(p[2])))
        ly = TOP + 14 + i * 20
        o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>'
                 % (LEFT + pw + 12, ly - 4, LEFT + pw + 34, ly - 4, s["color"], dash))
        o.append('<text x="%d" y="%d">%s</text>' % (LEFT + pw + 40, ly, escape(s["name"])))
    if note:
        for j, line in enumerate(note.split("\n")):
            o.append('<text x="%d" y="%d" font-size="10" fill="#555">%s</text>'
                     % (LEFT + pw + 12, TOP + ph - 12 * (len(note.split("\n")) - 1 - j), escape(line)))
    o.append("</svg>")
    with open(path, "w") as fh:
        fh.write("\n".join(o) + "\n")


def rules_plot(rows, path):
    series = []
    colors = {"workload": "#1f77b4", "decoy": "#d62728"}
    names = {"workload": "workload rules", "decoy": "10 + decoy rules"}
    for name in ("workload", "decoy"):
        pts = [(r["rules"], r["eps"], None) for r in rows if r["series"] == name]
        if pts:
            series.append({"name": names[name] + " (wall)", "color": colors[name], "points": pts})
        pts = [(r["rules"], r["eps_cpu"], None) for r in rows if r["series"] == name and r["eps_cpu"]]
        if pts:
            series.append({"name": names[name] + " (CPU)", "color": colors[name], "points": pts, "dash": True})
    n = rows[0]["events"]
    line_plot(path, "flashpoint replay: throughput vs number of stateless rules",
              "stateless rules (log scale)", "events per second (log scale)", series, logx=True, logy=True,
              note="%s events of the shared\nworkload (seed 1); wall\nincludes start-up, rule\nloading and SQLite"
                   % "{:,}".format(n))


def keys_plot(rows, path):
    measured = [(r["keys"], r["rss"] / 1e6, "%s B/key" % "{:,.0f}".format(r["per_key"])) for r in rows]
    base = [(r["keys"], r["base_rss"] / 1e6, None) for r in rows]
    heap = [(r["keys"], r["heap_per_key"] * r["keys"] / 1e6,
             "%s B/key" % "{:,.0f}".format(r["heap_per_key"])) for r in rows if "heap_per_key" in r]
    target = [(r["keys"], 100 * r["keys"] / 1e6, None) for r in rows]
    line_plot(path, "flashpoint: memory vs live threshold-window keys",
              "live window keys, one entry each (log scale)", "MB (log scale)",
              [{"name": "replay peak RSS, threshold by attrs.k", "color": "#1f77b4", "points": measured},
               {"name": "replay peak RSS, parse-only", "color": "#7f7f7f", "points": base},
               {"name": "engine heap of the windows", "color": "#d62728", "points": heap},
               {"name": "target: 100 B per key", "color": "#2ca02c", "points": target, "dash": True}],
              logx=True, logy=True)
