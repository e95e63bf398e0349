#!/usr/bin/env bash
# make image-test: the built image against the machine's PostgreSQL (127.0.0.1:5432, user
# postgres) in a fresh database, dropped afterwards. Checks: the process is unprivileged, the
# installed set is exactly constraints.txt, production refuses to run without an issuer,
# `tandem migrate` as its own step, /healthz, /readyz, Docker's HEALTHCHECK, a token made by
# `tandem token` in the container accepted by an authenticated route, a clean stop on SIGTERM.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB="tandem_image_test_$$"
NAME="tandem-image-test-$$"
PORT=${IMAGE_TEST_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE_URL="http://127.0.0.1:$PORT"
# With --network host the container reaches the host's PostgreSQL and listens on the host.
RUN_ENV=(--network host -e "DATABASE_URL=postgresql://$PGUSER@$PGHOST:$PGPORT/$DB"
         -e "TANDEM_ISSUER=$BASE_URL" -e HOST=127.0.0.1 -e "PORT=$PORT")
START=$SECONDS
PASSED=0
FAILED=0

ok() { PASSED=$((PASSED + 1)); log "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); log "FAIL $*"; }
check() { # check "what" command...
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

cleanup() {
    "$DOCKER" rm -f -v "$NAME" "$NAME-migrate" >/dev/null 2>&1 || true
    dropdb --if-exists "$DB" 2>/dev/null || true
}
trap cleanup EXIT

ensure_docker
"$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1 || { log "no image $IMAGE: run make image first"; exit 1; }
pg_isready -q -t 5 || { log "no PostgreSQL accepting connections at $PGHOST:$PGPORT"; exit 1; }
createdb "$DB"
log "database $DB on $PGHOST:$PGPORT, image $IMAGE, API on $BASE_URL"

# --- the image itself
check "image runs as uid 10001, not root" \
    test "$("$DOCKER" run --rm --network none "$IMAGE" id -u)" = 10001
check "image sets TANDEM_ENVIRONMENT=production" \
    test "$("$DOCKER" run --rm --network none "$IMAGE" printenv TANDEM_ENVIRONMENT)" = production
pins_match() {
    "$DOCKER" run --rm --network none "$IMAGE" pip list --format=freeze --disable-pip-version-check |
        python3 "$ROOT/ops/image/compare_pins.py" "$ROOT/constraints.txt"
}
check "installed packages are exactly the pins of constraints.txt" pins_match
refuses_without_issuer() {
    local out
    if out=$("$DOCKER" run --rm --network host -e "DATABASE_URL=postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" \
        "$IMAGE" tandem migrate 2>&1); then
        return 1
    fi
    grep -q TANDEM_ISSUER <<<"$out"
}
check "production refuses to start without TANDEM_ISSUER" refuses_without_issuer

# --- migrations, their own step
check "docker run … tandem migrate" "$DOCKER" run --rm --name "$NAME-migrate" "${RUN_ENV[@]}" "$IMAGE" tandem migrate
tables=$(psql -d "$DB" -Atc "select count(*) from information_schema.tables where table_schema = 'public'")
revision=$(psql -d "$DB" -Atc "select version_num from alembic_version" 2>/dev/null || true)
check "migrations applied ($tables tables, revision ${revision:-none})" test -n "$revision" -a "$tables" -gt 1
check "tandem migrate again is a no-op" "$DOCKER" run --rm --name "$NAME-migrate" "${RUN_ENV[@]}" "$IMAGE" tandem migrate

# --- the service
started=$SECONDS
"$DOCKER" run -d --name "$NAME" "${RUN_ENV[@]}" "$IMAGE" >/dev/null
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
up=""
for _ in $(seq 1 60); do
    [ "$(status "$BASE_URL/healthz")" = 200 ] && { up=yes; break; }
    [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$NAME")" = true ] || break
    sleep 1
done
if [ -z "$up" ]; then
    fail "tandem serve did not answer /healthz; its log:"
    "$DOCKER" logs --tail 40 "$NAME" >&2
    exit 1
fi
ok "GET /healthz 200, $((SECONDS - started)) s after docker run"
check "GET /readyz 200 (database reached)" test "$(status "$BASE_URL/readyz")" = 200
check "the server process (PID 1) runs as uid 10001" \
    test "$("$DOCKER" exec "$NAME" awk '/^Uid:/ {print $2}' /proc/1/status)" = 10001

token=$("$DOCKER" exec "$NAME" tandem token --role platform_admin --minutes 5 | tail -1)
check "tandem token in the container printed a token" test -n "$token"
check "GET /v1/organizations without a token 401" test "$(status "$BASE_URL/v1/organizations")" = 401
check "GET /v1/organizations with the token 200" \
    test "$(status -H "Authorization: Bearer $token" "$BASE_URL/v1/organizations")" = 200
created=$(status -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name": "Image test", "slug": "image-test"}' "$BASE_URL/v1/organizations")
check "POST /v1/organizations with the token 201 (written to the migrated schema)" test "$created" = 201
check "the organization is in the database" \
    test "$(psql -d "$DB" -Atc "select count(*) from organizations where slug = 'image-test'" 2>/dev/null)" = 1

health=""
for _ in $(seq 1 40); do
    health=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$NAME")
    [ "$health" = starting ] || break
    sleep 1
done
check "Docker HEALTHCHECK reports healthy (was: $health)" test "$health" = healthy

"$DOCKER" stop -t 20 "$NAME" >/dev/null
check "docker stop: tandem serve exits 0 on SIGTERM" \
    test "$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$NAME")" = 0
if [ "$FAILED" -gt 0 ]; then
    log "the container's log:"
    "$DOCKER" logs --tail 40 "$NAME" >&2
fi

log "image-test finished in $((SECONDS - START)) s"
echo "image-test: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
