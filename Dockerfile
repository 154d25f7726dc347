# Sinh kế bot, the production image: the wheel and its pinned runtime dependencies, no
# test tools.  See README, "Deploying".  Build: docker build -t sinhke-bot .
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
COPY migrations ./migrations
COPY locales ./locales
COPY content ./content
COPY scripts/catalogs.py ./scripts/catalogs.py
COPY deploy/constraints.txt ./deploy/constraints.txt
RUN pip install --no-cache-dir --constraint deploy/constraints.txt babel \
    && python scripts/catalogs.py compile \
    && pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
# postgresql-client: pg_dump and pg_restore for `sinhke backup` and `sinhke restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/sinhke sinhke
COPY --from=build /wheels /wheels
COPY deploy/constraints.txt /tmp/constraints.txt
RUN pip install --no-cache-dir --constraint /tmp/constraints.txt /wheels/*.whl \
    && rm -rf /wheels /tmp/constraints.txt
COPY config.toml /etc/sinhke/config.toml
USER sinhke
WORKDIR /srv/sinhke
# Settings come from /etc/sinhke/config.toml and SINHKE_* variables (compose.yaml).  The
# ops port listens on every interface of the container; publish it to localhost only.
ENV SINHKE_CONFIG=/etc/sinhke/config.toml \
    SINHKE_OPS__HOST=0.0.0.0 \
    PYTHONUNBUFFERED=1
EXPOSE 8080 9108
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=8)"]
CMD ["sinhke", "run"]
