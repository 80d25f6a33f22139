# aiops-bot: Slack app for incident channels (HTTP mode on port 3000).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLBACKEND=Agg \
    MPLCONFIGDIR=/tmp/matplotlib \
    AIOPS_DB=/data/aiops.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY analyzers ./analyzers
COPY handlers ./handlers
RUN pip install . \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin aiops \
 && mkdir -p /data \
 && chown aiops:aiops /data

USER aiops
VOLUME ["/data"]
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["aiops-bot"]
CMD ["serve", "--http", "--port", "3000"]
