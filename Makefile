# duban — top-level entry points. `make run` and `make test` are the two commands of the README.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8080
DB         ?= data/duban.db
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = fuzz_jsonx fuzz_config fuzz_csv fuzz_xlsx fuzz_calendar fuzz_flow fuzz_http fuzz_attach
BENCH_BUILD  ?= build-bench
SCALE        ?= 1
SEED         ?= 1

.PHONY: all deps test-deps web build asan run test test-unit test-asan fuzz bench soak robust clean format

all: build

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps test

# The browser UI: rebuilt by Vite when a file under web/ changed since the last build; the
# stamp tells CMake to embed the new files.
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js \
           web/package-lock.json
web: deps web/dist/.stamp
web/dist/.stamp: $(WEB_SRC)
	cd web && npm run --silent build
	@touch $@

build: web
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

asan: web
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDUBAN_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# Serves http://$(LISTEN); the database and its audit key are created on first start.
run: build
	@mkdir -p $(dir $(DB))
	$(BUILD)/duban serve --listen $(LISTEN) --db $(DB)

# Every suite, in the normal build and again under ASan+UBSan; with PostgreSQL's server
# installed (install-deps test), the API, browser and durability suites run on it too.
test: test-deps build asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

# Each libFuzzer target for FUZZ_SECONDS (clang, ASan+UBSan; ASan's free-memory quarantine is
# kept to 64 MB so that it alone cannot reach the 256 MB RSS limit). New inputs collect in
# $(FUZZ_BUILD)/corpus/<target>, crashes in $(FUZZ_BUILD)/artifacts/; the committed seeds in
# tests/fuzz/corpus/<target> are read, never written.
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DDUBAN_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGETS)
	@mkdir -p $(FUZZ_BUILD)/artifacts
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=$${ASAN_OPTIONS:-quarantine_size_mb=64} \
	  $(FUZZ_BUILD)/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=256 -timeout=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# Durability: 50 rounds of kill -9 under concurrent writes (`make test` runs 5 of them).
ROUNDS ?= 50
robust: build
	DUBAN_BIN=$(CURDIR)/$(BUILD)/duban ROBUST_ROUNDS=$(ROUNDS) node --test tests/robust/robust.test.mjs

# Every benchmark beside its baseline (bench/run.sh): SCALE=0.1 for a quick run; the database
# of each (SEED, SCALE) is generated once under $(BENCH_BUILD)/data/ and reused. DB=pg: the
# same on PostgreSQL, in a cluster kept under $(BENCH_BUILD)/pg, beside PostgreSQL's own figures.
bench: deps
	@scripts/install-deps bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS) --target duban bench_gen bench_hello bench_sql
	@DB=$(if $(filter pg,$(DB)),pg,sqlite) bench/run.sh $(BENCH_BUILD) $(SCALE) $(SEED)

# Ten minutes of mixed load at 80% of the measured maximum (bench/soak.sh).
soak: deps
	@scripts/install-deps bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS) --target duban bench_gen
	@DB=sqlite bench/soak.sh $(BENCH_BUILD) $(SCALE) $(SEED)

format:
	clang-format -i $$(git ls-files 'src/*.[ch]' 'tests/*.[ch]')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(BENCH_BUILD) web/dist
