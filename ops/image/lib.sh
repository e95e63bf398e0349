# Shared by build.sh and test.sh: a Docker engine to talk to, started here when none runs.
# Debian's docker.io (engine 20.10) is used through its own client: a newer client on PATH
# would insist on BuildKit/buildx, which would pull its frontend from a registry.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR="$ROOT/build/image"
IMAGE=${IMAGE:-tandem:latest}
BASE_IMAGE=${BASE_IMAGE:-tandem-base:bookworm}
DOCKER=${DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=0

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ensure_docker() {
    if [ ! -x /usr/sbin/dockerd ] || [ ! -x "$DOCKER" ]; then
        log "installing Debian's docker.io"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    fi
    if "$DOCKER" info >/dev/null 2>&1; then
        return
    fi
    mkdir -p "$ROOT/build"
    log "starting dockerd (log: build/dockerd.log)"
    # Detached from this shell on purpose: the engine outlives one make target.
    setsid /usr/sbin/dockerd >"$ROOT/build/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
        if "$DOCKER" info >/dev/null 2>&1; then
            log "dockerd is up (pid $!)"
            return
        fi
        sleep 1
    done
    log "dockerd did not answer within 60 s; the end of its log:"
    tail -20 "$ROOT/build/dockerd.log" >&2
    exit 1
}
