#!/usr/bin/env bash
# Replays the bundled example feed through the shipped rule pack and shows
# what fired.
#   usage: scripts/demo.sh path/to/flashpoint
# Writes var/demo.db (recreated on every run) and, when GDELT sample files
# are present in examples/gdelt/, var/demo-gdelt.db.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 path/to/flashpoint" >&2
  exit 2
fi
FP=$1
case "$FP" in
  /*) ;;
  *) FP="$PWD/$FP" ;;
esac
if [ ! -x "$FP" ]; then
  echo "demo: $FP is not an executable flashpoint binary" >&2
  exit 2
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p var

# A replay resumes from the engine state kept in its database, so start clean.
fresh_db() {
  rm -f "$1" "$1-wal" "$1-shm" "$1-journal"
}

fresh_db var/demo.db
"$FP" replay --rules rules --db var/demo.db examples/demo.jsonl
echo
"$FP" alerts --db var/demo.db

echo
"$FP" tension --db var/demo.db || echo "demo: the tension summary failed; continuing"

# Why the newest critical alert fired.
newest=$("$FP" alerts --db var/demo.db --severity critical --limit 1 --format csv | sed -n '2s/,.*//p')
if [ -n "$newest" ]; then
  echo
  echo "\$ flashpoint show --db var/demo.db $newest"
  "$FP" show --db var/demo.db "$newest" || echo "demo: show failed; continuing"
fi

# GDELT sample files, when another part of the tree has added them.
if [ -d examples/gdelt ]; then
  gdelt_files=()
  while IFS= read -r -d '' f; do
    gdelt_files+=("$f")
  done < <(find examples/gdelt -maxdepth 1 -type f \( -iname '*.csv' -o -iname '*.tsv' -o -iname '*.txt.gz' -o -iname '*.zip' \) ! -iname 'CAMEO*' -print0 | sort -z)
  if [ ${#gdelt_files[@]} -gt 0 ]; then
    echo
    fresh_db var/demo-gdelt.db
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    if "$FP" replay --rules rules --db var/demo-gdelt.db --format gdelt "${gdelt_files[@]}" >/dev/null 2>"$log"; then
      summary=$(grep -E '^replay:' "$log" | tail -n 1 || true)
      alerts=$("$FP" alerts --db var/demo-gdelt.db | tail -n 1)
      echo "GDELT sample (${#gdelt_files[@]} file(s)): ${summary#replay: }; ${alerts} in var/demo-gdelt.db"
    else
      echo "GDELT sample: not replayed ($(tail -n 1 "$log")); continuing"
    fi
  fi
fi

echo
echo "Next: $FP serve --db var/demo.db   (the web page on http://127.0.0.1:7480/)"
echo "      $FP ack --db var/demo.db ID --note TEXT;  $FP export --db var/demo.db --format ndjson"
