# Two commands matter: `make run` and `make test`. Both work on a machine with only Python.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-db fuzz audit lint openapi lock bench bench-latency bench-api bench-events bench-insights clean image image-test

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## run: serve http://127.0.0.1:8000 (Swagger UI at /docs) on the embedded PostgreSQL with demo data;
##      PORT=9000 make run moves the port, the token issuer and the SSO callback URL together
run: $(STAMP)
	$(BIN)/tandem serve --migrate --demo-if-empty --with-worker

## test: the whole suite but the process faults (embedded PostgreSQL, or TEST_DATABASE_URL when set)
test: $(STAMP)
	$(BIN)/pytest -q -m "not faults"

## test-db: only the tests that talk to PostgreSQL (CI runs them again on an external server)
test-db: $(STAMP)
	$(BIN)/pytest -q -m "db and not faults"

## test-faults: real processes SIGTERMed, SIGKILLed and scaled out (two APIs, two workers on the
##              PostgreSQL at 127.0.0.1:5432 and the Redis at 127.0.0.1:6379); CI runs it after make test
.PHONY: test-faults
test-faults: $(STAMP)
	$(BIN)/pytest -q -m faults tests/e2e

## fuzz: schema fuzzing at length against a real server: 100 examples per operation, every role in
##       every phase, new seeds each run (`make test` runs a bounded, repeatable pass)
fuzz: $(STAMP)
	TANDEM_FUZZ_EXAMPLES=100 TANDEM_FUZZ_COVERAGE=all $(BIN)/pytest -q -p no:cacheprovider tests/e2e/test_schema_fuzz.py

## audit: pip-audit over the locked set (constraints.txt); needs PyPI's advisory service, so not in CI
##        here (see docs/operations.md). pip-audit goes into the venv, its own dependencies pinned too
audit: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt pip-audit
	$(BIN)/pip-audit --requirement constraints.txt --no-deps --disable-pip --strict --progress-spinner off

## lint: ruff, mypy and the import-linter layer contracts
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy app
	$(BIN)/lint-imports

## openapi: regenerate the committed OpenAPI document, GraphQL SDL and docs/errors.md (tests fail when they drift)
openapi: $(STAMP)
	$(BIN)/python -m app.api.openapi
	$(BIN)/python -m app.api.graphql.sdl
	$(BIN)/python -m app.api.problem_catalog

## bench: the matching engine against plain scipy linear_sum_assignment on generated realistic profiles
bench: $(STAMP)
	$(BIN)/python -m bench.matching

## bench-latency: API read latency p50/p95/p99 idle vs during a 5,000 x 5,000 matching run (real serve + worker)
bench-latency: $(STAMP)
	$(BIN)/python -m bench.latency

## bench-insights: a 500-tandem program's insights and report, in-process, against a one-row read
bench-insights: $(STAMP)
	$(BIN)/python -m bench.insights $(ARGS)

## bench-api: tandem serve vs a bare FastAPI + asyncpg app with wrk (req/s, p50/p99, SQL statements per request);
##            ARGS="--quick" for a smoke run, see docs/benchmarks-api.md
bench-api: $(STAMP)
	$(BIN)/python -m bench.api $(ARGS)

## bench-events: webhook events delivered per second by one tandem worker against a bare signed-POST loop,
##               commit-to-delivery lag p50/p99 under steady writes, a 50,000-mentor NDJSON pool sync
##               (seconds, peak RSS, zero events the second time); see docs/benchmarks.md
bench-events: $(STAMP)
	$(BIN)/python -m bench.events $(ARGS)

## image: build the Docker image tandem:latest with no registry and no network in the build
##        (Debian base made with debootstrap once, app from wheels of constraints.txt); see ops/image/
image: $(STAMP)
	bash ops/image/build.sh

## image-test: run tandem:latest against the PostgreSQL at 127.0.0.1:5432 (migrate, healthz, readyz,
##             a token, non-root); not part of make test
image-test:
	bash ops/image/test.sh

## lock: re-pin every dependency after changing pyproject.toml
lock:
	rm -rf /tmp/tandem-lock && $(PY) -m venv /tmp/tandem-lock
	/tmp/tandem-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/tandem-lock/bin/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
