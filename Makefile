# flashpoint: the two commands of the quick start, and the rest.
#   make demo   install what is missing, build, replay the bundled example
#               feed into var/demo.db and show the alerts
#   make test   install what is missing, build, run every test
.PHONY: all deps build demo test test-asan test-tsan check-rules bench bench-scaling fuzz clean format tidy

JOBS ?= $(shell nproc)
FP := build/release/cmd/flashpoint

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(FP)

test: build
	@ctest --preset release -j $(JOBS)
	@$(FP) check rules
	@$(FP) test tests/rules

test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

# The daemon integration tests ([daemon]) under ThreadSanitizer. Reports go
# to build/tsan/reports/ (the daemons' own stderr is a temporary log); any
# report fails the target.
test-tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS)
	@rm -rf build/tsan/reports && mkdir -p build/tsan/reports
	@rc=0; ctest --preset tsan -j $(JOBS) || rc=$$?; \
	if ls build/tsan/reports/tsan.* >/dev/null 2>&1; then \
	  echo "ThreadSanitizer reports (build/tsan/reports/):"; cat build/tsan/reports/tsan.*; exit 1; fi; \
	echo "ThreadSanitizer: no reports"; exit $$rc

bench: build
	@bash bench/run.sh

# Throughput vs rule count, memory vs live window keys, reload time; plots
# into docs/perf/ (docs/performance.md).
bench-scaling: build
	@python3 bench/scaling.py --svg-dir docs/perf

# Every libFuzzer target for FUZZ_SECONDS each, one after another, on a
# scratch corpus in build/fuzz/corpus/ seeded from tests/fuzz/corpus/
# (needs clang; docs/building.md).
# FUZZ_TIMEOUT is wall-clock seconds per input: generous, because a fuzzer
# under `nice` on a busy machine can be starved for seconds.
FUZZ_SECONDS ?= 600
FUZZ_TIMEOUT ?= 30
FUZZ_TARGETS ?= expr rules jsonl gdelt sipri acled http state
fuzz:
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t build/fuzz/artifacts/$$t; \
	  cp -n tests/fuzz/corpus/$$t/* build/fuzz/corpus/$$t/; \
	  echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  build/fuzz/tests/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/$$t/ build/fuzz/corpus/$$t \
	    2>build/fuzz/fuzz_$$t.log || { tail -40 build/fuzz/fuzz_$$t.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units' build/fuzz/fuzz_$$t.log; \
	done

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

tidy: build
	@clang-tidy -p build/release --quiet --extra-arg=-Wno-unknown-warning-option $$(git ls-files 'engine/*.cpp' 'adapters/*.cpp' 'store/*.cpp' 'cmd/*.cpp')

clean:
	@rm -rf build var

# The daemon in the foreground with the shipped config (Ctrl-C stops it).
.PHONY: run bench-live load
run: build
	@mkdir -p var/spool/inbox var/spool/gdelt
	@echo "flashpoint run: feed it with, for example:"
	@echo "  nc -q0 127.0.0.1 7400 < examples/demo.jsonl"
	@echo "  curl --data-binary @examples/demo.jsonl http://127.0.0.1:7480/events"
	@echo "  cp examples/demo.jsonl var/spool/inbox/    (or append to var/spool/wire.jsonl)"
	@echo "  curl 'http://127.0.0.1:7480/alerts?limit=5'   curl http://127.0.0.1:7480/metrics"
	@$(FP) run --config etc/flashpoint.toml

# Live ingest over TCP and event-to-alert latency (docs/operations.md).
bench-live: build
	@python3 bench/live/live_bench.py --binary $(FP) --json bench/live/results.json

# The loopback load test (docs/operations.md, "Load test"): 8 TCP clients at
# LOAD_RATE events/s each and HTTP posts for LOAD_SECONDS, then exact counts
# (metrics, database and a replay agree). Not part of `make test`.
LOAD_SECONDS ?= 60
LOAD_RATE ?= 4000
load: build
	@FP_LOAD_SECONDS=$(LOAD_SECONDS) FP_LOAD_RATE=$(LOAD_RATE) build/release/tests/fp_tests "[load]"
