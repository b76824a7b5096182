# parqview build. `make` builds build/parqview; `make run` and `make test` are
# the two set-up commands (they install what is missing first).
#
# Layout: every src/<layer>/*.c except src/cli goes into build/libparqview.a;
# src/cli/*.c link it into build/parqview. tests/unit/test_*.c become one
# cmocka program each; fuzz/fuzz_*.c are libFuzzer targets that `make test`
# also builds with a replay driver to run their stored corpora.

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2 -g
SAN     ?=
WARN    := -Wall -Wextra -Werror -Wshadow -Wvla -Wno-unused-parameter \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS  ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DPV_HAVE_BROTLIENC -Isrc $(WARN) $(OPT) $(SAN) -MMD -MP $(CFLAGS)
# libmicrohttpd, libedit, libsnappy, libduckdb, PCRE2 and libunistring are
# not linked: they are opened on first use (src/base/dynlib.h; README
# "Libraries loaded on first use"), so that a command maps only what it
# needs.
LDLIBS  := -lyaml -ljansson -lxxhash -lz -lzstd -llz4 -lbrotlienc -lbrotlidec -lpthread -ldl -lm
TESTDATA ?= $(abspath ../shared/testdata)
export PARQVIEW_TESTDATA ?= $(TESTDATA)

LIB_SRC  := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
TOOL_SRC := $(sort $(wildcard tools/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/gen/assets.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TESTS    := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
REPLAYS  := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/replay/%)
TOOLS    := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
LIB      := $(BUILD)/libparqview.a
BIN      := $(BUILD)/parqview

.PHONY: all bootstrap run test check asan fuzz soak bench demo lint clean compdb web web-deps

all: $(BIN) $(TOOLS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(OPT) $(SAN) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) -lcmocka $(LDLIBS)

$(BUILD)/replay/%: fuzz/%.c fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< fuzz/replay.c $(LIB) $(LDLIBS)

$(BUILD)/tools/%: tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# The web front end (web/): npm packages pinned by web/package-lock.json,
# installed by `npm ci` when missing or when the lock file changed; esbuild
# bundles web/src into web/dist (git-ignored), and web/embed.mjs turns
# web/dist into build/gen/assets.c (src/server/assets.h), linked into
# libparqview.a so the binary serves the UI without touching the disk.
WEB_STAMP := web/node_modules/.pv-installed
WEB_SRC   := $(sort $(wildcard web/src/*)) web/build.mjs web/tsconfig.json

web-deps: $(WEB_STAMP)
$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web: web/dist/.built
web/dist/.built: $(WEB_SRC) $(WEB_STAMP)
	node web/build.mjs
	@touch $@

$(BUILD)/gen/assets.c: web/dist/.built web/embed.mjs
	node web/embed.mjs web/dist $@

$(BUILD)/gen/assets.o: $(BUILD)/gen/assets.c src/server/assets.h
	$(CC) $(ALL_CFLAGS) -c $< -o $@

bootstrap:
	@scripts/bootstrap

# The set-up commands install first, then build (a sub-make, so the build
# sees what the bootstrap installed).
# `make run` ends by serving the demo in the web UI until Ctrl-C;
# SERVE_ARGS adds options, e.g. make run SERVE_ARGS='--port 8080 --no-open'.
SERVE_ARGS ?=
run: bootstrap
	@$(MAKE) --no-print-directory all
	@scripts/demo $(BIN)
	@echo "Serving demo/ in the web UI; open the URL below (Ctrl-C stops):"
	@exec $(BIN) serve --as docs=demo/docs --as embeddings=demo/embeddings --as eval=demo/eval $(SERVE_ARGS)

test: bootstrap
	@$(MAKE) --no-print-directory check

# check: build everything and run the whole suite without bootstrapping.
check: all $(TESTS) $(REPLAYS)
	@scripts/lint
	@PARQVIEW_SAN="$(SAN)" tests/run $(BUILD)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: bootstrap
	@$(MAKE) --no-print-directory check BUILD=build/asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

# libFuzzer targets (clang), each run for FUZZ_SECONDS; crashes land in
# fuzz/findings/ and should be copied into fuzz/corpus/<target>/ once fixed.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@scripts/fuzz $(FUZZ_SECONDS)

soak: bootstrap
	@$(MAKE) --no-print-directory all
	@PARQVIEW_SOAK=1 tests/run $(BUILD)

bench: bootstrap
	@$(MAKE) --no-print-directory all
	@bench/run $(BUILD)

demo: all
	@scripts/demo $(BIN) --no-summary

lint:
	@scripts/lint

compdb:
	bear -- $(MAKE) -B all $(TESTS)

clean:
	rm -rf $(BUILD) web/dist
