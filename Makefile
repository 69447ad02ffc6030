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

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: install ## serve the API, workers and dashboard on the embedded defaults
	@echo "wa_agents on http://$(HOST):$(PORT) (API /api/v1, docs /schema)."
	@echo "First start: the admin's password is printed below once (or set WA_ADMIN_USERNAME/WA_ADMIN_PASSWORD)."
	$(VENV)/bin/wa-agents serve --host $(HOST) --port $(PORT)

test: lint types test-python test-bridge ## lint, type-check and run every test (with coverage)

lint: install ## ruff, formatting, and the import-linter layer contracts
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports

types: install ## mypy (strict on domain/ and ports/)
	$(VENV)/bin/mypy

test-python: install install-bridge ## pytest with branch coverage; fails under $(COVERAGE_MIN)%
	$(VENV)/bin/coverage erase
	WA_TEST_REQUIRE_BRIDGE=1 $(VENV)/bin/coverage run -m pytest
	$(VENV)/bin/coverage report --fail-under=$(COVERAGE_MIN)

test-bridge: install-bridge ## the bridge's typecheck and vitest suite
	cd bridge && npm test

install: $(VENV)/.installed ## create .venv from the hash-pinned requirements

$(VENV)/.installed: requirements/dev.txt pyproject.toml | uv
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(VPY) requirements/dev.txt
	$(UV) pip install --quiet --python $(VPY) --no-deps -e .
	touch $@

install-bridge: bridge/node_modules/.installed ## npm ci in bridge/

bridge/node_modules/.installed: bridge/package-lock.json
	cd bridge && npm ci --no-audit --no-fund --loglevel=error
	touch $@

uv: ## make sure uv is there (installed with pip into .tools/ when missing)
	@command -v uv >/dev/null 2>&1 || [ -x .tools/bin/uv ] || \
		{ echo "installing uv into .tools/"; $(PYTHON) -m venv .tools && .tools/bin/pip install --quiet uv; }

lock: uv ## resolve dependencies (keeping a local uv.lock's pins) and rewrite requirements/*.txt
	$(UV) lock
	$(UV) export --quiet --format requirements-txt --all-groups --no-emit-project --no-header -o requirements/dev.txt
	$(UV) export --quiet --format requirements-txt --no-dev --no-emit-project --no-header -o requirements/runtime.txt

clean: ## remove environments and caches
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .coverage bridge/node_modules
