# timadmin — one entry point for building, running and testing every part.
#   make quickstart   build and run the quickstart against the embedded emulator
#   make test         every test suite: Rust (core, emulator, CLI), Python, C/C++, Kotlin, Swift,
#                     and the fleet (CLI and Python processes sharing one rate limit through Redis)
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: quickstart test test-rust lint test-python test-c test-kotlin test-swift test-fleet example-kotlin wheel bench bench-smoke bench-fleet doc

quickstart:
	@echo "== building the quickstart (a first build compiles ~300 crates: about 3-5 minutes on 2 cores)"
	$(CARGO) build -p timadmin-quickstart
	@echo "== running it against the embedded emulator"
	$(CARGO) run -q -p timadmin-quickstart

test: test-rust test-python
	TIMADMIN_RUST_TESTS_DONE=1 bash bindings-c/test.sh
	bash bindings-uniffi/test-kotlin.sh
	TIMADMIN_SKIP_GENERATE=1 bash bindings-uniffi/test-swift.sh
	bash tests/fleet/test.sh
	bash bench/run.sh --smoke

# One build of the workspace (debug profile, shared target/), then lint, tests and docs on it.
# uniffi-bindgen is left out here: built beside the UniFFI library it would pull its generator
# features into it; bindings-uniffi/generate.sh builds it on its own.
# The shared rate limit's tests start throwaway redis-servers: install the package first.
test-rust:
	bash tests/fleet/need-redis-server.sh
	$(CARGO) build --workspace --exclude uniffi-bindgen --all-targets
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace --exclude uniffi-bindgen
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p timadmin -p timadmin-emulator -p timadmin-uniffi --no-deps

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-python:
	bash bindings-python/test.sh

# The release abi3 manylinux wheel of the Python package, in dist/ (pip install needs no Rust).
wheel:
	bash bindings-python/wheel.sh

test-c:
	bash bindings-c/test.sh

# Kotlin/JVM: generates the bindings, runs the JUnit suite against the emulator and examples/kotlin.
test-kotlin:
	bash bindings-uniffi/test-kotlin.sh

# Swift: API and header checks everywhere; the XCTest suite where a Swift toolchain exists.
test-swift:
	bash bindings-uniffi/test-swift.sh

# The fleet end to end: 3 processes (CLI and Python, from .venv: run test-python first) share
# one budget through Redis, which is killed and restarted mid-run (about 25 s).
test-fleet:
	bash tests/fleet/test.sh

# The Kotlin quickstart against a local emulator (after `make test-kotlin` installed the library).
example-kotlin:
	bash bindings-uniffi/generate.sh
	cd bindings-uniffi/kotlin && mvn -B -ntp -q install -DskipTests
	cd examples/kotlin && mvn -B -ntp -q compile exec:java

# Every benchmark against its same-run baseline, and the summary table (docs/PERFORMANCE.md).
bench:
	bash bench/run.sh

# The same benches, seconds long and in the dev profile: proves they build and run (no figures).
bench-smoke:
	bash bench/run.sh --smoke

# N = 1, 2, 4 CLI processes sharing 200 calls/s through Redis (aggregate calls/s, worst one-second
# window), then the per-call cost of sharing (criterion). See bench/fleet.sh.
bench-fleet:
	bash bench/fleet.sh

doc:
	$(CARGO) doc -p timadmin -p timadmin-emulator --no-deps
