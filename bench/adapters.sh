#!/usr/bin/env bash
# Adapter throughput: decodes the real GDELT sample (examples/gdelt/) and,
# when ../shared/data/real/ is present, the real SIPRI extract, each scaled
# up by repetition, through `flashpoint replay --dry-run` (decode and render
# only: no rules, no database), and prints MB/s and events/s.
#   bench/adapters.sh [--fp PATH] [--copies N]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
FP="$ROOT/build/release/cmd/flashpoint"
COPIES=300
while [ $# -gt 0 ]; do
  case "$1" in
    --fp) FP="$2"; shift 2 ;;
    --copies) COPIES="$2"; shift 2 ;;
    *) echo "usage: $0 [--fp PATH] [--copies N]" >&2; exit 2 ;;
  esac
done
[ -x "$FP" ] || { echo "adapters: $FP not built (make build)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() {  # name format file
  local name=$1 fmt=$2 file=$3 bytes start end events
  bytes=$(stat -c %s "$file")
  start=$(date +%s.%N)
  events=$("$FP" replay --dry-run --format "$fmt" "$file" 2>/dev/null | wc -l)
  end=$(date +%s.%N)
  python3 - "$name" "$bytes" "$events" "$start" "$end" <<'PY'
import sys
name, b, n, s, e = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
t = e - s
print(f"| {name} | {b/1e6:.1f} | {n} | {t:.2f} | {b/1e6/t:.0f} | {n/t:,.0f} |")
PY
}

echo "| input | MB | events | seconds | MB/s | events/s |"
echo "|---|---:|---:|---:|---:|---:|"
G="$ROOT/examples/gdelt/20191024143000.export.CSV"
for _ in $(seq "$COPIES"); do cat "$G"; done > "$WORK/gdelt.CSV"
measure "GDELT 2.0 x$COPIES" gdelt "$WORK/gdelt.CSV"
S="$ROOT/../shared/data/real/sipri/sipri_trade-register_2025-03-13_focus-states_extract.csv"
if [ -f "$S" ]; then
  # Keep the preamble and header once; repeat the records.
  hdr=$(grep -n '^Recipient,Supplier' "$S" | head -1 | cut -d: -f1)
  { head -n "$hdr" "$S"; for _ in $(seq 20); do tail -n +"$((hdr + 1))" "$S"; done; } > "$WORK/sipri.csv"
  measure "SIPRI register x20" sipri "$WORK/sipri.csv"
else
  echo "adapters: ../shared/data/real not found: SIPRI skipped" >&2
fi
