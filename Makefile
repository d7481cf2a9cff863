# Two entry points for a newcomer: `make run` (the REPL) and `make test` (every test).
# Both install missing Debian packages first, then configure and build.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps configure build run test check-asan bench format clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/canvasfx repl

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The unit tests and the public suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (a clang build in $(ASAN_BUILD_DIR)), then each
# fuzzer for FUZZ_SECONDS. README "Sanitizers and fuzzing".
ASAN_BUILD_DIR ?= build-asan
FUZZ_SECONDS ?= 60
check-asan:
	@scripts/install-deps.sh asan
	CC=clang CXX=clang++ cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCANVASFX_SANITIZE=ON -DCANVASFX_FUZZ=ON $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	cd $(ASAN_BUILD_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)
	scripts/run_fuzzers.sh $(ASAN_BUILD_DIR) $(FUZZ_SECONDS)

bench: build
	$(BUILD_DIR)/canvasfx_bench
	$(BUILD_DIR)/canvasfx_host_bench
	$(BUILD_DIR)/canvasfx_player_bench
	$(BUILD_DIR)/canvasfx_play_bench

format:
	find apps bench capi examples host interpreter stdlib tests web -name "*.cpp" -o -name "*.h" -o -name "*.c" | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
