#!/usr/bin/env bash
# flashpoint benchmark (what `make bench` runs). See docs/performance.md.
#
#   bench/run.sh [--n N] [--seed S] [--rules R] [--runs K] [--peer-runs K]
#                [--peers "sec jre"|none] [--mem-n M] [--no-mem] [--no-edge]
#                [--quick] [--edge] [--profile] [--fp PATH] [--no-build]
#
# Defaults: --n 200000 --seed 1 --rules 100 --runs 3 --peer-runs 1 --mem-n 1000000;
# --peers defaults to "sec" when SEC is installed, else none. Asking for a peer
# with --peers installs it (the shared setup.sh: apt sec, npm ci for jre).
# json-rules-engine needs ~5 min a run at N=200000: add it with --peers "sec jre".
#   --quick    N=20000, 1 run, memory test with 100000 entries
#   --edge     only the boundary test (fixtures/edge.jsonl) and exit
#   --profile  also run callgrind over the first 20000 events (full rules)
#   --fp PATH  the flashpoint binary (default: build/release if configured,
#              else a Release build in build/bench; built incrementally)
# The shared harness comes from $FP_SHARED/bench (default <repo>/../shared/bench);
# everything is written under bench/work/ (git-ignored). Exits non-zero when
# any engine's alerts differ from the reference or the edge test fails.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${FP_SHARED:-$REPO/../shared}
SRC="$SHARED/bench"
WORK="$REPO/bench/work"
PB="$WORK/peer-bench"          # writable copy of the shared harness
HERE="$REPO/bench"

N=200000 SEED=1 R=100 RUNS=3 PEER_RUNS=1 PEERS=default MEM_N=1000000
DO_MEM=1 DO_EDGE=1 EDGE_ONLY=0 PROFILE=0 FP=${FP:-} BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --rules) R=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --peer-runs) PEER_RUNS=$2; shift 2 ;;
    --peers) PEERS=$2; shift 2 ;;
    --mem-n) MEM_N=$2; shift 2 ;;
    --no-mem) DO_MEM=0; shift ;;
    --no-edge) DO_EDGE=0; shift ;;
    --quick) N=20000; RUNS=1; MEM_N=100000; shift ;;
    --edge) EDGE_ONLY=1; shift ;;
    --profile) PROFILE=1; shift ;;
    --fp) FP=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$PEERS" = none ] && PEERS=""

say() { printf '== %s\n' "$*"; }
die() { echo "run.sh: $*" >&2; exit 2; }

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

# ---- tools, shared harness, binary --------------------------------------
command -v python3 >/dev/null || die "python3 is missing (scripts/install-deps.sh installs it)"
[ -d "$SRC" ] || die "no shared benchmark at $SRC (set FP_SHARED)"
[ -x /usr/bin/time ] || { say "installing GNU time"; apt_install time; }

mkdir -p "$PB"
cp -R "$SRC/." "$PB/"
chmod -R u+w "$PB"

if [ -z "$FP" ]; then
  if [ -f "$REPO/build/release/build.ninja" ]; then
    BD="$REPO/build/release"
  else
    BD="$REPO/build/bench"
    [ -f "$BD/build.ninja" ] || [ "$BUILD" = 0 ] ||
      cmake -S "$REPO" -B "$BD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFP_BUILD_TESTS=OFF >/dev/null
  fi
  if [ "$BUILD" = 1 ]; then
    say "building flashpoint (${BD#"$REPO/"})"
    mkdir -p "$WORK"
    if ! cmake --build "$BD" --target flashpoint fp_window_mem_bench -j2 >"$WORK/build.log" 2>&1; then
      tail -30 "$WORK/build.log" >&2
      die "the flashpoint build failed (log: ${WORK#"$REPO/"}/build.log; --fp PATH or --no-build uses a binary as it is)"
    fi
  fi
  FP="$BD/cmd/flashpoint"
  MEMBENCH="$BD/bench/fp_window_mem_bench"
fi
[ -x "$FP" ] || die "no flashpoint binary at $FP"
FP=$(cd "$(dirname "$FP")" && pwd)/$(basename "$FP")

# flashpoint replay RULES DB INPUT TIMEFILE LOG [--config FILE]: one timed run into a fresh database
fp_replay() {
  rm -f "$2" "$2-wal" "$2-shm" "$2-journal"
  if ! /usr/bin/time -v -o "$4" "$FP" replay --rules "$1" --db "$2" "${@:6}" "$3" 2>"$5"; then
    cat "$5" >&2
    die "flashpoint replay failed (rules $1, input $3)"
  fi
}
# flashpoint alerts -> benchmark alert lines
fp_lines() {
  "$FP" alerts --db "$1" --format json | python3 "$HERE/alerts_to_lines.py" --out "$2"
}

EMPTY="$WORK/empty.toml"
mkdir -p "$WORK"
cat >"$EMPTY" <<'EOF'
# One rule that matches no event: replay time = JSON parsing + dedup + dispatch.
[[rule]]
id = "parse-only"
title = "matches nothing"
when = 'kind == "none"'
EOF

status=0

# ---- edge test ----------------------------------------------------------
EDGE_RESULT="not run"
run_edge() {
  local d="$WORK/edge"
  mkdir -p "$d"
  say "edge test: fixtures/edge.jsonl + edge_rules.json"
  python3 "$HERE/to_toml.py" "$PB/fixtures/edge_rules.json" --out "$d/edge_rules.toml"
  fp_replay "$d/edge_rules.toml" "$d/edge.db" "$PB/fixtures/edge.jsonl" "$d/time.txt" "$d/replay.log"
  fp_lines "$d/edge.db" "$d/flashpoint"
  if bash "$PB/test_edge.sh" "$d/flashpoint" | tee "$d/result.txt"; then
    EDGE_RESULT="passed ($(tail -1 "$d/result.txt"))"
  else
    EDGE_RESULT="FAILED ($(tail -1 "$d/result.txt"))"
    status=1
  fi
}
if [ "$EDGE_ONLY" = 1 ]; then
  run_edge
  echo "edge test: $EDGE_RESULT"
  exit $status
fi

# ---- peers --------------------------------------------------------------
if [ "$PEERS" = default ]; then
  if command -v sec >/dev/null; then PEERS="sec"; else
    PEERS=""
    echo "run.sh: SEC is not installed; its README figure is shown instead (--peers sec installs it)"
  fi
fi
for p in $PEERS; do
  case "$p" in
    sec) command -v sec >/dev/null || { say "installing SEC"; apt_install sec; } ;;
    jre) if ! command -v node >/dev/null || ! command -v npm >/dev/null ||
            [ ! -d "$PB/peers/jre/node_modules/json-rules-engine" ]; then
           say "installing json-rules-engine (setup.sh)"
           bash "$PB/setup.sh"
         fi ;;
    *) die "unknown peer $p (known: sec jre)" ;;
  esac
done

say "machine"
{
  echo "cpu: $(nproc) x $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "flashpoint: $("$FP" --version 2>&1 | head -1) ($FP)"
  command -v sec >/dev/null && echo "sec: $(sec --version 2>/dev/null | head -1)"
  command -v node >/dev/null && echo "node: $(node --version)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$WORK/machine.txt"

# ---- workload -----------------------------------------------------------
W="$PB/out/n${N}_s${SEED}_r${R}"
EXPECT_FILE="$PB/expected/n${N}_s${SEED}_r${R}.json"
if [ -n "$PEERS" ]; then
  say "peers: $PEERS ($PEER_RUNS run(s) each, via run_peers.sh; it also generates the workload)"
  bash "$PB/run_peers.sh" --n "$N" --seed "$SEED" --rules "$R" --runs "$PEER_RUNS" --peers "$PEERS" || {
    echo "run.sh: run_peers.sh reported a disagreement or failure" >&2; status=1; }
else
  say "workload: N=$N seed=$SEED R=$R -> ${W#"$REPO/"}"
  mkdir -p "$W"
  python3 "$PB/gen_events.py" --n "$N" --seed "$SEED" --format jsonl --out "$W/events.jsonl"
  python3 "$PB/gen_rules.py" --seed "$SEED" --count "$R" --format json --out "$W/rules.json"
  say "reference engine (oracle, not timed)"
  python3 "$PB/ref_engine.py" --rules "$W/rules.json" --input "$W/events.jsonl" --out "$W/alerts_ref.txt"
fi
[ -f "$W/events.jsonl" ] && [ -f "$W/alerts_ref.txt" ] || die "workload missing in $W"

python3 "$HERE/to_toml.py" "$W/rules.json" --out "$WORK/rules_full.toml"
python3 "$HERE/to_toml.py" "$W/rules.json" --stateless-only --out "$WORK/rules_stateless.toml"
"$FP" check "$WORK/rules_full.toml" >/dev/null || die "flashpoint check rejects $WORK/rules_full.toml"

# References: the oracle and each peer, whole and restricted to the stateless rules.
REFS_FULL=("ref=$W/alerts_ref.txt")
REFS_STATELESS=()
grep '^S' "$W/alerts_ref.txt" >"$WORK/ref_stateless.txt" || true
REFS_STATELESS+=("ref=$WORK/ref_stateless.txt")
for p in $PEERS; do
  if [ -f "$W/alerts_$p.txt" ]; then
    REFS_FULL+=("$p=$W/alerts_$p.txt")
    grep '^S' "$W/alerts_$p.txt" >"$WORK/${p}_stateless.txt" || true
    REFS_STATELESS+=("$p=$WORK/${p}_stateless.txt")
  fi
done
EXPECT=()
[ -f "$EXPECT_FILE" ] && EXPECT=(--expect "$EXPECT_FILE" --events "$W/events.jsonl")

RESULTS="$WORK/results.tsv"
rm -f "$RESULTS" "$WORK"/time_*.txt "$WORK"/alerts_fp_*.txt
mkdir -p "$WORK/db" "$WORK/log"

# ---- flashpoint ---------------------------------------------------------
run_fp() {  # config rules.toml rule-count [replay flags...]
  local config=$1 toml=$2 nrules=$3 i match
  local extra=("${@:4}")
  say "flashpoint $config: $RUNS run(s)"
  for i in $(seq 1 "$RUNS"); do
    local db="$WORK/db/$config.db" tf="$WORK/time_fp_${config}_$i.txt" al="$WORK/alerts_fp_${config}_$i.txt"
    fp_replay "$toml" "$db" "$W/events.jsonl" "$tf" "$WORK/log/replay_${config}_$i.log" "${extra[@]}"
    fp_lines "$db" "$al"
    match=yes
    case "$config" in
      parse-only*) [ ! -s "$al" ] || match=no ;;
      stateless*) python3 "$PB/check_alerts.py" "${REFS_STATELESS[@]}" "flashpoint=$al" \
                   >"$WORK/log/check_${config}_$i.txt" || match=no ;;
      full*) python3 "$PB/check_alerts.py" "${EXPECT[@]}" "${REFS_FULL[@]}" "flashpoint=$al" \
              >"$WORK/log/check_${config}_$i.txt" || match=no ;;
    esac
    if [ "$match" = no ]; then
      status=1
      echo "run.sh: flashpoint $config run $i: alerts differ from the reference" >&2
      [ -f "$WORK/log/check_${config}_$i.txt" ] && cat "$WORK/log/check_${config}_$i.txt" >&2
    fi
    python3 "$HERE/fp_report.py" record --tsv "$RESULTS" --engine flashpoint --config "$config" \
      --rules "$nrules" --events "$N" --time-file "$tf" --alerts "$al" --match "$match"
    rm -f "$db" "$db-wal" "$db-shm"
  done
  [ -f "$WORK/log/check_${config}_1.txt" ] && sed 's/^/    /' "$WORK/log/check_${config}_1.txt"
  return 0
}
run_fp parse-only "$EMPTY" 1
run_fp stateless "$WORK/rules_stateless.toml" "$R"
run_fp full "$WORK/rules_full.toml" $((R + 2))
# A second core for decoding (replay --decode-thread; docs/performance.md).
run_fp parse-only+decode-thread "$EMPTY" 1 --decode-thread
run_fp full+decode-thread "$WORK/rules_full.toml" $((R + 2)) --decode-thread

# Peer runs (timed by run_peers.sh), checked against the oracle and the expected file.
for p in $PEERS; do
  [ -f "$W/alerts_$p.txt" ] || continue
  match=yes
  python3 "$PB/check_alerts.py" "${EXPECT[@]}" "ref=$W/alerts_ref.txt" "$p=$W/alerts_$p.txt" \
    >"$WORK/log/check_$p.txt" || match=no
  for i in $(seq 1 "$PEER_RUNS"); do
    python3 "$HERE/fp_report.py" record --tsv "$RESULTS" --engine "$p" --config full \
      --rules $((R + 2)) --events "$N" --time-file "$W/time_${p}_$i.txt" --alerts "$W/alerts_$p.txt" \
      --match "$match" >/dev/null
  done
done

# ---- memory per live window entry ----------------------------------------
MEM_RESULT="not run" MEM_ONEKEY="" MEM_HEAP=""
run_mem() {
  local d="$WORK/mem"
  mkdir -p "$d"
  say "memory: $MEM_N exercise events, each with its own attrs.k (threshold by attrs.k, count 1000, 365d)"
  python3 - "$MEM_N" "$d/events.jsonl" <<'EOF'
import sys, time
n, path = int(sys.argv[1]), sys.argv[2]
t0 = 1704067200  # 2024-01-01T00:00:00Z; one event a second, all inside 365 days
with open(path, "w", encoding="ascii") as fh:
    for i in range(n):
        t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i))
        fh.write('{"id":"m%09d","time":"%s","kind":"exercise","actors":["USA"],"region":"arctic",'
                 '"source":"mem","attrs":{"k":"k%09d"}}\n' % (i + 1, t, i))
EOF
  # The engine bounds the keys of a rule (default 100,000; older keys are
  # evicted past it): lift the bound so every key stays live.
  cat >"$d/engine.toml" <<EOF
[engine]
max_keys_per_rule = $((MEM_N + 1))
EOF
  cat >"$d/keys.toml" <<EOF
[[rule]]
id = "mem-keys"
title = "one window per attrs.k; never fires"
when = 'kind == "exercise"'
[rule.threshold]
within = "365d"
by = ["attrs.k"]
count = 1000
EOF
  cat >"$d/onekey.toml" <<EOF
[[rule]]
id = "mem-onekey"
title = "one window holding every event; never fires"
when = 'kind == "exercise"'
[rule.threshold]
within = "365d"
count = $((MEM_N + 1))
EOF
  local v rules
  for v in base keys onekey; do
    rules="$d/$v.toml"
    [ "$v" = base ] && rules="$EMPTY"
    fp_replay "$rules" "$d/$v.db" "$d/events.jsonl" "$d/time_$v.txt" "$d/replay_$v.log" --config "$d/engine.toml"
    if [ "$v" != base ] && ! grep -q ' 0 alerts' "$d/replay_$v.log"; then
      echo "run.sh: the memory rule $v fired (or hit the key bound): not a figure per live entry" >&2
      cat "$d/replay_$v.log" >&2
      status=1
    fi
  done
  MEM_RESULT=$(python3 "$HERE/fp_report.py" mem --base "$d/time_base.txt" --loaded "$d/time_keys.txt" \
    --entries "$MEM_N" --label "distinct keys (one live entry per key)")
  MEM_ONEKEY=$(python3 "$HERE/fp_report.py" mem --base "$d/time_base.txt" --loaded "$d/time_onekey.txt" \
    --entries "$MEM_N" --label "one key (all entries in one window)")
  echo "  $MEM_RESULT"
  echo "  $MEM_ONEKEY"
  # The engine's own heap per entry (no SQLite, no saved state being written).
  if [ -x "${MEMBENCH:-}" ]; then
    MEM_HEAP=""
    for v in keys onekey; do
      if "$MEMBENCH" "$d/$v.toml" "$d/events.jsonl" >"$d/heap_$v.txt"; then
        MEM_HEAP+="$v: $(awk '{print $12}' "$d/heap_$v.txt") engine heap bytes per entry; "
      fi
    done
    echo "  $MEM_HEAP"
  fi
  rm -f "$d"/*.db "$d"/*.db-wal "$d"/*.db-shm
}
[ "$DO_MEM" = 1 ] && run_mem

# ---- edge test, profile -------------------------------------------------
[ "$DO_EDGE" = 1 ] && run_edge

if [ "$PROFILE" = 1 ]; then
  command -v valgrind >/dev/null || { say "installing valgrind"; apt_install valgrind; }
  d="$WORK/profile"
  mkdir -p "$d"
  say "profile: callgrind, first 20000 events, full rules"
  head -n 20000 "$W/events.jsonl" >"$d/events.jsonl"
  rm -f "$d/p.db" "$d/p.db-wal" "$d/p.db-shm" "$d"/callgrind.out*
  valgrind --tool=callgrind --callgrind-out-file="$d/callgrind.out" \
    "$FP" replay --rules "$WORK/rules_full.toml" --db "$d/p.db" "$d/events.jsonl" 2>"$d/valgrind.log"
  callgrind_annotate "$d/callgrind.out" >"$d/top_self.txt" 2>/dev/null || true
  callgrind_annotate --inclusive=yes "$d/callgrind.out" >"$d/top_inclusive.txt" 2>/dev/null || true
  sed -n '/PROGRAM TOTALS/,$p' "$d/top_self.txt" | sed -n '1,30p' | cut -c1-160
  echo "  (full listings: ${d#"$REPO/"}/top_self.txt, top_inclusive.txt)"
fi

# ---- table --------------------------------------------------------------
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine.txt"
echo
python3 "$HERE/fp_report.py" table --tsv "$RESULTS" --readme "$PB/README.md" --n "$N" --rules "$R" |
  tee "$WORK/table.txt"
python3 "$HERE/fp_report.py" table --tsv "$RESULTS" --readme "$PB/README.md" --n "$N" --rules "$R" \
  --markdown >"$WORK/table.md"
echo "memory per window entry: $MEM_RESULT"
[ -z "$MEM_ONEKEY" ] || echo "                         $MEM_ONEKEY"
[ -z "$MEM_HEAP" ] || echo "                         $MEM_HEAP"
echo "edge test: $EDGE_RESULT"
echo "(files: ${WORK#"$REPO/"}/table.md, machine.txt, results.tsv, log/)"
exit $status
