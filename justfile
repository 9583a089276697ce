# Upstate's recipes. `just run` serves on http://127.0.0.1:8080; `just test` runs everything.
# Each recipe installs what it needs and the machine lacks (scripts/setup.sh).

set shell := ["bash", "-euo", "pipefail", "-c"]

# Outside the clone, so repeated runs (and CI's fresh clones) build incrementally.
export CARGO_TARGET_DIR := env_var_or_default("CARGO_TARGET_DIR", env_var("HOME") / ".cache/upstate/target")

# List the recipes.
default:
    @just --list

# Build the web app and the release binary, then serve on http://127.0.0.1:8080 (SQLite in ./data).
run: build
    "$CARGO_TARGET_DIR/release/upstate" serve

# The self-contained release binary (the web app embedded), at $CARGO_TARGET_DIR/release/upstate.
build: build-web
    cargo build --release -p upstate-api --bin upstate
    @echo "built $CARGO_TARGET_DIR/release/upstate"

# The web app into web/dist (wasm32, wasm-bindgen, wasm-opt, hashed names, precompressed).
build-web:
    scripts/setup.sh build
    scripts/build-web.sh

# Everything: formatting, lints, unit and integration tests on SQLite and PostgreSQL, browser tests.
test: build-web
    scripts/setup.sh test
    cargo fmt --all --check
    cargo clippy --workspace --exclude upstate-web --all-targets -- -D warnings
    cargo clippy -p upstate-web --target wasm32-unknown-unknown -- -D warnings
    cargo clippy -p upstate-public-page --features hydrate --target wasm32-unknown-unknown -- -D warnings
    cargo check -p upstate-shared --target wasm32-unknown-unknown
    cargo build -p upstate-api --bin upstate
    # The static binary, unoptimized: e2e/tests/deploy.rs runs it in an empty root.
    scripts/dist.sh dev
    UPSTATE_TEST_POSTGRES_URL="$(scripts/ensure-postgres.sh)" just _tests
    # The short API conformance fuzzing run (about 2,000 cases; `just fuzz` runs over 5,000).
    scripts/fuzz.sh "$CARGO_TARGET_DIR/debug/upstate" 1

# nextest runs each test in its own process and names the test and the signal when one is killed.
_tests:
    cargo nextest run --workspace --exclude upstate-web --no-fail-fast
    # The web app's pure parts (form drafts, the chart's geometry), natively.
    cargo test -p upstate-web --lib

# The static Linux binary (musl, the web app inside) at dist/upstate: see docs/deploy.md.
dist: build-web
    scripts/dist.sh release

# The container image localhost/upstate:latest: the static binary on an empty base (Dockerfile).
image: dist
    # The docker format: OCI images carry no HEALTHCHECK.
    podman build --format docker --tag localhost/upstate:latest .

# Measure the hot paths on this machine (loopback only) and write docs/benchmarks.md.
bench: build
    scripts/setup.sh bench
    # The fan-out opens 10,000 WebSockets from one address: above the per-address cap.
    UPSTATE_WS_MAX_PER_ADDRESS=1000000 UPSTATE_TEST_POSTGRES_URL="$(scripts/ensure-postgres.sh)" \
        cargo run --release -p upstate-bench -- --binary "$CARGO_TARGET_DIR/release/upstate"

# API conformance fuzzing: schemathesis, every check and phase, over 5,000 cases against a release
# server with a seeded org (loopback only); fails on any finding (docs/reliability.md).
fuzz: build
    scripts/setup.sh fuzz
    scripts/fuzz.sh "$CARGO_TARGET_DIR/release/upstate" 100

# Exits with busy PostgreSQL connections: `runs` processes, `sigterm` serve stops (docs/reliability.md).
stress-exit runs="3000" sigterm="100":
    scripts/setup.sh test
    cargo build -p upstate-store --bin exit-stress
    cargo build -p upstate-api --bin upstate
    url="$(scripts/ensure-postgres.sh)"; \
        "$CARGO_TARGET_DIR/debug/exit-stress" --url "$url" --runs {{runs}} --parallel 8 --threads 8; \
        UPSTATE_TEST_POSTGRES_URL="$url" UPSTATE_SIGTERM_TRIES={{sigterm}} \
        cargo nextest run -p upstate-api --test server serve_on_postgres_exits_0_on_sigterm_under_load_every_time

# The API and store suites `times` times over; stops at a failed test or one killed by a signal.
stress-suites times="30":
    scripts/setup.sh test
    url="$(scripts/ensure-postgres.sh)"; \
    for run in $(seq 1 {{times}}); do \
        echo "stress-suites: run $run of {{times}}"; \
        UPSTATE_TEST_POSTGRES_URL="$url" cargo nextest run -p upstate-api -p upstate-store --no-fail-fast \
            --status-level fail --final-status-level fail || { echo "stress-suites: run $run failed"; exit 1; }; \
    done; \
    echo "stress-suites: {{times}} runs, no failed test and no test process killed by a signal"

# Regenerate the committed OpenAPI document from the code.
openapi:
    scripts/setup.sh build
    cargo run --quiet -p upstate-api --bin upstate -- openapi > openapi/openapi.json
    @echo "wrote openapi/openapi.json"

# Format the code.
fmt:
    cargo fmt --all
