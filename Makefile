# timadmin — one entry point for building, running and testing every part.
#   make quickstart   build and run the quickstart against the embedded emulator
#   make test         every test suite: Rust (core, emulator, CLI), Python, C/C++
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: quickstart test test-rust lint test-python test-c bench doc

quickstart:
	$(CARGO) run -q -p timadmin-quickstart

test: test-rust test-python
	TIMADMIN_RUST_TESTS_DONE=1 bash bindings-c/test.sh

# One build of the workspace (debug profile, shared target/), then lint, tests and docs on it.
test-rust:
	$(CARGO) build --workspace --all-targets
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p timadmin -p timadmin-emulator --no-deps

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-python:
	bash bindings-python/test.sh

test-c:
	bash bindings-c/test.sh

bench:
	$(CARGO) bench -p timadmin --bench usersig

doc:
	$(CARGO) doc -p timadmin -p timadmin-emulator --no-deps
