#!/usr/bin/env bash
# make image: build the tandem image without any image registry and without network in the build.
#   1. tandem-base:bookworm, once: a Debian bookworm rootfs made with debootstrap (with Debian's
#      Python 3.11 and its venv module), updated from bookworm-updates/-security, docker-imported.
#   2. Wheels of the app (build/image/app) and of exactly the pins in constraints.txt
#      (build/image/wheels), built here with a host Python 3.11 and checked against the base
#      image's Python, glibc and environment markers.
#   3. docker build --network none: pip installs only from those wheels (--no-index).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOTFS="$BUILD_DIR/rootfs"
WHEELS="$BUILD_DIR/wheels"
APP_WHEEL="$BUILD_DIR/app"
HOST_PY=${HOST_PY:-$ROOT/.venv/bin/python}
START=$SECONDS

make_base() {
    if "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        log "$BASE_IMAGE exists, kept (docker rmi $BASE_IMAGE to remake it)"
        return
    fi
    if [ ! -f "$ROOTFS.done" ]; then
        command -v debootstrap >/dev/null || {
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
        }
        rm -rf "$ROOTFS"
        mkdir -p "$ROOTFS"
        log "debootstrap bookworm into build/image/rootfs"
        # minbase: apt, dpkg, passwd (useradd) and the other required packages, no init system.
        debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
            bookworm "$ROOTFS" ${DEBIAN_MIRROR:-} >"$BUILD_DIR/debootstrap.log" 2>&1 || {
            tail -20 "$BUILD_DIR/debootstrap.log" >&2
            exit 1
        }
        # debootstrap installs from the release alone; take its point and security updates too.
        local mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
        cat >"$ROOTFS/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${DEBIAN_SECURITY_MIRROR:-${mirror}-security} bookworm-security main
SOURCES
        log "apt-get upgrade inside the rootfs"
        chroot "$ROOTFS" apt-get update -qq
        chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade >/dev/null
        chroot "$ROOTFS" apt-get clean
        rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/log/*.log
        : >"$ROOTFS/etc/resolv.conf"
        touch "$ROOTFS.done"
    fi
    log "docker import build/image/rootfs as $BASE_IMAGE"
    tar --numeric-owner -C "$ROOTFS" -c . |
        "$DOCKER" import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$BASE_IMAGE" >/dev/null
}

build_wheels() {
    log "pip wheel -c constraints.txt (host $("$HOST_PY" -V))"
    rm -rf "$WHEELS"
    mkdir -p "$WHEELS"
    # A fresh folder each time, so only the current pins can reach the image.
    (cd "$ROOT" && "$HOST_PY" -m pip wheel --disable-pip-version-check \
        -c constraints.txt -w "$WHEELS" .) >"$BUILD_DIR/pip-wheel.log" 2>&1 || {
        tail -30 "$BUILD_DIR/pip-wheel.log" >&2
        exit 1
    }
    # The interpreter and C library the wheels must fit are the base image's own.
    local target host_version env round reqs
    target=$("$DOCKER" run --rm --network none "$BASE_IMAGE" python3 -c \
        'import platform, sys; print("%d.%d" % sys.version_info[:2], platform.libc_ver()[1])')
    host_version=$("$HOST_PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [ "$host_version" != "${target%% *}" ]; then
        log "the wheels were built with Python $host_version, the image has ${target%% *}: set HOST_PY"
        exit 1
    fi
    # Markers were evaluated for the host's Python; add what the image's Python needs besides.
    env=$("$DOCKER" run -i --rm --network none "$BASE_IMAGE" python3 - --environment <"$ROOT/ops/image/target_deps.py")
    for round in 1 2 3 4 5; do
        reqs=$("$HOST_PY" "$ROOT/ops/image/target_deps.py" "$WHEELS" tandem "$env")
        [ -z "$reqs" ] && break
        log "the image's Python $("$HOST_PY" -c 'import json, sys; print(json.loads(sys.argv[1])["python_full_version"])' "$env") also needs: $(echo $reqs)"
        # shellcheck disable=SC2086
        (cd "$ROOT" && "$HOST_PY" -m pip wheel --disable-pip-version-check --no-deps \
            -c constraints.txt -w "$WHEELS" $reqs) >>"$BUILD_DIR/pip-wheel.log" 2>&1 || {
            tail -30 "$BUILD_DIR/pip-wheel.log" >&2
            exit 1
        }
    done
    log "checking $(ls "$WHEELS" | wc -l) wheels against the image's Python/glibc: $target"
    "$HOST_PY" "$ROOT/ops/image/check_wheels.py" "$WHEELS" $target
    # The dependencies are installed in a layer of their own that Docker keeps while the pins
    # stay the same, the app (build/image/app) in a small one on top.
    "$HOST_PY" "$ROOT/ops/image/target_deps.py" "$WHEELS" tandem "$env" --needed >"$WHEELS/requirements.txt"
    "$HOST_PY" "$ROOT/ops/image/compare_pins.py" "$ROOT/constraints.txt" <"$WHEELS/requirements.txt" ||
        log "WARNING: the image gets packages constraints.txt does not pin (make image-test fails on this): pin them"
    rm -rf "$APP_WHEEL"
    mkdir -p "$APP_WHEEL"
    mv "$WHEELS"/tandem-*.whl "$APP_WHEEL"/
}

ensure_docker
mkdir -p "$BUILD_DIR"
make_base
build_wheels
previous=$("$DOCKER" image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
DEPS_IMAGE="${IMAGE%%:*}-deps:latest"
: >"$BUILD_DIR/docker-build.log"
# The dependencies stage is tagged so that it stays as the cache of the next build.
for target in deps final; do
    if [ "$target" = deps ]; then args=(--target deps -t "$DEPS_IMAGE"); else args=(-t "$IMAGE"); fi
    log "docker build --network none ${args[*]}"
    "$DOCKER" build --force-rm --network none --build-arg "BASE=$BASE_IMAGE" "${args[@]}" "$ROOT" \
        >>"$BUILD_DIR/docker-build.log" 2>&1 || {
        tail -30 "$BUILD_DIR/docker-build.log" >&2
        exit 1
    }
done
# Each build leaves the former image and, when the pins changed, the former dependencies stage.
if [ -n "$previous" ] && [ "$previous" != "$("$DOCKER" image inspect -f '{{.Id}}' "$IMAGE")" ]; then
    "$DOCKER" rmi "$previous" >/dev/null 2>&1 || true
fi
# (docker image prune ignores the label filter on engine 20.10, hence the explicit list.)
"$DOCKER" images -q --filter dangling=true --filter label=tandem.stage=build |
    xargs -r "$DOCKER" rmi >/dev/null 2>&1 || true
"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}  {{.ID}}  {{.Size}}' | grep -E "^(${IMAGE%%:*}|${DEPS_IMAGE%%:*}|${BASE_IMAGE%%:*}):" >&2
log "image built in $((SECONDS - START)) s (build log: build/image/docker-build.log)"
