# xxgk: `make demo` serves the demo portal page, `make test` runs every test,
# `make bench` measures size and speed into docs/benchmarks.md.
# Each target installs what it needs first and skips what is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Trunk must use the tools installed here and never fetch its own.
export TRUNK_OFFLINE := true
export TRUNK_SKIP_VERSION_CHECK := true

# A panic's location in the widget's modules names a crate's source file:
# named from the registry's folder on, not from this machine's home.
CARGO_HOME ?= $(HOME)/.cargo
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := --remap-path-prefix=$(CARGO_HOME)/registry/src/=

TRUNK_VERSION := 0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
SERVER := target/native/xxgk-server
CATGEN := target/native/xxgk-catgen
DEMO_ADDR ?= 127.0.0.1:8080
# The staff console of the demo, and its administrator (a new password is
# printed at each start).
DEMO_STAFF_ADDR ?= 127.0.0.1:8081
DEMO_ADMIN := 演示管理员

.PHONY: help tools tools-rust tools-node tools-browser tools-nginx tools-smtp tools-postgres build demo test test-native test-words test-schema test-licences test-e2e payload lint bench clean

help:
	@echo "make demo   build and serve the demo at http://$(DEMO_ADDR)/, its staff console at http://$(DEMO_STAFF_ADDR)/"
	@echo "make test   run every test (native, payload budget, browser end-to-end)"
	@echo "make bench  measure payload, load time, memory, search and the feedback receiver into docs/benchmarks.md"

## Tools ---------------------------------------------------------------

tools: tools-rust tools-node tools-browser tools-nginx tools-smtp tools-postgres

tools-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" \
	  || cargo install trunk --version $(TRUNK_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# binaryen (wasm-opt), terser and Playwright, pinned by package-lock.json.
tools-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Debian's Chromium for the browser tests; nothing downloads a browser.
tools-browser:
	@{ test -x /usr/bin/chromium && dpkg -s fonts-noto-cjk >/dev/null 2>&1; } || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium chromium-driver fonts-noto-cjk; }

# Debian's nginx, curl and openssl: the receiver is tested behind a real
# TLS reverse proxy configured as the README shows.
tools-nginx:
	@{ test -x /usr/sbin/nginx && command -v curl >/dev/null && command -v openssl >/dev/null; } || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y nginx curl openssl; }

# Debian's PostgreSQL: the tests make and start clusters of their own in
# temporary folders (crates/pgtest), never the system's service.
tools-postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y postgresql; }

# Debian's aiosmtpd, run by Debian's Python: the mail server the staff
# alerts are tested against (crates/server/tests/alerts.rs).
tools-smtp:
	@/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y python3-aiosmtpd; }

## Build ---------------------------------------------------------------

build: tools-rust tools-node
	trunk build --release
	cargo build --profile native --locked -p xxgk-server -p xxgk-catgen

# The demo: the portal page (dist/index.html) shows the Dongting catalogue
# published as a bundle in its side column and as a file in its main
# column; examples/county.html a generated county catalogue of
# DEMO_COUNTY_ITEMS entries, published as a bundle. The township's
# disclosure requests of 2016 go into target/demo/requests-2016.db, and
# its annual report (made from them) into target/demo/site/.
DEMO_COUNTY_ITEMS ?= 100000
demo: build
	mkdir -p target/demo/site/bundles
	sh examples/requests-2016/build.sh $(SERVER) target/demo/requests-2016.db
	$(SERVER) report --year 2016 --format html --out target/demo/site/annual-report-2016.html \
	  --db target/demo/requests-2016.db --catalogue examples/dongting/catalogue.json \
	  --figures examples/requests-2016/figures.txt
	$(SERVER) catalogue publish examples/dongting/catalogue.json --out target/demo/site/bundles/dongting
	[ -f target/demo/county-$(DEMO_COUNTY_ITEMS).json ] \
	  || $(CATGEN) --items $(DEMO_COUNTY_ITEMS) --seed 1 --out target/demo/county-$(DEMO_COUNTY_ITEMS).json
	$(SERVER) catalogue publish target/demo/county-$(DEMO_COUNTY_ITEMS).json --out target/demo/site/bundles/county
	@echo "demo: http://$(DEMO_ADDR)/ (a township), http://$(DEMO_ADDR)/examples/county.html (a county, $(DEMO_COUNTY_ITEMS) entries)"
	@echo "      and http://$(DEMO_ADDR)/annual-report-2016.html (the township's annual report, from target/demo/requests-2016.db)"
	@echo "      and http://$(DEMO_STAFF_ADDR)/ (the staff console: log in as $(DEMO_ADMIN) with the password below)"
	@$(SERVER) staff add $(DEMO_ADMIN) --role admin,intake,reviewer --db target/demo/feedback.db 2>/dev/null \
	  || $(SERVER) staff passwd $(DEMO_ADMIN) --as $(DEMO_ADMIN) --db target/demo/feedback.db
	$(SERVER) serve --static dist --static target/demo/site --listen $(DEMO_ADDR) --db target/demo/feedback.db \
	  --staff-listen $(DEMO_STAFF_ADDR)

## Test ----------------------------------------------------------------

test: lint test-native test-words test-schema test-licences payload test-e2e

lint: tools-rust
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --exclude xxgk --exclude xxgk-form --all-targets -- -D warnings
	cargo clippy --locked -p xxgk -p xxgk-form --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --locked -p xxgk --features bundle --target wasm32-unknown-unknown -- -D warnings

# The server's tests run twice, once per engine: on SQLite files, then
# (XXGK_TEST_ENGINE=postgres) each test's store a new database of the
# PostgreSQL cluster the tests start themselves (crates/pgtest).
test-native: tools-nginx tools-smtp tools-postgres
	cargo test --locked --workspace --exclude xxgk --exclude xxgk-form
	cargo test --locked -p xxgk-form
	XXGK_TEST_ENGINE=postgres cargo test --locked -p xxgk-server

# The message tables of the widget, its loader and the feedback panels:
# each language complete and in its own script.
test-words: tools-node
	node --test tests/form-words.test.mjs

# The JSON Schema agrees with the parser on shipped and generated files.
test-schema: build
	node --test tests/schema.test.mjs

# dist/ carries the notice of the third-party data and crates in the modules.
test-licences: build
	node --test tests/licences.test.mjs

# The brotli size of what a portal downloads, against docs/payload-budget.json.
payload: build
	node tests/payload.mjs --check

test-e2e: build tools-browser tools-nginx tools-postgres
	playwright test --config tests/e2e/playwright.config.mjs

## Bench ---------------------------------------------------------------

bench: build tools-browser tools-nginx tools-postgres
	node --experimental-websocket --no-warnings bench/run.mjs
	node --experimental-websocket --no-warnings bench/search/run.mjs
	node bench/feedback/run.mjs
	node bench/scale/run.mjs
	node --experimental-websocket --no-warnings bench/mobile/run.mjs
	node bench/publish.mjs

clean:
	rm -rf dist target/bench
