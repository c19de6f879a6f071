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
