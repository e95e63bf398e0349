# Built by `make image` (ops/image/build.sh), with no registry and no network in the build:
#   - BASE is a Debian bookworm rootfs made locally with debootstrap and `docker import`
#     (Debian's own Python 3.11 and venv module; see ops/image/build.sh);
#   - build/image/wheels holds exactly the pins of constraints.txt that this Python needs, and
#     build/image/app the app's wheel, built outside the image with `pip wheel -c constraints.txt`
#     and checked against this Python, its glibc and its environment markers.
ARG BASE=tandem-base:bookworm

# Dependencies stage: a virtualenv filled only from the local wheels of the pins. Docker keeps
# this layer, and the copy below, for as long as the pins do not change.
FROM ${BASE} AS deps
LABEL tandem.stage=build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /venv
COPY constraints.txt /tmp/constraints.txt
COPY build/image/wheels /tmp/wheels
RUN /venv/bin/pip install --quiet --no-index --find-links /tmp/wheels -c /tmp/constraints.txt \
      -r /tmp/wheels/requirements.txt

# Runtime stage: the virtualenv, the app, the migrations and an unprivileged user; nothing else.
FROM ${BASE}
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TANDEM_DATA_DIR=/data HOST=0.0.0.0 PORT=8000 TANDEM_ENVIRONMENT=production
RUN groupadd --system --gid 10001 tandem \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --create-home --shell /usr/sbin/nologin tandem
COPY --from=deps /venv /venv
# The app's own wheel, in a small layer of its own; pip check proves its dependencies are there.
COPY build/image/app /tmp/app
RUN pip install --quiet --no-index --no-deps /tmp/app/tandem-*.whl && pip check && rm -rf /tmp/app
# The app finds alembic.ini and migrations/ next to its package folder (app/infra/db/migrate.py),
# which for the installed wheel is site-packages.
COPY alembic.ini /venv/lib/python3.11/site-packages/alembic.ini
COPY migrations /venv/lib/python3.11/site-packages/migrations
WORKDIR /data
USER 10001:10001
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD ["python3", "-c", "import os, sys, urllib.request; url = 'http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'); sys.exit(urllib.request.urlopen(url, timeout=2).status != 200)"]
# Migrations are their own step: `docker run … tandem migrate`.
CMD ["tandem", "serve"]
