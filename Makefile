# timadmin — one entry point for building, running and testing every part.
#   make quickstart   build and run the quickstart against the embedded emulator
#   make test         every test suite: Rust (core, emulator, CLI), Python, C/C++, Kotlin, Swift,
#                     the fleet (CLI and Python processes sharing one rate limit through Redis),
#                     the doocs Java SDK against `timadmin emulator --tls`,
#                     then the secret-leak sweep, then the release artifacts (make test-dist)
#   make dist         every release artifact in dist/ (wheel, sdist, C tarball, Kotlin jar, crates)
#   make test-dist    make dist, then each artifact tested from a directory that holds only it
#   make soak         the long fault soak and the client's peak RSS against a 1.5 GB answer
#   make memcheck     RSS over 100,000 calls from Python and from C
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: quickstart test test-rust lint test-python test-c test-kotlin test-swift test-fleet example-kotlin wheel \
	bench bench-smoke bench-fleet doc leak-sweep soak memcheck dist test-dist mobile-size

# Rounds of the long soak (each pages both 20,000-member groups once).
SOAK_ROUNDS ?= 10

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
	bash tests/doocs/test.sh
	bash bench/run.sh --smoke
	bash tests/leak-sweep.sh
	$(MAKE) test-dist

# Every release artifact, with SHA256SUMS, in dist/ (release builds; see packaging/dist.sh).
dist:
	bash packaging/dist.sh

# The artifacts of `make dist`, each installed and run from a temporary directory that holds only
# it: wheel, sdist, C tarball (pkg-config, CMake; static, shared), Kotlin jar (no
# jna.library.path), crates; every host's version; the mobile scripts' missing-tool message.
test-dist: dist
	bash tests/dist/test.sh

# The stripped size of the UniFFI library built with the `mobile` profile and without `redis`,
# beside the release build with `redis` (what the Kotlin jar ships).
mobile-size:
	bash packaging/mobile-size.sh

# Every suite's hostile and fault tests again with a canary key; fails if the key or any UserSig
# shows up in anything printed (reuses what `make test` built).
leak-sweep:
	bash tests/leak-sweep.sh

# The long fault soak (both limits at 200 calls/s), then the peak RSS of a client answered with
# 1.5 GB (chunked, Content-Length, endless).
soak:
	TIMADMIN_SOAK_ROUNDS=$(SOAK_ROUNDS) TIMADMIN_SOAK_RATE_LIMIT=1 $(CARGO) test -p timadmin --test soak -- --nocapture
	$(CARGO) build -q -p timadmin --example huge_answer
	if [ -x /usr/bin/time ]; then /usr/bin/time -f "huge_answer: maximum resident set size %M KiB" target/debug/examples/huge_answer; \
	else target/debug/examples/huge_answer; fi

# RSS over 100,000 calls from Python (needs `make test-python` first) and from C.
memcheck:
	bash tests/memcheck.sh

# One build of the workspace (debug profile, shared target/), then lint, tests and docs on it.
# uniffi-bindgen is left out here: built beside the UniFFI library it would pull its generator
# features into it; bindings-uniffi/generate.sh builds it on its own.
# The shared rate limit's tests start throwaway redis-servers: install the package first.
test-rust:
	$(CARGO) fmt --all -- --check
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
