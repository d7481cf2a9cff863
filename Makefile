# Two entry points for a newcomer: `make run` (the REPL) and `make test` (every test).
# Both install missing Debian packages first, then configure and build.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps configure build run test bench format clean

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

bench: build
	$(BUILD_DIR)/canvasfx_bench
	$(BUILD_DIR)/canvasfx_host_bench
	$(BUILD_DIR)/canvasfx_player_bench
	$(BUILD_DIR)/canvasfx_play_bench

format:
	find apps bench capi examples host interpreter stdlib tests web -name "*.cpp" -o -name "*.h" -o -name "*.c" | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
