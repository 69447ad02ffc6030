# wa_agents — the two commands that matter: `make run` and `make test`.
# Both install what they need: uv (with pip, when missing), the Python environment in .venv
# from the hash-pinned requirements, and the bridge's npm packages.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
UV = $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
COVERAGE_MIN ?= 85
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint types test-python test-bridge install install-bridge lock uv clean
.PHONY: deploy-check deploy-tools
.PHONY: install-frontend frontend frontend-types test-frontend lint-frontend chromium

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: install frontend ## serve the API, workers and dashboard on the embedded defaults
	@echo "wa_agents on http://$(HOST):$(PORT) (API /api/v1, docs /schema)."
	@echo "First start: the admin's password is printed below once (or set WA_ADMIN_USERNAME/WA_ADMIN_PASSWORD)."
	$(VENV)/bin/wa-agents serve --host $(HOST) --port $(PORT)

test: lint types test-python test-bridge test-frontend ## lint, type-check and run every test (with coverage)

lint: install ## ruff, formatting, and the import-linter layer contracts
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports
	$(MAKE) --no-print-directory lint-frontend

types: install ## mypy (strict on domain/ and ports/)
	$(VENV)/bin/mypy

test-python: install install-bridge deploy-tools frontend chromium ## pytest with branch coverage; fails under $(COVERAGE_MIN)%
	$(VENV)/bin/coverage erase
	WA_TEST_REQUIRE_BRIDGE=1 WA_TEST_REQUIRE_DASHBOARD=1 $(VENV)/bin/coverage run -m pytest
	$(VENV)/bin/coverage report --fail-under=$(COVERAGE_MIN)

test-bridge: install-bridge ## the bridge's typecheck and vitest suite
	cd bridge && npm test

deploy-check: install deploy-tools ## lint the Dockerfiles, validate compose, Kubernetes, nginx and alert rules
	$(VENV)/bin/pytest -q tests/deploy

NGINX := .tools/nginx/usr/sbin/nginx
deploy-tools: $(NGINX) ## nginx for tests/deploy, unpacked from Debian's package into .tools/ (nothing started)

$(NGINX):
	@if ! command -v apt-get >/dev/null 2>&1; then echo "no apt-get: the nginx tests will skip"; else \
		mkdir -p .tools/nginx && cd .tools/nginx && \
		{ apt-get download nginx 2>/dev/null || { apt-get update -qq && apt-get download nginx; }; } && \
		dpkg -x nginx_*.deb . && rm -f nginx_*.deb; fi

install: $(VENV)/.installed ## create .venv from the hash-pinned requirements

$(VENV)/.installed: requirements/dev.txt requirements/no-deps.txt pyproject.toml | uv
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(VPY) requirements/dev.txt
	$(UV) pip install --quiet --python $(VPY) --no-deps --require-hashes -r requirements/no-deps.txt
	$(UV) pip install --quiet --python $(VPY) --no-deps -e .
	touch $@

install-bridge: bridge/node_modules/.installed ## npm ci in bridge/

bridge/node_modules/.installed: bridge/package-lock.json
	cd bridge && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-frontend: frontend/node_modules/.installed ## npm ci in frontend/

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/package-lock.json

frontend: frontend/dist/index.html ## build the dashboard into frontend/dist (when missing or older than its sources)

frontend/dist/index.html: $(FRONTEND_SOURCES) | install-frontend
	cd frontend && npx vite build --logLevel warn
	touch $@

frontend-types: install install-frontend ## regenerate frontend/src/api/schema.ts from the API's OpenAPI document
	$(VPY) scripts/openapi_schema.py > frontend/node_modules/.openapi.json
	cd frontend && npx openapi-typescript node_modules/.openapi.json -o src/api/schema.ts

lint-frontend: install-frontend ## eslint (vue plugin) and vue-tsc on the dashboard
	cd frontend && npx eslint --max-warnings=0 . && npx vue-tsc --noEmit -p tsconfig.json

test-frontend: install-frontend ## the dashboard's vitest specs
	cd frontend && npx vitest run

chromium: ## Debian's chromium for the browser tests (apt-get, when missing)
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

uv: ## make sure uv is there (installed with pip into .tools/ when missing)
	@command -v uv >/dev/null 2>&1 || [ -x .tools/bin/uv ] || \
		{ echo "installing uv into .tools/"; $(PYTHON) -m venv .tools && .tools/bin/pip install --quiet uv; }

lock: uv ## resolve dependencies (keeping a local uv.lock's pins) and rewrite requirements/*.txt
	$(UV) lock
	$(UV) export --quiet --format requirements-txt --all-groups --no-emit-project --no-header -o requirements/dev.txt
	$(UV) export --quiet --format requirements-txt --no-dev --no-emit-project --no-header -o requirements/runtime.txt
	$(UV) pip compile --quiet --no-deps --generate-hashes --no-header --python-version 3.11 \
		requirements/no-deps.in -o requirements/no-deps.txt

clean: ## remove environments and caches
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .coverage bridge/node_modules
	rm -rf frontend/node_modules frontend/dist
