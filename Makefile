# flashpoint: the two commands of the quick start, and the rest.
#   make demo   install what is missing, build, replay the bundled example
#               feed into var/demo.db and show the alerts
#   make test   install what is missing, build, run every test
.PHONY: all deps build demo test test-asan check-rules bench clean format tidy

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

bench: build
	@bash bench/run.sh

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

tidy: build
	@clang-tidy -p build/release --quiet $$(git ls-files 'engine/*.cpp' 'adapters/*.cpp' 'store/*.cpp' 'cmd/*.cpp')

clean:
	@rm -rf build var

# The daemon in the foreground with the shipped config (Ctrl-C stops it).
.PHONY: run bench-live
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
