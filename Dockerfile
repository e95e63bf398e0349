# syntax=docker/dockerfile:1
# Build stage: install the pinned dependencies into a virtualenv.
FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
RUN /venv/bin/pip install -c constraints.txt .

# Runtime stage: the virtualenv, the migrations and an unprivileged user; nothing else.
FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH PYTHONPATH=/srv PYTHONUNBUFFERED=1 TANDEM_DATA_DIR=/data HOST=0.0.0.0 PORT=8000 \
    TANDEM_ENVIRONMENT=production
RUN useradd --system --uid 10001 --home-dir /data --create-home tandem
COPY --from=build /venv /venv
WORKDIR /srv
COPY alembic.ini ./
COPY migrations ./migrations
# /srv is on PYTHONPATH, so migrations are found next to the code (alembic.ini, migrations/)
COPY app ./app
USER tandem
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
# Migrations are their own step: `docker run … tandem migrate`.
CMD ["tandem", "serve"]
